-- expect: drop-column@3, add-required-column@4
ALTER TABLE customers
    DROP COLUMN created_at,
    ADD COLUMN tenant text NOT NULL;
