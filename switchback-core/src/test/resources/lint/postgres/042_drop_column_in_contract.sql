-- expect: drop-column@4/info
-- switchback:phase=contract
-- The release that read status is gone: this is the contract step.
ALTER TABLE customers DROP COLUMN IF EXISTS status;
