-- Orders get their id (a UUID) from the application: no dialect-specific auto-increment.
CREATE TABLE orders (
    id           VARCHAR(36) PRIMARY KEY,
    product_id   INTEGER NOT NULL,
    quantity     INTEGER NOT NULL CHECK (quantity > 0),
    total_cents  INTEGER NOT NULL CHECK (total_cents >= 0),
    customer     VARCHAR(200),
    created_at   TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (product_id) REFERENCES products (id)
);
