-- expect: drop-default-on-required@2
ALTER TABLE customers ALTER COLUMN created_at DROP DEFAULT;
