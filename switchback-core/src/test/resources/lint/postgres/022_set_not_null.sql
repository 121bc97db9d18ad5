-- expect: set-not-null@2
ALTER TABLE orders ALTER COLUMN placed_at SET NOT NULL;
