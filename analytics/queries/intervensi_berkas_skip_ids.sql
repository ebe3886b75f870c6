-- hand out $n file ids unused (DuckDB has no setval)
select max(nextval('intervensi_berkas_id_seq')) from range($n)
