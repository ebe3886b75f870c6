select entry_id, entry_hash from audit_log order by entry_id desc limit 1
