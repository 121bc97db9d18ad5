-- expect: table-rewrite-maintenance@2
CLUSTER orders USING orders_customer_idx;
