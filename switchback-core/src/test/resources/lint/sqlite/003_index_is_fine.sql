-- expect: none
CREATE INDEX notes_body_idx ON notes (body);
UPDATE notes SET body = trim(body);
