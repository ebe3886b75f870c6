-- Split variant, statement 3 of 4: the masked NIKs and names of the page's families.
select pi.id_keluarga, pi.kode_kelurahan,
       string_agg(p.nik_masked, ', ' order by p.nik_masked, p.person_key) as nik_masked,
       case when $tampil_nama then string_agg(p.nama, ', ' order by p.nik_masked, p.person_key) end as nama
from person_interval pi join person p using (person_key)
where pi.status = 'aktif' and pi.valid_from <= $as_of
  and coalesce(pi.valid_to, date '9999-12-31') > $as_of
  and list_contains($kel, pi.kode_kelurahan) and list_contains($fams, pi.id_keluarga)
group by pi.id_keluarga, pi.kode_kelurahan
