delete from flow_stats where as_of >= $from_date
