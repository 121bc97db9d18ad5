-- expect: add-column-rewrite@2
ALTER TABLE customers ADD COLUMN seq bigserial;
