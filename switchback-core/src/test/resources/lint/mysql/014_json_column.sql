-- expect: none
ALTER TABLE orders ADD COLUMN props JSON;
