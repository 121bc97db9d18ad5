DROP INDEX orders_customer_idx;
DROP TABLE orders;
