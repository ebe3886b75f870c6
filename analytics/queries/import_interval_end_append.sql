-- Append path: record the intervals this import closed (valid_to = $as_of) in interval_end.
insert into interval_end
select person_key, valid_from, valid_to, id_keluarga, kode_kelurahan, status, alasan
from person_interval
where valid_to = $as_of
order by person_key
