select max(as_of) from snapshot
