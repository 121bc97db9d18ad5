-- expect: none
CREATE TABLE accounts (id bigint PRIMARY KEY, email text, plan text);
CREATE TYPE account_kind AS ENUM ('personal', 'business');
