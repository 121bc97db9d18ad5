-- expect: drop-column@2
ALTER TABLE notes DROP COLUMN size;
