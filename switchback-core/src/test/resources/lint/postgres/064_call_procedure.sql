-- expect: unverified-statement@2
CALL archive_old_orders(30);
