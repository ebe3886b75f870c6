-- the last file id handed out (0 before the first)
select coalesce(last_value, 0) from duckdb_sequences() where sequence_name = 'intervensi_berkas_id_seq'
