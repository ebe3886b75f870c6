-- General path (intervals rebuilt): interval_end again from every closed interval, and each
-- person's first snapshot date.
delete from interval_end;
insert into interval_end
select person_key, valid_from, valid_to, id_keluarga, kode_kelurahan, status, alasan
from person_interval
where valid_to is not null
order by valid_to, person_key;
update person set first_seen = f.first_from
from (select person_key, min(valid_from) as first_from from person_interval group by person_key) f
where person.person_key = f.person_key
  and person.first_seen is distinct from f.first_from;
update person set first_seen = null
where first_seen is not null and person_key not in (select person_key from person_interval)
