-- City totals per snapshot straight from area_stats (every row, matched to a polygon or not).
select
    s.as_of,
    coalesce(sum(st.orang_aktif), 0) as orang_kota,
    coalesce(sum(st.keluarga_aktif), 0) as keluarga_kota,
    coalesce(sum(st.orang_sisa_baseline), 0) as sisa_baseline_kota
from snapshot s
left join area_stats st using (as_of)
group by s.as_of
order by s.as_of
