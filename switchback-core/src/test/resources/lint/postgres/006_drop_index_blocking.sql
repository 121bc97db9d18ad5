-- expect: drop-index-blocking@2
DROP INDEX orders_customer_idx;
