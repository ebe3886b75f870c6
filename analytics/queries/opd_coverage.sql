-- Per OPD (every OPD, zero when it reached no one) and for any OPD ('*'): the list at $as_of and who
-- on it had been reached, with beneficiaries, planned-not-delivered pairs, off-list and rupiah.
with list as (
    select coalesce(sum(orang_aktif), 0) as orang_di_daftar, coalesce(sum(keluarga_aktif), 0) as keluarga_di_daftar
    from area_stats
    where as_of = $as_of
),
s as (
    select
        kode_opd,
        sum(orang_terjangkau) as orang_terjangkau,
        sum(keluarga_terjangkau) as keluarga_terjangkau,
        sum(penerima) as penerima,
        sum(penugasan_belum_tersalur) as penugasan_belum_tersalur,
        sum(penerima_luar_daftar) as penerima_luar_daftar,
        sum(nilai_tersalur) as nilai_tersalur
    from intervensi_stats
    where as_of = $as_of and kode_program = '*'
    group by kode_opd
),
o as (
    select kode_opd, nama, singkatan, urutan from opd
    union all
    select '*', 'Semua OPD', 'Semua OPD', 0
)
select
    o.kode_opd,
    o.nama,
    o.singkatan,
    list.orang_di_daftar,
    list.keluarga_di_daftar,
    coalesce(s.orang_terjangkau, 0) as orang_terjangkau,
    coalesce(s.keluarga_terjangkau, 0) as keluarga_terjangkau,
    coalesce(s.penerima, 0) as penerima,
    coalesce(s.penugasan_belum_tersalur, 0) as penugasan_belum_tersalur,
    coalesce(s.penerima_luar_daftar, 0) as penerima_luar_daftar,
    coalesce(s.nilai_tersalur, 0) as nilai_tersalur
from o
cross join list
left join s using (kode_opd)
order by o.urutan
