-- expect: table-rewrite-maintenance@2
ALTER TABLE orders SET TABLESPACE fast_disks;
