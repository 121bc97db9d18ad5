-- expect: none
WITH stale AS (SELECT id FROM orders WHERE placed_at < now() - interval '1 year')
DELETE FROM orders WHERE id IN (SELECT id FROM stale);
