-- Coverage per kelurahan at $as_of, for maps: the share of families on the list (remaining) that any
-- intervention has reached. All 59 kelurahan; cakupan is null where no family is on the list.
with f as (
    select
        kode_kelurahan,
        sum(keluarga) as keluarga_di_daftar,
        sum(keluarga) filter (
            where bantuan_pendapatan or usaha_produktif or kantong_kemiskinan
        ) as keluarga_terjangkau
    from intervensi_irisan
    where as_of = $as_of
    group by kode_kelurahan
)
select
    a.kode_kelurahan,
    a.kelurahan,
    a.kode_kecamatan,
    a.kecamatan,
    coalesce(f.keluarga_di_daftar, 0) as keluarga_di_daftar,
    coalesce(f.keluarga_terjangkau, 0) as keluarga_terjangkau,
    coalesce(f.keluarga_di_daftar, 0) - coalesce(f.keluarga_terjangkau, 0) as keluarga_belum_tersentuh,
    coalesce(f.keluarga_terjangkau, 0) / nullif(f.keluarga_di_daftar, 0) as cakupan
from v_area a
left join f using (kode_kelurahan)
order by a.kode_kelurahan
