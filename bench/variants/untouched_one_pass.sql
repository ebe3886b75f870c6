-- Variant for bench/untouched_variants.py: one pass over everyone on the list (no placement by
-- kelurahan), members' NIKs and names aggregated with the family, DinsosPM's page only.
with fam as (
    select pi.id_keluarga, pi.kode_kelurahan, count(*) as anggota, min(pi.desil) as desil,
           string_agg(p.nik_masked, ', ' order by p.nik_masked, p.person_key) as nik_masked,
           case when $tampil_nama then string_agg(p.nama, ', ' order by p.nik_masked, p.person_key) end as nama,
           count(*) over () as total
    from person_interval pi join person p using (person_key)
    where pi.status = 'aktif' and pi.valid_from <= $as_of
      and coalesce(pi.valid_to, date '9999-12-31') > $as_of
      and pi.id_keluarga not in (select id_keluarga from intervensi_keluarga_terjangkau where as_of = $as_of)
    group by pi.id_keluarga, pi.kode_kelurahan
),
page as (
    select f.*, k.kode_kecamatan, c.nama as kecamatan, k.nama as kelurahan
    from fam f join kelurahan k using (kode_kelurahan) join kecamatan c using (kode_kecamatan)
    order by k.kode_kecamatan, k.nama, f.id_keluarga
    limit $limit offset $offset
)
select g.id_keluarga, g.kode_kecamatan, g.kecamatan, g.kelurahan, g.anggota, g.desil,
       g.nik_masked, g.nama,
       (select string_agg(distinct i.kode_program, ', ' order by i.kode_program)
        from intervensi i join intervensi_cocok c using (berkas_id, baris)
        where i.status = 'rencana' and i.tanggal <= $as_of and c.id_keluarga = g.id_keluarga) as program_rencana,
       g.total
from page g
order by g.kode_kecamatan, g.kelurahan, g.id_keluarga
