select count(*) from snapshot where as_of = $as_of
