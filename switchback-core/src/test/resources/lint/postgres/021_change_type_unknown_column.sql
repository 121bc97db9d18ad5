-- expect: change-column-type@3
-- legacy_accounts was created outside these migrations: the current type is unknown.
ALTER TABLE legacy_accounts ALTER COLUMN code TYPE text;
