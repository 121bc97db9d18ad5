-- expect: unbatched-backfill@2
UPDATE orders SET note = '';
