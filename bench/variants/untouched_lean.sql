-- Variant of analytics/queries/intervensi_untouched_families.sql for bench/untouched_variants.py:
-- DinsosPM's page only (no OPD scope, no fallback for a snapshot without intervention summaries),
-- no views (v_area, v_intervensi), the page cut by LIMIT/OFFSET instead of a numbered window.
with area as (
    select k.kode_kelurahan, k.nama as kelurahan, k.kode_kecamatan, c.nama as kecamatan
    from kelurahan k join kecamatan c using (kode_kecamatan)
),
placed as (
    select i.kode_kelurahan, sum(i.keluarga) as n,
           sum(sum(i.keluarga)) over (order by any_value(a.kode_kecamatan), any_value(a.kelurahan)
                                      rows unbounded preceding) - sum(i.keluarga) as before
    from intervensi_irisan i join area a using (kode_kelurahan)
    where i.as_of = $as_of and not (i.bantuan_pendapatan or i.usaha_produktif or i.kantong_kemiskinan)
    group by i.kode_kelurahan
),
wanted as (
    select kode_kelurahan, before from placed
    where before < $offset + $limit and before + n > $offset
),
onlist as (
    select pi.person_key, pi.id_keluarga, pi.kode_kelurahan, pi.desil
    from person_interval pi
    where pi.status = 'aktif' and pi.valid_from <= $as_of
      and coalesce(pi.valid_to, date '9999-12-31') > $as_of
      and pi.kode_kelurahan in (select kode_kelurahan from wanted)
),
page as (
    select o.id_keluarga, o.kode_kelurahan, count(*) as anggota, min(o.desil) as desil,
           any_value(a.kode_kecamatan) as kode_kecamatan, any_value(a.kecamatan) as kecamatan,
           any_value(a.kelurahan) as kelurahan
    from onlist o join area a using (kode_kelurahan)
    where o.id_keluarga not in (select id_keluarga from intervensi_keluarga_terjangkau where as_of = $as_of)
    group by o.id_keluarga, o.kode_kelurahan
    order by any_value(a.kode_kecamatan), any_value(a.kelurahan), o.id_keluarga
    limit $limit offset $offset - (select min(before) from wanted)
),
members as (
    select o.id_keluarga, o.kode_kelurahan,
           string_agg(p.nik_masked, ', ' order by p.nik_masked, p.person_key) as nik_masked,
           case when $tampil_nama then string_agg(p.nama, ', ' order by p.nik_masked, p.person_key) end as nama
    from onlist o join person p using (person_key)
    where (o.id_keluarga, o.kode_kelurahan) in (select (id_keluarga, kode_kelurahan) from page)
    group by o.id_keluarga, o.kode_kelurahan
),
pending as (
    select c.id_keluarga, string_agg(distinct i.kode_program, ', ' order by i.kode_program) as program_rencana
    from intervensi i join intervensi_cocok c using (berkas_id, baris)
    where i.status = 'rencana' and i.tanggal <= $as_of and c.id_keluarga in (select id_keluarga from page)
    group by c.id_keluarga
)
select g.id_keluarga, g.kode_kecamatan, g.kecamatan, g.kelurahan, g.anggota, g.desil,
       m.nik_masked, m.nama, pe.program_rencana, (select sum(n) from placed)::bigint as total
from page g join members m using (id_keluarga, kode_kelurahan) left join pending pe using (id_keluarga)
order by g.kode_kecamatan, g.kelurahan, g.id_keluarga
