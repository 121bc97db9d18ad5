-- expect: none
-- switchback:no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_note_idx ON orders (note);
