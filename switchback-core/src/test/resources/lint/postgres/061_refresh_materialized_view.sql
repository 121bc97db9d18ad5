-- expect: table-rewrite-maintenance@2
REFRESH MATERIALIZED VIEW customer_totals;
