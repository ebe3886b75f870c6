-- Summaries per snapshot (on or after $from_date) x OPD x programme x kelurahan, with '*' rows for
-- any programme of an OPD and for any OPD. Reads the temp table intervensi_reach. Each measure is
-- counted on its own (distinct counts are not additive), then the measures are put side by side.
insert into intervensi_stats
with dates as (
    select as_of from snapshot where as_of >= $from_date
),
-- Beneficiary units at each level (programme, OPD, any OPD): when they first appear, first appear
-- while off the list, and their kelurahan (of their first record at that level).
units as (
    select
        grouping(kode_program) + grouping(kode_opd) as tingkat,
        kode_opd,
        kode_program,
        penerima,
        min(tanggal) as pertama,
        min(tanggal) filter (where status = 'rencana') as rencana_pertama,
        min(tanggal) filter (where status = 'tersalur') as tersalur_pertama,
        min(tanggal) filter (where not di_daftar) as luar_pertama,
        arg_min(kode_kelurahan, tanggal) as kode_kelurahan
    from v_intervensi
    group by grouping sets ((kode_opd, kode_program, penerima), (kode_opd, penerima), (penerima))
),
-- Steps by date: a count at a snapshot is the sum of the steps on or before it.
steps as (
    select kode_opd, kode_program, kode_kelurahan, pertama as tanggal, 1 as d_penerima, 0 as d_luar
    from units
    union all
    select kode_opd, kode_program, kode_kelurahan, luar_pertama, 0, 1
    from units
    where luar_pertama is not null
),
step_days as (
    select kode_opd, kode_program, kode_kelurahan, tanggal,
           sum(d_penerima) as d_penerima, sum(d_luar) as d_luar
    from steps
    group by all
),
reached as (
    select
        as_of, kode_opd, kode_program, kode_kelurahan,
        count(distinct person_key) as orang_terjangkau,
        count(distinct id_keluarga) as keluarga_terjangkau,
        0 as penerima, 0 as penugasan_belum_tersalur, 0 as penerima_luar_daftar, 0 as nilai_tersalur
    from intervensi_reach
    group by grouping sets (
        (as_of, kode_opd, kode_program, kode_kelurahan), (as_of, kode_opd, kode_kelurahan), (as_of, kode_kelurahan)
    )
),
counted as (
    select
        d.as_of, s.kode_opd, s.kode_program, s.kode_kelurahan,
        0 as orang_terjangkau, 0 as keluarga_terjangkau,
        sum(s.d_penerima) as penerima,
        0 as penugasan_belum_tersalur,
        sum(s.d_luar) as penerima_luar_daftar,
        0 as nilai_tersalur
    from dates d
    join step_days s on s.tanggal <= d.as_of
    group by all
),
-- Planned (beneficiary, programme) pairs not delivered by the snapshot, beneficiary still on the list.
planned as (
    select u.kode_opd, u.kode_program, u.penerima, p.satuan, u.rencana_pertama, u.tersalur_pertama
    from units u
    join program p using (kode_program)
    where u.tingkat = 0 and u.rencana_pertama is not null
),
pending as (
    select o.as_of, p.kode_opd, p.kode_program, o.kode_kelurahan, p.penerima
    from intervensi_onlist o
    join planned p
      on p.satuan = 'orang'
     and p.penerima = o.person_key
     and p.rencana_pertama <= o.as_of
     and (p.tersalur_pertama is null or p.tersalur_pertama > o.as_of)
    union
    select o.as_of, p.kode_opd, p.kode_program, o.kode_kelurahan, p.penerima
    from intervensi_onlist o
    join planned p
      on p.satuan = 'keluarga'
     and p.penerima = o.id_keluarga
     and p.rencana_pertama <= o.as_of
     and (p.tersalur_pertama is null or p.tersalur_pertama > o.as_of)
),
belum as (
    select as_of, kode_opd, kode_program, kode_kelurahan,
           0 as orang_terjangkau, 0 as keluarga_terjangkau, 0 as penerima,
           count(*) as penugasan_belum_tersalur, 0 as penerima_luar_daftar, 0 as nilai_tersalur
    from pending
    group by grouping sets (
        (as_of, kode_opd, kode_program, kode_kelurahan), (as_of, kode_opd, kode_kelurahan), (as_of, kode_kelurahan)
    )
),
money as (
    select d.as_of, h.kode_opd, h.kode_program, h.kode_kelurahan,
           0 as orang_terjangkau, 0 as keluarga_terjangkau, 0 as penerima, 0 as penugasan_belum_tersalur,
           0 as penerima_luar_daftar, sum(h.nilai_tersalur) as nilai_tersalur
    from dates d
    join intervensi_harian h on h.tanggal <= d.as_of
    group by grouping sets (
        (d.as_of, h.kode_opd, h.kode_program, h.kode_kelurahan),
        (d.as_of, h.kode_opd, h.kode_kelurahan),
        (d.as_of, h.kode_kelurahan)
    )
),
measures as (
    select * from reached
    union all
    select * from counted
    union all
    select * from belum
    union all
    select * from money
)
select
    as_of,
    coalesce(kode_opd, '*'),
    coalesce(kode_program, '*'),
    kode_kelurahan,
    sum(orang_terjangkau),
    sum(keluarga_terjangkau),
    sum(penerima),
    sum(penugasan_belum_tersalur),
    sum(penerima_luar_daftar),
    sum(nilai_tersalur)
from measures
group by all
