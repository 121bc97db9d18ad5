-- expect: change-column-type@2
ALTER TABLE customers ALTER COLUMN status TYPE varchar(10);
