select count(*) from snapshot
