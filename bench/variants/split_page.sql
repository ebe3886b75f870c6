-- Split variant, statement 2 of 4: one page of untouched families in the kelurahan $kel (in order).
select pi.id_keluarga, pi.kode_kelurahan, count(*) as anggota, min(pi.desil) as desil
from person_interval pi
where pi.status = 'aktif' and pi.valid_from <= $as_of
  and coalesce(pi.valid_to, date '9999-12-31') > $as_of
  and list_contains($kel, pi.kode_kelurahan)
  and pi.id_keluarga not in (select id_keluarga from intervensi_keluarga_terjangkau where as_of = $as_of)
group by pi.id_keluarga, pi.kode_kelurahan
order by list_position($kel, any_value(pi.kode_kelurahan)), pi.id_keluarga
limit $limit offset $offset
