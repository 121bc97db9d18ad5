-- expect: none
CREATE SEQUENCE invoice_numbers START 1000;
GRANT SELECT ON orders TO reporting;
COMMENT ON COLUMN orders.note IS 'free text';
SET search_path TO public;
ANALYZE orders;
CREATE VIEW recent_orders AS SELECT * FROM orders WHERE placed_at > now() - interval '7 days';
