-- Per OPD (and any OPD, '*') in one area at $as_of: families on the list there and families reached.
-- The area is a kecamatan ($kode_kecamatan) or a kelurahan ($kode_kelurahan); null = not filtered.
with area as (
    select kode_kelurahan
    from v_area
    where ($kode_kecamatan is null or kode_kecamatan = $kode_kecamatan)
      and ($kode_kelurahan is null or kode_kelurahan = $kode_kelurahan)
),
fam as (
    select sum(s.keluarga_aktif) as keluarga_di_daftar
    from area_stats s
    join area using (kode_kelurahan)
    where s.as_of = $as_of
),
hit as (
    select st.kode_opd, sum(st.keluarga_terjangkau) as keluarga_terjangkau
    from intervensi_stats st
    join area using (kode_kelurahan)
    where st.as_of = $as_of and st.kode_program = '*'
    group by st.kode_opd
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
    coalesce((select keluarga_di_daftar from fam), 0) as keluarga_di_daftar,
    coalesce(h.keluarga_terjangkau, 0) as keluarga_terjangkau
from o
left join hit h using (kode_opd)
order by o.urutan, o.kode_opd
