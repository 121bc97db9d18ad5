-- expect: drop-column@3/info
-- switchback:phase=contract
ALTER TABLE users DROP COLUMN bio;
