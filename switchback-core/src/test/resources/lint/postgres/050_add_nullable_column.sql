-- expect: none
-- A nullable column, or one with a default: the serving release never notices.
ALTER TABLE customers ADD COLUMN phone varchar(40);
ALTER TABLE customers ADD COLUMN locale text NOT NULL DEFAULT 'en';
