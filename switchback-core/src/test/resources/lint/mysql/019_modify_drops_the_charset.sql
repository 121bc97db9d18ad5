-- expect: mysql-blocking-alter@3
-- Same type, but without its CHARACTER SET the column takes the table's: MariaDB converts it by copying the table.
ALTER TABLE legacy_names MODIFY name VARCHAR(100) NOT NULL;
