-- expect: mysql-blocking-alter@2
ALTER TABLE users ADD INDEX users_status_idx (status), ALGORITHM=COPY;
