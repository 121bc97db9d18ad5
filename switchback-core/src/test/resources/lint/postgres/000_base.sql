-- expect: none
-- The schema every other migration here finds in production: these tables exist and are full of rows.
CREATE TABLE customers (
    id          bigint PRIMARY KEY,
    email       varchar(200) NOT NULL,
    name        varchar(100),
    status      varchar(20) NOT NULL DEFAULT 'active',
    legacy_flag boolean,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE orders (
    id          integer PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers (id),
    total       numeric(10, 2),
    note        text,
    placed_at   timestamptz
);
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE TYPE order_state AS ENUM ('new', 'paid');
CREATE TABLE events (id bigint NOT NULL, happened_at timestamptz NOT NULL) PARTITION BY RANGE (happened_at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE MATERIALIZED VIEW customer_totals AS SELECT customer_id, sum(total) AS total FROM orders GROUP BY customer_id;
CREATE UNIQUE INDEX customer_totals_key ON customer_totals (customer_id);
CREATE TABLE audit_log (id bigserial PRIMARY KEY, msg text NOT NULL);
