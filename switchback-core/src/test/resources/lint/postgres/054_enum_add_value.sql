-- expect: none
ALTER TYPE order_state ADD VALUE IF NOT EXISTS 'shipped' AFTER 'paid';
