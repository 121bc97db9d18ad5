-- expect: none
-- DROP TABLE orders; ALTER TABLE customers DROP COLUMN email; CREATE INDEX x ON orders (id);
INSERT INTO audit_log (msg) VALUES ('DROP TABLE orders; ALTER TABLE customers RENAME TO clients');
INSERT INTO audit_log (msg) VALUES (E'it\'s a \'TRUNCATE orders\'');
/* UPDATE orders SET note = ''; */
COMMENT ON TABLE orders IS 'CREATE INDEX without CONCURRENTLY is unsafe; VACUUM FULL too';
SELECT $body$ DELETE FROM orders $body$;
