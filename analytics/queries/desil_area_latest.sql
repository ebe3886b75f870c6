-- Families and people in desil 1-4 per kelurahan in the latest DTSEN file (desil_area): every
-- kelurahan with a polygon and every desil 1-4, zero where the file had none, never missing; beside
-- them the families on the city's list at that date (area_stats), a separate fact. No rows before a
-- DTSEN file is imported.
with latest as (
    select max(as_of) as as_of
    from desil_area
)
select
    l.as_of,
    a.kode_kelurahan,
    a.kelurahan,
    a.kode_kecamatan,
    a.kecamatan,
    r.desil,
    coalesce(sum(d.keluarga), 0)::integer as keluarga,
    coalesce(sum(d.orang), 0)::integer as orang,
    coalesce(any_value(st.keluarga_aktif), 0)::integer as keluarga_daftar
from latest l
cross join v_area a
cross join (select unnest([1, 2, 3, 4]) as desil) r
left join desil_area d
    on d.as_of = l.as_of
   and d.kode_kelurahan = a.kode_kelurahan
   and d.desil = r.desil
left join area_stats st
    on st.as_of = l.as_of
   and st.kode_kelurahan = a.kode_kelurahan
where l.as_of is not null
group by l.as_of, a.kode_kelurahan, a.kelurahan, a.kode_kecamatan, a.kecamatan, r.desil
order by a.kode_kelurahan, r.desil
