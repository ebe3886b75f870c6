-- Flows summed over the snapshots after $date_from up to and including $date_to, exits with the
-- source of their reason (sumber_alasan) and, for graduasi, whether it is proven (terbukti).
select f.arus, f.alasan, f.sumber_alasan, f.terbukti, sum(f.orang)::integer as orang
from flow_stats f
join v_area v using (kode_kelurahan)
where f.as_of > $date_from
  and f.as_of <= $date_to
  and ($kode_kecamatan is null or v.kode_kecamatan = $kode_kecamatan)
  and ($kode_kelurahan is null or f.kode_kelurahan = $kode_kelurahan)
group by all
