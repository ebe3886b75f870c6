delete from intervensi_irisan where as_of >= $from_date
