-- expect: none
-- A table created in this migration is empty: indexing it the plain way is fine.
CREATE TABLE shipments (id bigint PRIMARY KEY, order_id integer NOT NULL, shipped_at timestamptz);
CREATE INDEX shipments_order_idx ON shipments (order_id);
CREATE UNIQUE INDEX shipments_order_key ON shipments (order_id, shipped_at);
