-- expect: none
UPDATE orders SET note = '' WHERE id BETWEEN 1 AND 10000 AND note IS NULL;
DELETE FROM audit_log WHERE id < 1000;
