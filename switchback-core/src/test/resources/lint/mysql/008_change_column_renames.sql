-- expect: rename-column@2
ALTER TABLE users CHANGE COLUMN name full_name VARCHAR(100), ALGORITHM=INPLACE, LOCK=NONE;
