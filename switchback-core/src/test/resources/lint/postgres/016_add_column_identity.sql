-- expect: add-column-rewrite@2
ALTER TABLE customers ADD COLUMN ref bigint GENERATED ALWAYS AS IDENTITY;
