select as_of, source_file, imported_at, imported_by from snapshot where sha256 = $sha256
