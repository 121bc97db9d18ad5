CREATE TABLE orders (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    status       VARCHAR(20) NOT NULL DEFAULT 'new',
    total_cents  INTEGER NOT NULL CHECK (total_cents >= 0),
    placed_at    TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE INDEX orders_customer_idx ON orders (customer_id);
