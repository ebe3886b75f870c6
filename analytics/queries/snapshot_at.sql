select as_of from snapshot where as_of = $as_of
