-- the store's own tables (not temporary ones), by name
select table_name from duckdb_tables()
where database_name = current_database() and schema_name = 'main' and not temporary
order by table_name
