-- switchback:phase=contract
-- The contract step: nothing still running may use the dropped table (the release that did must be cleaned up first).
DROP TABLE IF EXISTS legacy_coupons;
