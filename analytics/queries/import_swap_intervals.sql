-- after import_rebuild_intervals: the rebuilt intervals replace the stored ones
delete from person_interval;
insert into person_interval select * from rebuilt_interval order by valid_from, person_key;
drop table rebuilt_interval;
