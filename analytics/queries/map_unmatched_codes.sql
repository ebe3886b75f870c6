-- area_stats codes with no polygon: kelurahan codes missing from `polygon_kelurahan`, or whose
-- kecamatan part is missing from `polygon_kecamatan` (both registered from the GeoJSON files).
select
    st.kode_kelurahan,
    not exists (select 1 from polygon_kelurahan p where p.kode = st.kode_kelurahan) as tanpa_poligon_kelurahan,
    not exists (
        select 1 from polygon_kecamatan p where p.kode = substr(st.kode_kelurahan, 1, 8)
    ) as tanpa_poligon_kecamatan,
    count(*) as baris,
    min(st.as_of) as pertama,
    max(st.as_of) as terakhir,
    coalesce(sum(st.orang_aktif) filter (where st.as_of = (select max(as_of) from snapshot)), 0)
        as orang_terakhir
from area_stats st
where not exists (select 1 from polygon_kelurahan p where p.kode = st.kode_kelurahan)
   or not exists (select 1 from polygon_kecamatan p where p.kode = substr(st.kode_kelurahan, 1, 8))
group by st.kode_kelurahan
order by st.kode_kelurahan
