-- expect: create-index-blocking@3
-- An index on a busy table, built the blocking way.
CREATE INDEX orders_placed_idx ON orders (placed_at);
