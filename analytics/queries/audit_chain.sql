select entry_id, logged_at, user_name, role, action, object, sha256, detail, prev_hash, entry_hash
from audit_log
order by entry_id
