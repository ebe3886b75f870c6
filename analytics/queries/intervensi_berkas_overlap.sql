-- The OPD's stored files whose period [periode_dari, periode_sampai] overlaps [$dari, $sampai].
select berkas_id, source_file, periode_dari, periode_sampai, imported_at, imported_by
from intervensi_berkas
where kode_opd = $kode_opd
  and periode_dari <= $sampai
  and periode_sampai >= $dari
order by periode_dari, berkas_id
