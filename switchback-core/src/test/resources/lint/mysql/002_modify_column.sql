-- expect: mysql-blocking-alter@2
ALTER TABLE users MODIFY COLUMN email VARCHAR(320) NOT NULL;
