-- expect: unbatched-backfill@4
-- The ALTER's AccessExclusiveLock is held until the UPDATE is done.
ALTER TABLE orders ADD COLUMN state text;
UPDATE orders SET state = 'new' WHERE state IS NULL;
