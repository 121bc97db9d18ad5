-- expect: unique-constraint-blocking@2
ALTER TABLE customers ADD COLUMN handle text UNIQUE;
