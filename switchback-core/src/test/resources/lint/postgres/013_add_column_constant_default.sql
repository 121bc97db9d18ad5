-- expect: none
-- Constant defaults and now() are stored once in the catalog from PostgreSQL 11: no rewrite.
ALTER TABLE orders ADD COLUMN currency char(3) NOT NULL DEFAULT 'EUR';
ALTER TABLE orders ADD COLUMN seen_at timestamptz DEFAULT now();
ALTER TABLE orders ADD COLUMN flags jsonb NOT NULL DEFAULT '{}'::jsonb;
ALTER TABLE orders ADD COLUMN retries integer DEFAULT 0, ADD COLUMN tag text DEFAULT lower('X');
