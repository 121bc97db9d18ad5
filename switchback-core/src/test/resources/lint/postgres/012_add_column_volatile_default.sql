-- expect: add-column-rewrite@2
ALTER TABLE orders ADD COLUMN public_id uuid DEFAULT gen_random_uuid();
