-- the rebuild carries this table over from the old store (registered as old_rows)
delete from program;
insert into program by name select * from old_rows;
