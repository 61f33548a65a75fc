"""Index, type, schema, sequence, comment and cascade DDL forms of issue 3 item 1, and the
statements the replay keeps opaque, run on a PostgreSQL 15 server and through dbvet's replay
(tables and columns: test_pg_replay_forms.py).

Every case applies its migrations to a scratch database (each as one query string, as Prisma
and golang-migrate send a file), reads the catalog back and requires the replay's facts to
equal the server's, all of them. `expect` pins the facts the case is about as the server
reported them (None: the object is gone), so a case also fails if both sides drift together.
Without a server the cases skip (and fail under DBVET_REQUIRE_DB=1).
"""

from __future__ import annotations

from typing import Any

import pytest
from pg_catalog import replay_against_server

CASES: dict[str, tuple[tuple[str, ...], dict[str, Any]]] = {
    # --- indexes -------------------------------------------------------------------------
    "create, drop and rename indexes": (
        (
            "CREATE TABLE t (id int, a int, b text, c text, d jsonb, f int4range, g timestamptz);",
            (
                "CREATE INDEX named ON t (a); CREATE UNIQUE INDEX ON t (a, b); CREATE INDEX ON t (a DESC NULLS LAST, b);"
                " CREATE INDEX ON t USING gin (d); CREATE INDEX ON t USING gin (d jsonb_path_ops); CREATE INDEX ON t USING gist (f);"
                " CREATE INDEX ON t USING hash (b); CREATE INDEX ON t USING brin (g); CREATE INDEX IF NOT EXISTS named ON t (b);"
            ),
            "CREATE INDEX CONCURRENTLY conc ON t (c);",
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS conc2 ON t (c, a);",
            (
                "DROP INDEX named; DROP INDEX IF EXISTS ghost_idx; ALTER INDEX conc RENAME TO conc_renamed;"
                " ALTER INDEX IF EXISTS ghost RENAME TO ghost2;"
            ),
            "DROP INDEX CONCURRENTLY conc2;",
            "DROP INDEX IF EXISTS t_b_idx CASCADE;",
        ),
        {
            "index public.t t_a_b_idx columns": ["a", "b"],
            "index public.t t_a_b_idx1 columns": ["a", "b"],
            "index public.t t_d_idx method": "gin",
            "index public.t t_d_idx1 method": "gin",
            "index public.t t_f_idx method": "gist",
            "index public.t t_g_idx method": "brin",
            "index public.t conc_renamed columns": ["c"],
            "index public.t named columns": None,
            "index public.t conc2 columns": None,
        },
    ),
    "partial, expression and INCLUDE indexes": (
        (
            "CREATE TABLE t (id int, a int, b text, c text, d jsonb);",
            (
                "CREATE INDEX ON t (b) WHERE a > 0 AND c IS NULL; CREATE UNIQUE INDEX partial_u ON t (b) WHERE c = 'x';"
                " CREATE INDEX ON t (lower(b)); CREATE INDEX ON t ((a + id)); CREATE INDEX ON t (lower(b), upper(c));"
                " CREATE INDEX ON t (a) INCLUDE (b, c); CREATE INDEX ON t ((d->>'k')); CREATE INDEX ON t (coalesce(a, 0));"
                ' CREATE INDEX ON t (b text_pattern_ops); CREATE INDEX ON t (b COLLATE "C");'
                " CREATE INDEX ON t USING gin (to_tsvector('english', b));"
            ),
        ),
        {
            "index public.t t_b_idx predicate": "((a > 0) AND (c IS NULL))",
            "index public.t partial_u predicate": "(c = 'x'::text)",
            "index public.t t_lower_idx columns": ["lower(b)"],
            "index public.t t_expr_idx columns": ["(a + id)"],
            "index public.t t_lower_upper_idx columns": ["lower(b)", "upper(c)"],
            "index public.t t_a_b_c_idx include": ["b", "c"],
            "index public.t t_expr_idx1 columns": ["(d ->> 'k'::text)"],
            "index public.t t_coalesce_idx columns": ["COALESCE(a, 0)"],
            "index public.t t_b_idx1 columns": ["b"],
            "index public.t t_b_idx2 columns": ["b"],
            "index public.t t_to_tsvector_idx columns": ["to_tsvector('english'::regconfig, b)"],
        },
    ),
    "expressions print with the column types": (
        (
            (
                "CREATE TYPE st AS ENUM ('a', 'b'); CREATE TABLE t (id int, email varchar(255), s st, c char(3), active boolean,"
                " n numeric, big bigint, tags text[], vtags varchar(5)[], name text);"
            ),
            (
                "CREATE INDEX ON t (lower(email)); CREATE INDEX p1 ON t (id) WHERE s = 'a'; CREATE INDEX p2 ON t (id) WHERE email = 'x';"
                " CREATE INDEX p3 ON t (id) WHERE c = 'abc'; CREATE INDEX p4 ON t (id) WHERE active;"
                " CREATE INDEX p5 ON t (id) WHERE n > 1.5; CREATE INDEX p6 ON t (id) WHERE big > 5;"
                " CREATE INDEX p7 ON t (id) WHERE s IN ('a', 'b'); CREATE INDEX p8 ON t (id) WHERE email LIKE 'x%';"
                " CREATE INDEX p9 ON t (id) WHERE 'x' = ANY (tags); CREATE INDEX p10 ON t (id) WHERE email IN ('a', 'b');"
                " CREATE INDEX p11 ON t (id) WHERE 'x' = ANY (vtags); CREATE INDEX p12 ON t (upper(c));"
                " CREATE INDEX p13 ON t (coalesce(email, '')); CREATE INDEX p14 ON t ((email || name));"
                " CREATE INDEX p15 ON t (id) WHERE s IS DISTINCT FROM 'b'; CREATE INDEX p16 ON t (id) WHERE n BETWEEN 1 AND 2;"
            ),
        ),
        {
            "index public.t t_lower_idx columns": ["lower((email)::text)"],
            "index public.t p1 predicate": "(s = 'a'::st)",
            "index public.t p2 predicate": "((email)::text = 'x'::text)",
            "index public.t p3 predicate": "(c = 'abc'::bpchar)",
            "index public.t p4 predicate": "active",
            "index public.t p5 predicate": "(n > 1.5)",
            "index public.t p7 predicate": "(s = ANY (ARRAY['a'::st, 'b'::st]))",
            "index public.t p8 predicate": "((email)::text ~~ 'x%'::text)",
            "index public.t p9 predicate": "('x'::text = ANY (tags))",
            "index public.t p10 predicate": "((email)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))",
            "index public.t p11 predicate": "('x'::text = ANY ((vtags)::text[]))",
            "index public.t p12 columns": ["upper((c)::text)"],
            "index public.t p13 columns": ["COALESCE(email, ''::character varying)"],
            "index public.t p14 columns": ["((email)::text || name)"],
            "index public.t p15 predicate": "(s IS DISTINCT FROM 'b'::st)",
            "index public.t p16 predicate": "((n >= (1)::numeric) AND (n <= (2)::numeric))",
        },
    ),
    # --- types ---------------------------------------------------------------------------
    "enums": (
        (
            (
                "CREATE TYPE mood AS ENUM ('sad', 'happy'); CREATE TYPE \"Status\" AS ENUM ('A', 'B');"
                " CREATE TABLE t (m mood DEFAULT 'sad', s \"Status\" NOT NULL DEFAULT 'A', ms mood[]);"
            ),
            "ALTER TYPE mood ADD VALUE 'ok' BEFORE 'happy';",
            (
                "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'ecstatic' AFTER 'happy'; ALTER TYPE mood ADD VALUE IF NOT EXISTS 'ok';"
                " ALTER TYPE mood ADD VALUE 'meh';"
            ),
            "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue'; ALTER TYPE \"Status\" RENAME TO status_kind;",
            (
                "CREATE TYPE gone AS ENUM ('x'); DROP TYPE gone; DROP TYPE IF EXISTS ghost; CREATE TYPE user_role AS ENUM ('a');"
                " CREATE TABLE u (r user_role, id int); DROP TYPE user_role CASCADE;"
            ),
        ),
        {
            "enum public.mood": ["blue", "ok", "happy", "ecstatic", "meh"],
            "enum public.status_kind": ["A", "B"],
            "column public.t m default": "'blue'::mood",
            "column public.t s type": "status_kind",
            "column public.t s default": "'A'::status_kind",
            "column public.t ms type": "mood[]",
            "enum public.user_role": None,
            "table public.u": True,
        },
    ),
    "domains": (
        (
            (
                (
                    "CREATE DOMAIN email AS text CHECK (VALUE ~ '@'); CREATE DOMAIN posint AS int NOT NULL DEFAULT 1;"
                    " CREATE TABLE t (e email, p posint, q posint DEFAULT 5);"
                ),
            )
        ),
        {
            "column public.t e type": "email",
            "column public.t p type": "posint",
            "column public.t p nullable": True,
            "column public.t p default": None,
            "column public.t q default": "5",
        },
    ),
    # --- schemas -------------------------------------------------------------------------
    "schemas and search_path": (
        (
            (
                "CREATE SCHEMA app; CREATE SCHEMA IF NOT EXISTS app; CREATE TYPE app.kind AS ENUM ('x', 'y');"
                " CREATE TABLE app.items (id int PRIMARY KEY, k app.kind DEFAULT 'x');"
            ),
            (
                "SET search_path TO app, public; CREATE TABLE things (id int PRIMARY KEY, k kind, item int REFERENCES items);"
                " CREATE INDEX ON things (k); CREATE TYPE mood AS ENUM ('a');"
            ),
            "SET search_path TO public; CREATE TABLE things (id int PRIMARY KEY, x app.kind, m app.mood DEFAULT 'a');",
            (
                "CREATE SCHEMA doomed; CREATE TABLE doomed.t (id int PRIMARY KEY); CREATE TABLE public.refs (d int REFERENCES doomed.t);"
                " DROP SCHEMA doomed CASCADE;"
            ),
            "ALTER TABLE app.items SET SCHEMA public; ALTER TYPE app.kind SET SCHEMA public;",
        ),
        {
            "column app.things k type": "kind",
            "index app.things things_k_idx columns": ["k"],
            "foreign key app.things things_item_fkey ref_table": "public.items",
            "column public.things x type": "kind",
            "column public.things m type": "app.mood",
            "column public.things m default": "'a'::app.mood",
            "column public.items k type": "kind",
            "column public.items k default": "'x'::kind",
            "enum public.kind": ["x", "y"],
            "foreign key public.refs refs_d_fkey columns": None,
            "table doomed.t": None,
        },
    ),
    "SET LOCAL search_path ends with its transaction": (
        (
            "CREATE SCHEMA app; SET LOCAL search_path TO app; CREATE TABLE a1 (id int);",
            "CREATE TABLE a2 (id int);",
            "BEGIN; SET LOCAL search_path TO app; CREATE TABLE a3 (id int); COMMIT; CREATE TABLE a4 (id int);",
        ),
        {
            "table app.a1": True,
            "table public.a2": True,
            "table app.a3": True,
            "table public.a4": True,
        },
    ),
    # --- serial, identity, generated ---------------------------------------------------------
    "serial, identity and generated columns": (
        (
            (
                "CREATE TABLE t (a serial, b bigserial PRIMARY KEY, c smallserial, d int GENERATED ALWAYS AS IDENTITY,"
                " e bigint GENERATED BY DEFAULT AS IDENTITY (START WITH 10), f int NOT NULL,"
                " g int GENERATED ALWAYS AS (a * 2) STORED, h text GENERATED ALWAYS AS (lower('X' || f)) STORED,"
                " email varchar(9), i text GENERATED ALWAYS AS (lower(email)) STORED);"
            ),
            (
                "ALTER TABLE t ALTER COLUMN f ADD GENERATED BY DEFAULT AS IDENTITY; ALTER TABLE t ALTER COLUMN d DROP IDENTITY;"
                " ALTER TABLE t ALTER COLUMN e SET GENERATED ALWAYS; ALTER TABLE t ADD COLUMN j serial;"
            ),
            'CREATE SCHEMA s; CREATE TABLE s.t (id serial PRIMARY KEY); CREATE TABLE "Mixed" ("Id" serial);',
        ),
        {
            "column public.t a default": "nextval('t_a_seq'::regclass)",
            "column public.t b type": "bigint",
            "column public.t c type": "smallint",
            "column public.t d identity": None,
            "column public.t e identity": "always",
            "column public.t f identity": "by default",
            "column public.t g generated": "(a * 2)",
            "column public.t h generated": "lower(('X'::text || f))",
            "column public.t i generated": "lower((email)::text)",
            "column public.t j default": "nextval('t_j_seq'::regclass)",
            "column s.t id default": "nextval('s.t_id_seq'::regclass)",
            "column public.Mixed Id default": "nextval('\"Mixed_Id_seq\"'::regclass)",
        },
    ),
    "a recreated table's sequence gets the next name": (
        (
            "CREATE TABLE t (id serial PRIMARY KEY, v int);",
            "ALTER TABLE t RENAME TO t_old; CREATE TABLE t (id serial PRIMARY KEY, v int);",
            "DROP TABLE t_old; ALTER SEQUENCE t_id_seq1 RENAME TO t_ident_seq; CREATE TABLE u (id serial);",
        ),
        {
            "column public.t id default": "nextval('t_ident_seq'::regclass)",
            "column public.u id default": "nextval('u_id_seq'::regclass)",
            "table public.t primary_key": {"name": "t_pkey1", "columns": ["id"]},
        },
    ),
    # --- comments, cascades, opaque statements -----------------------------------------------
    "comments": (
        (
            (
                "CREATE TABLE t (a int, b int); COMMENT ON TABLE t IS 'the table'; COMMENT ON COLUMN t.a IS 'it''s a';"
                " COMMENT ON COLUMN public.t.b IS 'b';"
            ),
            (
                "COMMENT ON COLUMN t.b IS NULL; COMMENT ON TABLE t IS ''; CREATE INDEX t_a ON t (a); COMMENT ON INDEX t_a IS 'ix';"
                " CREATE TYPE e AS ENUM ('x'); COMMENT ON TYPE e IS 'en';"
            ),
        ),
        {
            "table public.t comment": None,
            "column public.t a comment": "it's a",
            "column public.t b comment": None,
        },
    ),
    "DROP … CASCADE drops dependent constraints": (
        (
            (
                "CREATE TABLE p (id int PRIMARY KEY, k int, CONSTRAINT p_k_key UNIQUE (k));"
                " CREATE TABLE t (id int PRIMARY KEY, a int REFERENCES p, b int REFERENCES p (k)); CREATE TABLE u (x int REFERENCES p);"
                " CREATE VIEW v AS SELECT * FROM p;"
            ),
            "ALTER TABLE p DROP CONSTRAINT p_k_key CASCADE;",
            "ALTER TABLE p DROP CONSTRAINT p_pkey CASCADE;",
            "CREATE TABLE q (id int PRIMARY KEY); CREATE TABLE r (q int REFERENCES q); DROP TABLE q CASCADE;",
            "DROP TABLE IF EXISTS ghost, p CASCADE;",
        ),
        {
            "foreign key public.t t_b_fkey columns": None,
            "foreign key public.t t_a_fkey columns": None,
            "foreign key public.u u_x_fkey columns": None,
            "foreign key public.r r_q_fkey columns": None,
            "table public.p": None,
            "table public.r": True,
        },
    ),
    "temporary tables end with their migration": (
        (
            (
                "CREATE TABLE t (id int PRIMARY KEY); CREATE TEMP TABLE scratch ON COMMIT DROP AS SELECT id FROM t;"
                " CREATE TEMPORARY TABLE work (id int PRIMARY KEY); CREATE UNIQUE INDEX ON scratch (id);"
            ),
            "CREATE TABLE scratch (x int);",
        ),
        {
            "table public.scratch": True,
            "table public.work": None,
            "column public.scratch x type": "integer",
        },
    ),
    "functions, DO blocks, triggers, views, grants and data are opaque": (
        (
            "CREATE TABLE t (id int PRIMARY KEY, a int);",
            (
                "CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;"
                " CREATE FUNCTION g() RETURNS void LANGUAGE sql AS $$ CREATE TABLE never (x int) $$;"
                " CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f(); CREATE VIEW v AS SELECT id FROM t;"
                " CREATE MATERIALIZED VIEW mv AS SELECT id FROM t; GRANT SELECT ON t TO PUBLIC; INSERT INTO t VALUES (1, 2);"
                " UPDATE t SET a = 3 WHERE id = 1; DELETE FROM t WHERE id = 2; DO $$ BEGIN UPDATE t SET a = 4; END $$;"
                " CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE SEQUENCE s; ALTER SEQUENCE s RESTART; CREATE INDEX ON mv (id);"
                " REFRESH MATERIALIZED VIEW mv; ANALYZE t; CREATE OR REPLACE VIEW v AS SELECT id, a FROM t; DROP VIEW v;"
            ),
        ),
        {
            "table public.never": None,
            "column public.t a type": "integer",
            "column public.t hidden type": None,
        },
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_replay_equals_the_server(name, pg_database):
    migrations, expect = CASES[name]
    assert replay_against_server(pg_database, migrations, expect) == ([], expect)
