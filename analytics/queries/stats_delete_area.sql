delete from area_stats where as_of >= $from_date
