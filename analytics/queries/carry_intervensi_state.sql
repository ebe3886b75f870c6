-- the rebuild carries this table over from the old store (registered as old_rows)
delete from intervensi_state;
insert into intervensi_state by name select * from old_rows;
