-- The source side of the bad-input corpus (schema corpus on the test PostgreSQL).
DROP SCHEMA IF EXISTS corpus CASCADE;
CREATE SCHEMA corpus;
CREATE TABLE corpus.items (id bigint PRIMARY KEY, name text, price numeric(10,2));
INSERT INTO corpus.items SELECT g, 'item ' || g, g * 1.25 FROM generate_series(1, 100) g;
CREATE TABLE corpus."we""ird" (id int PRIMARY KEY, "col;umn" text);
INSERT INTO corpus."we""ird" SELECT g, 'v' || g FROM generate_series(1, 5) g;
CREATE TABLE corpus."back`tick" (id int PRIMARY KEY, "it's" text);
INSERT INTO corpus."back`tick" SELECT g, 'v' || g FROM generate_series(1, 5) g;
CREATE TABLE corpus."Ünïcødé_表" (id int PRIMARY KEY, "naïve" text);
INSERT INTO corpus."Ünïcødé_表" SELECT g, 'ü' || g FROM generate_series(1, 5) g;
CREATE TABLE corpus."select" (id int PRIMARY KEY, "from" text, "order" int);
INSERT INTO corpus."select" SELECT g, 'f' || g, g FROM generate_series(1, 5) g;
CREATE TABLE corpus.empty_t (id int PRIMARY KEY, v text);
CREATE TABLE corpus.nokey (id int, v text);
INSERT INTO corpus.nokey VALUES (1, 'a'), (1, 'b'), (2, 'c');
CREATE TABLE corpus.nullkey (id int, v text);
INSERT INTO corpus.nullkey VALUES (1, 'a'), (NULL, 'b'), (2, 'c');
CREATE TABLE corpus.datekey (id date PRIMARY KEY, v text);
INSERT INTO corpus.datekey VALUES ('2024-01-01', 'a');
CREATE TABLE corpus.huge (id int PRIMARY KEY, body text, bin bytea);
INSERT INTO corpus.huge VALUES (1, repeat('a', 8000000), decode(repeat('00ff', 2000000), 'hex')),
                               (2, repeat('b', 8000000) || 'x', decode(repeat('ff00', 2000000), 'hex'));
