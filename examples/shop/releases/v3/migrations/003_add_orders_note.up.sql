-- Expand: a nullable column with no default. v1 never names it, so v1 keeps working
-- beside v2 and after a rollback of the code alone.
ALTER TABLE orders ADD COLUMN note VARCHAR(500);
