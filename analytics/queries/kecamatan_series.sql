-- Per kecamatan and snapshot: baseline remaining and on the list (zero where nobody remains).
with stats as (
    select a.as_of, v.kode_kecamatan,
           sum(a.orang_aktif) as orang_aktif,
           sum(a.keluarga_aktif) as keluarga_aktif,
           sum(a.orang_sisa_baseline) as orang_sisa_baseline,
           sum(a.keluarga_sisa_baseline) as keluarga_sisa_baseline,
           sum(a.orang_baru) as orang_baru
    from area_stats a
    join v_area v using (kode_kelurahan)
    group by all
)
select
    s.as_of,
    k.kode_kecamatan,
    k.nama as kecamatan,
    coalesce(st.orang_aktif, 0)::integer as orang_aktif,
    coalesce(st.keluarga_aktif, 0)::integer as keluarga_aktif,
    coalesce(st.orang_sisa_baseline, 0)::integer as orang_sisa_baseline,
    coalesce(st.keluarga_sisa_baseline, 0)::integer as keluarga_sisa_baseline,
    coalesce(st.orang_baru, 0)::integer as orang_baru
from snapshot s
cross join kecamatan k
left join stats st on st.as_of = s.as_of and st.kode_kecamatan = k.kode_kecamatan
order by k.kode_kecamatan, s.as_of
