-- changes whenever a snapshot is added, replaced or removed
select string_agg(as_of::varchar || sha256, ',' order by as_of) from snapshot
