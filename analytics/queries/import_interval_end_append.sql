-- Append path: record the intervals this import closed (registered as `closed_interval`, what
-- import_close_intervals returned) in interval_end.
insert into interval_end
select person_key, valid_from, valid_to, id_keluarga, kode_kelurahan, status, alasan
from closed_interval
order by person_key
