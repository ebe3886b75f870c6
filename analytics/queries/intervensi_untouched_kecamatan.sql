-- Per kecamatan (all ten) at $as_of: families on the list and those no intervention has reached.
with f as (
    select
        a.kode_kecamatan,
        sum(i.keluarga) as keluarga_di_daftar,
        sum(i.keluarga) filter (
            where not (i.bantuan_pendapatan or i.usaha_produktif or i.kantong_kemiskinan)
        ) as keluarga_belum_tersentuh,
        sum(i.orang) filter (
            where not (i.bantuan_pendapatan or i.usaha_produktif or i.kantong_kemiskinan)
        ) as orang_belum_tersentuh
    from intervensi_irisan i
    join v_area a using (kode_kelurahan)
    where i.as_of = $as_of
    group by a.kode_kecamatan
)
select
    k.kode_kecamatan,
    k.nama as kecamatan,
    coalesce(f.keluarga_di_daftar, 0) as keluarga_di_daftar,
    coalesce(f.keluarga_belum_tersentuh, 0) as keluarga_belum_tersentuh,
    coalesce(f.orang_belum_tersentuh, 0) as orang_belum_tersentuh
from kecamatan k
left join f using (kode_kecamatan)
order by k.kode_kecamatan
