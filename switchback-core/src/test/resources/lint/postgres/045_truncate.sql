-- expect: drop-table@2
TRUNCATE TABLE audit_log;
