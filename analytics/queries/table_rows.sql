-- every row of one table, named by $table (the rebuild reads the old store's tables this way)
select * from query_table($table)
