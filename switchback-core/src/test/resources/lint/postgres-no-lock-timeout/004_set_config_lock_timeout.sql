-- expect: drop-column@3
SELECT set_config('lock_timeout', '3s', true);
ALTER TABLE accounts DROP COLUMN IF EXISTS nickname, ADD COLUMN display_name text;
