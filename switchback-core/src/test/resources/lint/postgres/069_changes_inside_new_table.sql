-- expect: none
CREATE TABLE coupons (id bigint PRIMARY KEY, code text NOT NULL);
ALTER TABLE coupons RENAME COLUMN code TO label;
ALTER TABLE coupons ALTER COLUMN label TYPE varchar(40);
ALTER TABLE coupons ADD COLUMN uses integer NOT NULL;
ALTER TABLE coupons ALTER COLUMN label SET NOT NULL;
CREATE INDEX coupons_label_idx ON coupons (label);
