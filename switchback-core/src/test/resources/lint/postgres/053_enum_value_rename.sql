-- expect: enum-value-rename@2
ALTER TYPE order_state RENAME VALUE 'paid' TO 'settled';
