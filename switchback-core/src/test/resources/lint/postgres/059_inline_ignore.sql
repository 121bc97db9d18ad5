-- expect: create-index-blocking@2, create-index-blocking@4/ignored
CREATE INDEX customers_created_idx ON customers (created_at);
-- switchback:ignore create-index-blocking customers has 40 rows in every environment
CREATE INDEX customers_status_idx ON customers (status);
