-- expect: none
-- Step 2: VALIDATE takes a SHARE UPDATE EXCLUSIVE lock; reads and writes go on.
ALTER TABLE orders VALIDATE CONSTRAINT orders_note_not_null;
