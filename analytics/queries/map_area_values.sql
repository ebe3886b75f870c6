-- Every snapshot x every kelurahan with a polygon: the area_stats counts, zero where a kelurahan
-- has no row (nobody on the list there), never missing. Same columns the burn-down reads.
select
    s.as_of,
    a.kode_kelurahan,
    a.kelurahan,
    a.kode_kecamatan,
    a.kecamatan,
    coalesce(st.orang_aktif, 0) as orang,
    coalesce(st.keluarga_aktif, 0) as keluarga,
    coalesce(st.orang_sisa_baseline, 0) as sisa_baseline
from snapshot s
cross join v_area a
left join area_stats st
    on st.as_of = s.as_of
   and st.kode_kelurahan = a.kode_kelurahan
order by s.as_of, a.kode_kelurahan
