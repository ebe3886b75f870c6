-- the rebuild carries this table over from the old store (registered as old_rows)
delete from keluarga_tanda;
insert into keluarga_tanda by name select * from old_rows;
