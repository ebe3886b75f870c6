select as_of::varchar, sha256, row_count, people_active, families_active from snapshot order by as_of
