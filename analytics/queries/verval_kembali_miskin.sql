-- Families "kembali miskin": a member left the list by graduation (the registry's reason, or a
-- verval graduasi result filling an unexplained exit, the rule of migration 025) and later either
-- is on the list again ('muncul_lagi': an 'aktif' interval starting after the exit) or has a later
-- interval with desil 1-2 ('desil_1_2': a DTSEN snapshot keeps off-list known people with their
-- desil). Only snapshots up to $as_of count (null = all). One row per family: its kelurahan at the graduation, the first such graduation date, how.
with vr as (
    select * from verval_reason()
),
ended as (
    -- intervals on the list that ended, and the state the person went into at that date (if any)
    select a.person_key, a.id_keluarga, a.kode_kelurahan, a.valid_to as tanggal,
           n.status as next_status, n.alasan as next_alasan
    from person_interval a
    left join person_interval n on n.person_key = a.person_key and n.valid_from = a.valid_to
    where a.status = 'aktif' and a.valid_to is not null and ($as_of is null or a.valid_to <= $as_of)
),
graduated as (
    select e.person_key, e.id_keluarga, e.kode_kelurahan, e.tanggal
    from ended e
    left join vr vp on vp.person_key = e.person_key
    left join vr vk on vk.person_key is null and vk.id_keluarga = e.id_keluarga
    where coalesce(e.next_status, 'keluar') = 'keluar'
      and exit_reason(case when e.next_status = 'keluar' then e.next_alasan end, vp.hasil, vk.hasil) = 'graduasi'
),
back as (
    select g.id_keluarga, g.kode_kelurahan, g.tanggal,
           bool_or(l.status = 'aktif') as muncul_lagi,
           bool_or(l.status <> 'aktif' and l.desil <= 2) as desil_rendah
    from graduated g
    join person_interval l on l.person_key = g.person_key and l.valid_from > g.tanggal
     and ($as_of is null or l.valid_from <= $as_of)
    group by all
    having bool_or(l.status = 'aktif') or bool_or(l.status <> 'aktif' and l.desil <= 2)
)
select b.id_keluarga,
       arg_min(b.kode_kelurahan, b.tanggal) as kode_kelurahan,
       min(b.tanggal) as tanggal_graduasi,
       case when bool_or(b.muncul_lagi) then 'muncul_lagi' else 'desil_1_2' end as cara,
       arg_min(a.kelurahan, b.tanggal) as kelurahan,
       arg_min(a.kecamatan, b.tanggal) as kecamatan
from back b
left join v_area a using (kode_kelurahan)
group by b.id_keluarga
order by tanggal_graduasi, b.id_keluarga
