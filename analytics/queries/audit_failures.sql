-- Failed sign-ins for a name since its last successful one, within the lockout window.
select count(*) as failures, max(logged_at) as last_failure
from audit_log
where user_name = $user_name
  and action = 'masuk_gagal'
  and logged_at > $since
  and entry_id > coalesce(
      (select max(entry_id) from audit_log where user_name = $user_name and action = 'masuk'), 0
  )
