-- The source format of every snapshot, oldest first: where the registry changes, time charts mark it.
select as_of, sumber
from snapshot
order by as_of
