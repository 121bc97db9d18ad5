-- expect: drop-table@2
DROP SCHEMA reporting CASCADE;
