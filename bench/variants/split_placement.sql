-- Split variant, statement 1 of 4 (bench/untouched_variants.py): untouched families per kelurahan,
-- in page order.
select k.kode_kelurahan, k.nama as kelurahan, k.kode_kecamatan, c.nama as kecamatan,
       coalesce(sum(i.keluarga), 0)::bigint as n
from kelurahan k join kecamatan c using (kode_kecamatan)
left join intervensi_irisan i on i.kode_kelurahan = k.kode_kelurahan and i.as_of = $as_of
     and not (i.bantuan_pendapatan or i.usaha_produktif or i.kantong_kemiskinan)
group by all
order by k.kode_kecamatan, k.nama
