-- the rebuild carries this table over from the old store (registered as old_rows)
delete from setting;
insert into setting by name select * from old_rows;
