select kode_opd, source_file, imported_at, imported_by from intervensi_berkas where sha256 = $sha256
