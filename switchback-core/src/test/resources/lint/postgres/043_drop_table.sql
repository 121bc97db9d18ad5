-- expect: drop-table@2
DROP TABLE legacy_accounts;
