-- Families on the list at the snapshot $as_of that no delivered intervention had reached by then
-- (the rule of intervensi_irisan), one page at a time ($limit null = all), with the number of
-- families in all pages (total), their members' masked NIKs and names, and any assignment still
-- pending. Role scope is bound: DinsosPM ($semua) sees all; an OPD only the families it holds a
-- record for; a camat or lurah only the families in the area $kode_wilayah (dotted code).
--
-- The import stored who was reached at each snapshot (intervensi_keluarga_terjangkau) and, per
-- kelurahan, how many families were not (intervensi_irisan). So DinsosPM's page reads only the
-- kelurahan the page falls in, and no page matches people with deliveries (822 ms -> ~200 ms a
-- page at 5M people). $as_of must be a snapshot date (analytics.opd checks).
with per_kelurahan as (
    select a.kode_kecamatan, a.kelurahan, i.kode_kelurahan, sum(i.keluarga) as n
    from intervensi_irisan i
    join v_area a using (kode_kelurahan)
    where i.as_of = $as_of
      and not (i.bantuan_pendapatan or i.usaha_produktif or i.kantong_kemiskinan)
    group by all
),
placed as (
    select kode_kelurahan, n,
           sum(n) over (order by kode_kecamatan, kelurahan rows unbounded preceding) - n as before
    from per_kelurahan
),
windowed as (
    -- irisan is empty while no OPD file has been imported: then every family is untouched
    select $semua and exists (select 1 from intervensi_irisan where as_of = $as_of) as yes
),
wanted as (
    select kode_kelurahan, before
    from placed
    where (select yes from windowed)
      and ($limit is null or (before < $offset + $limit and before + n > $offset))
    union all
    select kode_kelurahan, 0 as before
    from v_area
    where not (select yes from windowed)
      and ($kode_wilayah is null or $kode_wilayah in (kode_kecamatan, kode_kelurahan))
),
onlist as (
    select pi.person_key, pi.id_keluarga, pi.kode_kelurahan, pi.desil
    from person_interval pi
    where pi.status = 'aktif'
      and pi.valid_from <= $as_of
      and coalesce(pi.valid_to, date '9999-12-31') > $as_of
      and pi.kode_kelurahan in (select kode_kelurahan from wanted)
),
reached as (
    select id_keluarga from intervensi_keluarga_terjangkau where as_of = $as_of
),
untouched as (
    select o.id_keluarga, o.kode_kelurahan, count(*) as anggota, min(o.desil) as desil
    from onlist o
    anti join reached r using (id_keluarga)
    where $semua
       or o.id_keluarga in (
           select id_keluarga from v_intervensi where kode_opd = $kode_opd and id_keluarga is not null
       )
       or $kode_wilayah is not null -- the area's kelurahan only, chosen in wanted
    group by o.id_keluarga, o.kode_kelurahan
),
numbered as (
    select u.*, a.kode_kecamatan, a.kecamatan, a.kelurahan,
           (select min(before) from wanted)
           + row_number() over (order by a.kode_kecamatan, a.kelurahan, u.id_keluarga) - 1 as nomor,
           case when (select yes from windowed) then (select sum(n) from placed)::bigint
                else count(*) over () end as total
    from untouched u
    join v_area a using (kode_kelurahan)
),
page as (
    select * from numbered
    where nomor >= $offset and ($limit is null or nomor < $offset + $limit)
),
members as (
    select o.id_keluarga, o.kode_kelurahan,
           string_agg(p.nik_masked, ', ' order by p.nik_masked, p.person_key) as nik_masked,
           case when $tampil_nama then string_agg(p.nama, ', ' order by p.nik_masked, p.person_key) end as nama
    from onlist o
    semi join page g using (id_keluarga, kode_kelurahan)
    join person p using (person_key)
    group by o.id_keluarga, o.kode_kelurahan
),
pending as (
    select id_keluarga, string_agg(distinct kode_program, ', ' order by kode_program) as program_rencana
    from v_intervensi
    where status = 'rencana' and tanggal <= $as_of and id_keluarga in (select id_keluarga from page)
    group by id_keluarga
)
select
    g.id_keluarga,
    g.kode_kecamatan,
    g.kecamatan,
    g.kelurahan,
    g.anggota,
    g.desil,
    m.nik_masked,
    m.nama,
    pe.program_rencana,
    g.total
from page g
join members m using (id_keluarga, kode_kelurahan)
left join pending pe using (id_keluarga)
order by g.kode_kecamatan, g.kelurahan, g.id_keluarga
