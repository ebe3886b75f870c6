insert into population_file values ($sha256, $file_name, $imported_at, $imported_by, $row_count)
