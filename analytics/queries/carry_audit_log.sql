-- the rebuild carries this table over from the old store (registered as old_rows)
delete from audit_log;
insert into audit_log by name select * from old_rows;
