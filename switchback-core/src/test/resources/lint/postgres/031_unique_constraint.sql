-- expect: unique-constraint-blocking@2
ALTER TABLE customers ADD CONSTRAINT customers_email_unique UNIQUE (email);
