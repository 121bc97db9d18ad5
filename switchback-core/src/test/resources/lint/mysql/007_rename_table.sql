-- expect: rename-table@2
RENAME TABLE orders TO purchases;
