insert into import_log (logged_at, kind, file_name, sha256, as_of, outcome, message, row_count, user_name)
values ($logged_at, $kind, $file_name, $sha256, $as_of, $outcome, $message, $row_count, $user_name)
