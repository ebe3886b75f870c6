select count(*) from audit_log
