-- Append path: open an interval for every incoming row not continuing an open one.
insert into person_interval
select i.person_key, $as_of, null, i.id_keluarga, i.kode_kelurahan, i.desil, i.status, i.alasan
from incoming i
where not exists (
    select 1
    from person_interval pi
    where pi.valid_to is null
      and pi.person_key = i.person_key
      and pi.id_keluarga = i.id_keluarga
      and pi.kode_kelurahan = i.kode_kelurahan
      and pi.desil is not distinct from i.desil
      and pi.status = i.status
      and pi.alasan is not distinct from i.alasan
)
