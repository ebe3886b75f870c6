select logged_at, kind, file_name, as_of, outcome, row_count, user_name, message, sha256
from import_log
order by log_id desc
limit $limit
