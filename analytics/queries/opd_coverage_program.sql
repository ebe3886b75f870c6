-- Per programme (every programme in the catalog) at $as_of: reach among the list, beneficiaries,
-- planned-not-delivered pairs, off-list beneficiaries and rupiah delivered.
with list as (
    select coalesce(sum(orang_aktif), 0) as orang_di_daftar, coalesce(sum(keluarga_aktif), 0) as keluarga_di_daftar
    from area_stats
    where as_of = $as_of
),
s as (
    select
        kode_program,
        sum(orang_terjangkau) as orang_terjangkau,
        sum(keluarga_terjangkau) as keluarga_terjangkau,
        sum(penerima) as penerima,
        sum(penugasan_belum_tersalur) as penugasan_belum_tersalur,
        sum(penerima_luar_daftar) as penerima_luar_daftar,
        sum(nilai_tersalur) as nilai_tersalur
    from intervensi_stats
    where as_of = $as_of and kode_program <> '*'
    group by kode_program
)
select
    p.kode_opd,
    o.nama as opd,
    o.singkatan,
    p.kode_program,
    p.nama as program,
    p.strategi,
    p.satuan,
    p.sumber_dana,
    list.orang_di_daftar,
    list.keluarga_di_daftar,
    coalesce(s.orang_terjangkau, 0) as orang_terjangkau,
    coalesce(s.keluarga_terjangkau, 0) as keluarga_terjangkau,
    coalesce(s.penerima, 0) as penerima,
    coalesce(s.penugasan_belum_tersalur, 0) as penugasan_belum_tersalur,
    coalesce(s.penerima_luar_daftar, 0) as penerima_luar_daftar,
    coalesce(s.nilai_tersalur, 0) as nilai_tersalur
from program p
join opd o using (kode_opd)
cross join list
left join s using (kode_program)
order by o.urutan, p.kode_program
