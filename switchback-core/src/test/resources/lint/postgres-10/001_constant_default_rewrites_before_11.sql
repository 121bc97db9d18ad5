-- expect: add-column-rewrite@3
-- Before PostgreSQL 11 every default, even a constant, is written into every row.
ALTER TABLE accounts ADD COLUMN region text DEFAULT 'eu';
