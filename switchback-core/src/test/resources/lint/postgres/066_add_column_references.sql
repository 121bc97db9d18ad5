-- expect: constraint-not-valid-missing@2
ALTER TABLE orders ADD COLUMN coupon_id bigint REFERENCES coupons (id);
