delete from intervensi_stats where as_of >= $from_date
