-- expect: drop-column@2
ALTER TABLE customers DROP COLUMN name;
