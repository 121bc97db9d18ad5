-- expect: none
-- switchback:no-transaction
-- Each statement commits on its own, so the ADD's lock is gone before VALIDATE scans.
ALTER TABLE orders ADD CONSTRAINT orders_total_min CHECK (total > -1) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_total_min;
