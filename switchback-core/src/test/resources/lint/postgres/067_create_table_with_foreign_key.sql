-- expect: none
CREATE TABLE refunds (
    id       bigint PRIMARY KEY,
    order_id integer NOT NULL REFERENCES orders (id),
    amount   numeric(10, 2) NOT NULL CHECK (amount > 0)
);
