-- expect: none
SET lock_timeout = '2s';
ALTER TABLE accounts ADD COLUMN nickname text;
