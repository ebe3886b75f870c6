-- One OPD ($kode_opd) beside the city (any OPD, kode_opd '*') at $as_of: families on the list,
-- families reached, planned-not-delivered pairs, off-list beneficiaries (the same summaries as
-- opd_coverage), and the latest OPD record on or before $as_of with the days since then.
with list as (
    select coalesce(sum(keluarga_aktif), 0) as keluarga_di_daftar
    from area_stats
    where as_of = $as_of
),
s as (
    select
        kode_opd,
        sum(keluarga_terjangkau) as keluarga_terjangkau,
        sum(penugasan_belum_tersalur) as penugasan_belum_tersalur,
        sum(penerima_luar_daftar) as penerima_luar_daftar
    from intervensi_stats
    where as_of = $as_of and kode_program = '*' and kode_opd in ($kode_opd, '*')
    group by kode_opd
),
h as (
    select
        max(tanggal) filter (where kode_opd = $kode_opd) as opd_terakhir,
        max(tanggal) as kota_terakhir
    from intervensi_harian
    where tanggal <= $as_of
),
scope as (
    select 'opd' as lingkup, $kode_opd as kode_opd
    union all
    select 'kota', '*'
)
select
    scope.lingkup,
    list.keluarga_di_daftar,
    coalesce(s.keluarga_terjangkau, 0) as keluarga_terjangkau,
    coalesce(s.penugasan_belum_tersalur, 0) as penugasan_belum_tersalur,
    coalesce(s.penerima_luar_daftar, 0) as penerima_luar_daftar,
    case when scope.lingkup = 'opd' then h.opd_terakhir else h.kota_terakhir end as data_terakhir,
    date_diff(
        'day', case when scope.lingkup = 'opd' then h.opd_terakhir else h.kota_terakhir end, $as_of::date
    ) as hari_sejak_data
from scope
cross join list
cross join h
left join s using (kode_opd)
order by scope.lingkup desc
