insert into snapshot (as_of, source_file, sha256, imported_at, imported_by, row_count, people_active, families_active, is_demo, sumber)
values ($as_of, $source_file, $sha256, $imported_at, $imported_by, $row_count, $people_active, $families_active, $is_demo, $sumber)
