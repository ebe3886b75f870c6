-- Families on the list at $as_of that no delivered intervention had reached by then (the same rule as
-- intervensi_irisan), one page at a time ($limit null = all), with the number of families in all
-- pages (total), their members' masked NIKs and names, and any assignment still pending.
-- Role scope is bound: DinsosPM ($semua) sees all; an OPD only the families it holds a record for.
with onlist as (
    select pi.person_key, pi.id_keluarga, pi.kode_kelurahan, pi.desil
    from person_interval pi
    where pi.status = 'aktif'
      and pi.valid_from <= $as_of
      and coalesce(pi.valid_to, date '9999-12-31') > $as_of
),
delivered as (
    select satuan, person_key, id_keluarga
    from v_intervensi
    where status = 'tersalur' and tanggal <= $as_of
),
reached as (
    select o.id_keluarga
    from onlist o
    semi join (select person_key from delivered where satuan = 'orang') d using (person_key)
    union
    select id_keluarga from delivered where satuan = 'keluarga' and id_keluarga is not null
),
untouched as (
    select o.id_keluarga, o.kode_kelurahan, count(*) as anggota, min(o.desil) as desil
    from onlist o
    anti join reached r using (id_keluarga)
    where $semua or o.id_keluarga in (
        select id_keluarga from v_intervensi where kode_opd = $kode_opd and id_keluarga is not null
    )
    group by o.id_keluarga, o.kode_kelurahan
),
page as (
    select u.*, a.kode_kecamatan, a.kecamatan, a.kelurahan, count(*) over () as total
    from untouched u
    join v_area a using (kode_kelurahan)
    order by a.kode_kecamatan, a.kelurahan, u.id_keluarga
    limit $limit offset $offset
),
members as (
    select o.id_keluarga, o.kode_kelurahan,
           string_agg(p.nik_masked, ', ' order by p.nik_masked) as nik_masked,
           case when $tampil_nama then string_agg(p.nama, ', ' order by p.nik_masked) end as nama
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
