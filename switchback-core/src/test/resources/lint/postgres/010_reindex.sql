-- expect: table-rewrite-maintenance@2
REINDEX TABLE orders;
