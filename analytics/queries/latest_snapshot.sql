-- The date of the latest snapshot (null when none has been imported).
select max(as_of) as as_of from snapshot
