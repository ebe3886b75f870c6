-- Families on the list at $as_of that no delivered intervention had reached by then (the same rule as
-- intervensi_irisan), with their members' masked NIKs and names, and any assignment still pending.
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
    join delivered d on d.satuan = 'orang' and d.person_key = o.person_key
    union
    select id_keluarga from delivered where satuan = 'keluarga' and id_keluarga is not null
),
pending as (
    select id_keluarga, string_agg(distinct kode_program, ', ' order by kode_program) as program_rencana
    from v_intervensi
    where status = 'rencana' and tanggal <= $as_of and id_keluarga is not null
    group by id_keluarga
)
select
    o.id_keluarga,
    a.kode_kecamatan,
    a.kecamatan,
    a.kelurahan,
    count(*) as anggota,
    min(o.desil) as desil,
    string_agg(p.nik_masked, ', ' order by p.nik_masked) as nik_masked,
    case when $tampil_nama then string_agg(p.nama, ', ' order by p.nik_masked) end as nama,
    any_value(pe.program_rencana) as program_rencana
from onlist o
join person p using (person_key)
join v_area a using (kode_kelurahan)
left join pending pe using (id_keluarga)
where o.id_keluarga not in (select id_keluarga from reached)
  -- role scope, bound: DinsosPM sees all; an OPD only the families it holds a record for
  and ($semua or o.id_keluarga in (
      select id_keluarga from v_intervensi where kode_opd = $kode_opd and id_keluarga is not null
  ))
group by o.id_keluarga, a.kode_kecamatan, a.kecamatan, a.kelurahan
order by a.kode_kecamatan, a.kelurahan, o.id_keluarga
