-- expect: create-index-blocking@4
-- A unique index blocks writes just the same.

CREATE UNIQUE INDEX customers_email_key
    ON customers (lower(email));
