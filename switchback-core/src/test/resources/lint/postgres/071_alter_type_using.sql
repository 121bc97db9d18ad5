-- expect: change-column-type@2
ALTER TABLE orders ALTER COLUMN note TYPE varchar(500) USING left(note, 500);
