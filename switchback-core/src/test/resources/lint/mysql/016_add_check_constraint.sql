-- expect: mysql-blocking-alter@3
-- MariaDB 10.11 refuses INPLACE for a CHECK constraint: it needs ALGORITHM=COPY, LOCK=SHARED.
ALTER TABLE orders ADD CONSTRAINT note_short CHECK (CHAR_LENGTH(note) < 1000);
