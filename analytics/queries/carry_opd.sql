-- the rebuild carries this table over from the old store (registered as old_rows)
delete from opd;
insert into opd by name select * from old_rows;
