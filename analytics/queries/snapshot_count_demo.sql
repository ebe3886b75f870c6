select count(*) from snapshot where is_demo
