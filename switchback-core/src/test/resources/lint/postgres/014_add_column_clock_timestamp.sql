-- expect: add-column-rewrite@2
ALTER TABLE orders ADD COLUMN received_at timestamptz NOT NULL DEFAULT clock_timestamp();
