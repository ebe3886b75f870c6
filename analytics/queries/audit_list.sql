select entry_id, logged_at, user_name, role, action, object, sha256, detail
from audit_log
where ($action is null or action = $action)
order by entry_id desc
limit $limit
