-- expect: concurrently-in-transaction@2
ALTER TYPE account_kind ADD VALUE 'nonprofit';
