-- Temp table: every person on the list at each snapshot on or after $from_date.
create or replace temp table intervensi_onlist as
select d.as_of, pi.person_key, pi.id_keluarga, pi.kode_kelurahan
from snapshot d
join person_interval pi
  on pi.status = 'aktif'
 and pi.valid_from <= d.as_of
 and coalesce(pi.valid_to, date '9999-12-31') > d.as_of
where d.as_of >= $from_date
