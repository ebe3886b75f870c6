delete from intervensi_keluarga_terjangkau where as_of >= $from_date
