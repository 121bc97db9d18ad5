-- expect: add-column-rewrite@2
ALTER TABLE orders ADD COLUMN code text DEFAULT make_order_code();
