-- expect: drop-column@3/ignored
-- switchback:ignore drop-column release v41 stopped reading legacy_flag (see PR 812)
ALTER TABLE customers DROP COLUMN legacy_flag;
