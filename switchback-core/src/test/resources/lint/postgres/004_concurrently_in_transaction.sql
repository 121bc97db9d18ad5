-- expect: concurrently-in-transaction@2
CREATE INDEX CONCURRENTLY orders_total_idx ON orders (total);
