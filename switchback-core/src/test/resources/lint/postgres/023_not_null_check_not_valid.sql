-- expect: none
-- Step 1 of the safe SET NOT NULL: a check that is not validated yet.
ALTER TABLE orders ADD CONSTRAINT orders_note_not_null CHECK (note IS NOT NULL) NOT VALID;
