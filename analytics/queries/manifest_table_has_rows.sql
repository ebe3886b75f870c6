select exists (select 1 from query_table($table))
