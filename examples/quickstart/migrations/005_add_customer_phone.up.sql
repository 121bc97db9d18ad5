-- A nullable column: safe to add while the previous release is serving.
ALTER TABLE customers ADD COLUMN phone VARCHAR(40);
