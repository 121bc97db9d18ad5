-- expect: none
# MySQL 8 and MariaDB 10.3+ add a nullable column instantly, without being told.
ALTER TABLE users ADD COLUMN nickname VARCHAR(50) NULL AFTER name;
ALTER TABLE users ADD INDEX users_name_idx (name);
