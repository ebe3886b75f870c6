select as_of, people_active, families_active, row_count, source_file, imported_at, imported_by,
       is_demo, is_baseline, sha256
from v_snapshot
order by as_of
