-- expect: missing-lock-timeout@2
ALTER TABLE accounts ADD COLUMN note text;
ALTER TABLE accounts ADD COLUMN note2 text;
