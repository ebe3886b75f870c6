-- the rebuild carries this table over from the old store (registered as old_rows)
delete from import_log;
insert into import_log by name select * from old_rows;
