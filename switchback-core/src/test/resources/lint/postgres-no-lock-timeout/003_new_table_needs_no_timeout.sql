-- expect: none
CREATE TABLE sessions (id uuid PRIMARY KEY, account_id bigint);
CREATE INDEX sessions_account_idx ON sessions (account_id);
