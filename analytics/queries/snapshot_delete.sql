delete from snapshot where as_of = $as_of
