-- expect: none
-- Widening a varchar and varchar to text keep the table as it is.
ALTER TABLE customers ALTER COLUMN name TYPE varchar(200);
ALTER TABLE customers ALTER COLUMN email SET DATA TYPE text;
ALTER TABLE orders ALTER COLUMN total TYPE numeric(12, 2);
ALTER TABLE customers ALTER COLUMN name TYPE text USING name::text;
