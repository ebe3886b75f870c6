-- rows present up to the anchored head, and the hash of the head row itself
select count(*), max(entry_hash) filter (where entry_id = $last_id) from audit_log where entry_id <= $last_id
