-- expect: rename-table@2
ALTER TABLE orders RENAME TO purchases;
