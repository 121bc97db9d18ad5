-- expect: none
CREATE TABLE countries (code char(2) PRIMARY KEY, name text NOT NULL);
INSERT INTO countries (code, name) VALUES ('DE', 'Germany'), ('FR', 'France');
INSERT INTO countries SELECT 'NL', 'Netherlands';
UPDATE countries SET name = upper(name);
