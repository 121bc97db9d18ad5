-- expect: rename-table@2
ALTER TABLE audit_log SET SCHEMA archive;
