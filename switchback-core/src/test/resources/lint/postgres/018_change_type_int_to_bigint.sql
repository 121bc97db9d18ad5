-- expect: change-column-type@2
ALTER TABLE orders ALTER COLUMN id TYPE bigint;
