insert into intervensi_berkas (berkas_id, kode_opd, source_file, sha256, periode_dari, periode_sampai, imported_at, imported_by, row_count, is_demo)
values ($berkas_id, $kode_opd, $source_file, $sha256, $dari, $sampai, $imported_at, $imported_by, $row_count, $is_demo)
