-- expect: rename-column@2
ALTER TABLE customers RENAME COLUMN email TO email_address;
