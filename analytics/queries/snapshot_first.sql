select min(as_of) from snapshot
