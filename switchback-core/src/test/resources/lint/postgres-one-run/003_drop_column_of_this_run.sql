-- expect: none
ALTER TABLE accounts DROP COLUMN old_name;
ALTER TABLE accounts RENAME TO users;
