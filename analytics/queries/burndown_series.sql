-- Per snapshot, for the city or one kecamatan / kelurahan: on the list, baseline remaining, scope added.
with area as (
    select kode_kelurahan
    from v_area
    where ($kode_kecamatan is null or kode_kecamatan = $kode_kecamatan)
      and ($kode_kelurahan is null or kode_kelurahan = $kode_kelurahan)
),
stats as (
    select
        a.as_of,
        sum(a.orang_aktif) as orang_aktif,
        sum(a.keluarga_aktif) as keluarga_aktif,
        sum(a.orang_sisa_baseline) as orang_sisa_baseline,
        sum(a.keluarga_sisa_baseline) as keluarga_sisa_baseline,
        sum(a.orang_baru) as orang_baru
    from area_stats a
    join area using (kode_kelurahan)
    group by a.as_of
),
flows as (
    select
        f.as_of,
        sum(f.orang) filter (where f.arus = 'keluar') as keluar,
        sum(f.orang) filter (where f.arus = 'keluar' and f.alasan = 'graduasi') as keluar_graduasi,
        sum(f.orang) filter (where f.arus = 'masuk_baru') as masuk_baru,
        sum(f.orang) filter (where f.arus = 'masuk_kembali') as masuk_kembali
    from flow_stats f
    join area using (kode_kelurahan)
    group by f.as_of
)
select
    s.as_of,
    coalesce(st.orang_aktif, 0)::integer as orang_aktif,
    coalesce(st.keluarga_aktif, 0)::integer as keluarga_aktif,
    coalesce(st.orang_sisa_baseline, 0)::integer as orang_sisa_baseline,
    coalesce(st.keluarga_sisa_baseline, 0)::integer as keluarga_sisa_baseline,
    coalesce(st.orang_baru, 0)::integer as orang_baru,
    coalesce(fl.keluar, 0)::integer as keluar,
    coalesce(fl.keluar_graduasi, 0)::integer as keluar_graduasi,
    coalesce(fl.masuk_baru, 0)::integer as masuk_baru,
    coalesce(fl.masuk_kembali, 0)::integer as masuk_kembali
from snapshot s
left join stats st using (as_of)
left join flows fl using (as_of)
order by s.as_of
