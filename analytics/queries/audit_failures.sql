-- Counted failed sign-ins for a name since $since: from one client since that client's last
-- successful sign-in for the name, and from all clients since the name's last successful sign-in.
-- Attempts refused during a wait ($throttled detail) are logged but do not count.
select
    count(*) filter (where f.object = $client and f.entry_id > s.client_ok) as client_failures,
    max(f.logged_at) filter (where f.object = $client and f.entry_id > s.client_ok) as client_last,
    count(*) filter (where f.entry_id > s.name_ok) as name_failures,
    max(f.logged_at) filter (where f.entry_id > s.name_ok) as name_last
from audit_log as f,
    (
        select
            coalesce(max(entry_id) filter (where object = $client), 0) as client_ok,
            coalesce(max(entry_id), 0) as name_ok
        from audit_log
        where user_name = $user_name and action = 'masuk'
    ) as s
where f.user_name = $user_name
  and f.action = 'masuk_gagal'
  and f.logged_at > $since
  and coalesce(f.detail, '') not like $throttled
