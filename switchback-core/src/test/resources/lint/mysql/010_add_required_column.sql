-- expect: add-required-column@2
ALTER TABLE users ADD COLUMN tenant_id INT NOT NULL;
