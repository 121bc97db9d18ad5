-- expect: mysql-blocking-alter@3
-- Same type, another character set: the column is converted, the table copied.
ALTER TABLE users MODIFY name VARCHAR(100) CHARACTER SET latin1;
