-- expect: none
-- Only NOT NULL changes (same type): MariaDB 10.11 runs it with ALGORITHM=INPLACE, LOCK=NONE.
ALTER TABLE orders MODIFY props JSON NOT NULL;
