-- expect: none
-- Step 3: PostgreSQL 12+ sees the validated check and skips the scan.
ALTER TABLE orders ALTER COLUMN note SET NOT NULL;
ALTER TABLE orders DROP CONSTRAINT orders_note_not_null;
