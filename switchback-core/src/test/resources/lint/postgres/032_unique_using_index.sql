-- expect: none
-- The index was built CONCURRENTLY in the migration before; taking it over is quick.
ALTER TABLE customers ADD CONSTRAINT customers_email_unique UNIQUE USING INDEX customers_email_idx;
