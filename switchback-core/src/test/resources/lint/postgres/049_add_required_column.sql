-- expect: add-required-column@2
ALTER TABLE customers ADD COLUMN tier text NOT NULL;
