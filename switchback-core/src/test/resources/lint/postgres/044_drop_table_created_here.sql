-- expect: none
CREATE TABLE import_scratch (line text);
INSERT INTO import_scratch VALUES ('a');
DROP TABLE import_scratch;
