-- expect: table-rewrite-maintenance@3
-- switchback:no-transaction
VACUUM FULL orders;
