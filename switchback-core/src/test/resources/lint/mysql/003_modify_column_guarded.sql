-- expect: none
-- With the guard the server refuses instead of copying the table.
ALTER TABLE users MODIFY COLUMN bio VARCHAR(250), ALGORITHM=INPLACE, LOCK=NONE;
