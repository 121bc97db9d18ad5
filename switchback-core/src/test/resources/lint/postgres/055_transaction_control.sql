-- expect: transaction-control@2, transaction-control@4
BEGIN;
ALTER TABLE orders ADD COLUMN coupon text;
COMMIT;
