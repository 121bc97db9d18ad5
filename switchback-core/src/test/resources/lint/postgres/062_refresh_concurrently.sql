-- expect: none
REFRESH MATERIALIZED VIEW CONCURRENTLY customer_totals;
