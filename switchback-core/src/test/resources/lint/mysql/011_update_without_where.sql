-- expect: unbatched-backfill@2
UPDATE users SET status = 'active';
UPDATE users SET status = 'new' WHERE status = '' LIMIT 1000;
