insert into audit_log (logged_at, user_name, role, action, object, sha256, detail, prev_hash, entry_hash)
values ($logged_at, $user_name, $role, $action, $object, $sha256, $detail, $prev_hash, $entry_hash)
