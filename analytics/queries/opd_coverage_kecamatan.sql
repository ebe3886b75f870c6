-- Per OPD (and any OPD, '*') x kecamatan at $as_of: families on the list and families reached.
with fam as (
    select a.kode_kecamatan, sum(s.keluarga_aktif) as keluarga_di_daftar
    from area_stats s
    join v_area a using (kode_kelurahan)
    where s.as_of = $as_of
    group by a.kode_kecamatan
),
hit as (
    select st.kode_opd, a.kode_kecamatan, sum(st.keluarga_terjangkau) as keluarga_terjangkau
    from intervensi_stats st
    join v_area a using (kode_kelurahan)
    where st.as_of = $as_of and st.kode_program = '*'
    group by all
),
o as (
    select kode_opd, singkatan, urutan from opd
    union all
    select '*', 'Semua OPD', 0
)
select
    o.kode_opd,
    o.singkatan,
    k.kode_kecamatan,
    k.nama as kecamatan,
    coalesce(f.keluarga_di_daftar, 0) as keluarga_di_daftar,
    coalesce(h.keluarga_terjangkau, 0) as keluarga_terjangkau
from o
cross join kecamatan k
left join fam f on f.kode_kecamatan = k.kode_kecamatan
left join hit h on h.kode_opd = o.kode_opd and h.kode_kecamatan = k.kode_kecamatan
order by o.urutan, k.kode_kecamatan
