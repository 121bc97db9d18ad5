-- expect: none
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL, size TEXT);
