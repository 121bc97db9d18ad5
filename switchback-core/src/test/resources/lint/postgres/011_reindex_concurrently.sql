-- expect: none
-- switchback:no-transaction
REINDEX INDEX CONCURRENTLY orders_customer_idx;
