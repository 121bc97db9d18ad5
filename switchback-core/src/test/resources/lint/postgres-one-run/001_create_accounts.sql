-- expect: none
-- On a fresh database migrate applies 001 to 003 in one run: every table is still empty.
CREATE TABLE accounts (id bigint PRIMARY KEY, email text, old_name text);
