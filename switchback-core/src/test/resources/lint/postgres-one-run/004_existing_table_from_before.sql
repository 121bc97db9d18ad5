-- expect: create-index-blocking@3
-- legacy was not created in this run: it exists and has rows.
CREATE INDEX legacy_idx ON legacy (id);
CREATE INDEX users_token_idx ON users (token);
