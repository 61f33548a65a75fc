"""Each table and column DDL form of issue 3 item 1, run on a PostgreSQL 15 server and through
dbvet's replay (indexes, types, schemas and the rest: test_pg_replay_forms_objects.py).

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
    # --- check expressions, printed for the column types (casts, arrays, CASE on its lines) --
    "check expressions": (
        (
            "CREATE TYPE mood AS ENUM ('x', 'y');\nCREATE TABLE ck (s varchar(10), t text, n int, b bigint, st mood);",
            "ALTER TABLE ck ADD CONSTRAINT a CHECK (s::text = ANY ((ARRAY['a'::varchar, 'b'::varchar])::text[])),"
            " ADD CONSTRAINT b CHECK (b = ANY (ARRAY[1, 2]::bigint[])), ADD CONSTRAINT c CHECK (t = ANY (ARRAY[s, t]::text[])),"
            " ADD CONSTRAINT d CHECK (n > 0 AND CASE WHEN n > 1 THEN t IS NULL ELSE CASE WHEN n > 2 THEN true ELSE false END END),"
            " ADD CONSTRAINT e CHECK (CASE WHEN n > 0 THEN true END),"
            " ADD CONSTRAINT f CHECK (CASE WHEN st <> 'x' THEN t IS NULL ELSE true END), ADD CONSTRAINT g CHECK (s <> '');",
            "ALTER TABLE ck ALTER COLUMN s TYPE text;",
        ),
        {
            "check public.ck a expression": "(s = ANY (ARRAY[('a'::character varying)::text, ('b'::character varying)::text]))",
            "check public.ck b expression": "(b = ANY (ARRAY[(1)::bigint, (2)::bigint]))",
            "check public.ck c expression": "(t = ANY (ARRAY[s, t]))",
            "check public.ck d expression": (
                "((n > 0) AND\nCASE\n    WHEN (n > 1) THEN (t IS NULL)\n    ELSE\n    CASE\n        WHEN (n > 2) THEN true\n"
                "        ELSE false\n    END\nEND)"
            ),
            "check public.ck e expression": "\nCASE\n    WHEN (n > 0) THEN true\n    ELSE NULL::boolean\nEND",
            "check public.ck f expression": "\nCASE\n    WHEN (st <> 'x'::mood) THEN (t IS NULL)\n    ELSE true\nEND",
            "check public.ck g expression": "(s <> ''::text)",
        },
    ),
    # --- ALTER TABLE: columns -------------------------------------------------------------
    "add column": (
        (
            "CREATE TABLE t (id int);",
            (
                "ALTER TABLE t ADD COLUMN a text NOT NULL DEFAULT 'x', ADD COLUMN IF NOT EXISTS id bigint,"
                " ADD b varchar(20) UNIQUE, ADD COLUMN c numeric(10) CHECK (c > 0), ADD COLUMN d int PRIMARY KEY;"
            ),
        ),
        {
            "column public.t a default": "'x'::text",
            "column public.t id type": "integer",
            "column public.t c type": "numeric(10,0)",
            "index public.t t_b_key columns": ["b"],
            "check public.t t_c_check validated": True,
            "table public.t primary_key": {"name": "t_pkey", "columns": ["d"]},
        },
    ),
    "drop column takes what uses it": (
        (
            (
                "CREATE TABLE p (id int PRIMARY KEY, k int UNIQUE);"
                " CREATE TABLE t (id int PRIMARY KEY, a int, b text, c int REFERENCES p (k), d int, e int CHECK (e > a), f int);"
            ),
            (
                "CREATE INDEX ON t (a, d); CREATE INDEX ON t (lower(b)); CREATE INDEX t_part ON t (d) WHERE f > 0;"
                " CREATE INDEX t_inc ON t (d) INCLUDE (f);"
            ),
            "ALTER TABLE t DROP COLUMN a, DROP COLUMN b, DROP COLUMN IF EXISTS zz, DROP f;",
            "ALTER TABLE p DROP COLUMN k CASCADE;",
        ),
        {
            "index public.t t_d_idx columns": None,
            "index public.t t_inc columns": None,
            "index public.t t_part columns": None,
            "index public.t t_lower_idx columns": None,
            "check public.t t_check validated": None,
            "foreign key public.t t_c_fkey columns": None,
        },
    ),
    "alter column type": (
        (
            (
                "CREATE TABLE t (a varchar(10) DEFAULT 'x', b int DEFAULT 5, c text, d int, e text DEFAULT 'y');"
                " CREATE INDEX ON t (a); CREATE UNIQUE INDEX ON t (b, c);"
            ),
            (
                "ALTER TABLE t ALTER COLUMN a TYPE text, ALTER COLUMN b TYPE bigint, ALTER COLUMN c SET DATA TYPE varchar(5),"
                " ALTER d TYPE text USING d::text, ALTER COLUMN e TYPE varchar(3);"
            ),
        ),
        {
            "column public.t a type": "text",
            "column public.t a default": "'x'::character varying",
            "column public.t b default": "5",
            "column public.t d type": "text",
            "column public.t e default": "'y'::text",
            "index public.t t_b_c_idx columns": ["b", "c"],
        },
    ),
    "alter column type reprints index expressions": (
        (
            "CREATE TABLE t (id int, email varchar(255), code text, n int);",
            (
                "CREATE INDEX e1 ON t (lower(email)); CREATE INDEX e2 ON t (id) WHERE email = 'x';"
                " CREATE INDEX e3 ON t (lower(code)); CREATE INDEX e4 ON t (id) WHERE n > 5;"
            ),
            (
                "ALTER TABLE t ALTER COLUMN email TYPE text; ALTER TABLE t ALTER COLUMN code TYPE varchar(20);"
                " ALTER TABLE t ALTER COLUMN n TYPE numeric;"
            ),
        ),
        {
            "index public.t e1 columns": ["lower(email)"],
            "index public.t e2 predicate": "(email = 'x'::text)",
            "index public.t e3 columns": ["lower((code)::text)"],
            "index public.t e4 predicate": "(n > (5)::numeric)",
        },
    ),
    "enum conversion as Prisma writes it": (
        (
            (
                "CREATE TYPE \"Role\" AS ENUM ('USER', 'ADMIN'); CREATE TABLE \"User\" (id serial PRIMARY KEY,"
                ' "role" "Role" NOT NULL DEFAULT \'USER\', roles "Role"[] DEFAULT ARRAY[\'USER\']::"Role"[]);'
            ),
            (
                "ALTER TYPE \"Role\" RENAME TO \"Role_old\"; CREATE TYPE \"Role\" AS ENUM ('USER', 'ADMIN', 'OWNER');"
                ' ALTER TABLE "User" ALTER COLUMN "role" DROP DEFAULT, ALTER COLUMN roles DROP DEFAULT;'
                ' ALTER TABLE "User" ALTER COLUMN "role" TYPE "Role" USING ("role"::text::"Role"),'
                ' ALTER COLUMN roles TYPE "Role"[] USING (roles::text::"Role"[]);'
                ' ALTER TABLE "User" ALTER COLUMN "role" SET DEFAULT \'USER\'; DROP TYPE "Role_old";'
            ),
        ),
        {
            "column public.User role type": '"Role"',
            "column public.User role default": "'USER'::\"Role\"",
            "column public.User roles type": '"Role"[]',
            "column public.User roles default": None,
            "enum public.Role": ["USER", "ADMIN", "OWNER"],
            "enum public.Role_old": None,
        },
    ),
    "set and drop defaults": (
        (
            (
                "CREATE TABLE t (a varchar(10), b int, c boolean, d jsonb, e timestamptz, f timestamp(3), g text,"
                " h numeric(10,2), i bigint, j uuid, k text[], l date, m double precision, n varchar(5), o int);"
            ),
            (
                "ALTER TABLE t ALTER COLUMN a SET DEFAULT 'x', ALTER b SET DEFAULT 5, ALTER c SET DEFAULT false,"
                ' ALTER d SET DEFAULT \'{"b":1, "a":[1,2]}\', ALTER e SET DEFAULT now(), ALTER f SET DEFAULT CURRENT_TIMESTAMP,'
                " ALTER g SET DEFAULT 'it''s', ALTER h SET DEFAULT 1.5, ALTER i SET DEFAULT -1,"
                " ALTER j SET DEFAULT gen_random_uuid(), ALTER k SET DEFAULT ARRAY[]::text[], ALTER l SET DEFAULT CURRENT_DATE,"
                " ALTER m SET DEFAULT 0, ALTER n SET DEFAULT NULL, ALTER o SET DEFAULT NULL;"
            ),
            "ALTER TABLE t ALTER COLUMN g DROP DEFAULT;",
        ),
        {
            "column public.t a default": "'x'::character varying",
            "column public.t c default": "false",
            "column public.t d default": '\'{"a": [1, 2], "b": 1}\'::jsonb',
            "column public.t f default": "CURRENT_TIMESTAMP",
            "column public.t g default": None,
            "column public.t i default": "'-1'::integer",
            "column public.t k default": "ARRAY[]::text[]",
            "column public.t n default": "NULL::character varying",
            "column public.t o default": None,
        },
    ),
    "inline defaults": (
        (
            (
                (
                    "CREATE TABLE t (a varchar(10) DEFAULT 'x', b int DEFAULT 5, c boolean DEFAULT 'true', d jsonb DEFAULT '{}'::jsonb,"
                    " e timestamptz DEFAULT now(), f timestamp(3) DEFAULT CURRENT_TIMESTAMP(3), g text DEFAULT NULL,"
                    " h numeric(10,2) DEFAULT 1.50, i bigint DEFAULT 10000000000, j interval DEFAULT '60 minutes',"
                    " k text[] DEFAULT '{a, \"b c\"}', l int DEFAULT -5, m real DEFAULT 1e3, n text DEFAULT E'a\\\\b',"
                    " o uuid DEFAULT 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', p date DEFAULT '2020-1-2',"
                    " q timestamp DEFAULT '2020-01-01 10:00', r varchar(5) DEFAULT NULL, s char(2) DEFAULT 'a',"
                    " u int[] DEFAULT '{1, 2}', v numeric DEFAULT extract(epoch from now()) * 1000);"
                ),
            )
        ),
        {
            "column public.t c default": "true",
            "column public.t g default": None,
            "column public.t i default": "'10000000000'::bigint",
            "column public.t j default": "'01:00:00'::interval",
            "column public.t k default": "'{a,\"b c\"}'::text[]",
            "column public.t l default": "'-5'::integer",
            "column public.t m default": "'1000'::numeric",
            "column public.t n default": "'a\\b'::text",
            "column public.t o default": "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid",
            "column public.t p default": "'2020-01-02'::date",
            "column public.t q default": "'2020-01-01 10:00:00'::timestamp without time zone",
            "column public.t r default": "NULL::character varying",
            "column public.t s default": "'a'::bpchar",
            "column public.t u default": "'{1,2}'::integer[]",
            "column public.t v default": "(EXTRACT(epoch FROM now()) * (1000)::numeric)",
        },
    ),
    "not null": (
        (
            "CREATE TABLE t (a int, b int NOT NULL, c int NULL);",
            "ALTER TABLE t ALTER COLUMN a SET NOT NULL, ALTER COLUMN b DROP NOT NULL;",
        ),
        {
            "column public.t a nullable": False,
            "column public.t b nullable": True,
            "column public.t c nullable": True,
        },
    ),
    # --- ALTER TABLE: constraints -----------------------------------------------------------
    "add, validate, drop and rename constraints": (
        (
            (
                "CREATE TABLE p (id int PRIMARY KEY, k int, CONSTRAINT p_k_unique UNIQUE (k));"
                " CREATE TABLE t (id int, a int, b int, c int, d int, e int, f int);"
            ),
            (
                "ALTER TABLE t ADD PRIMARY KEY (id), ADD UNIQUE (a, b), ADD CONSTRAINT named_u UNIQUE (c),"
                " ADD FOREIGN KEY (a) REFERENCES p ON DELETE CASCADE, ADD CONSTRAINT fk2 FOREIGN KEY (b) REFERENCES p (k) ON DELETE SET NULL,"
                " ADD FOREIGN KEY (c) REFERENCES p (id) ON DELETE RESTRICT,"
                " ADD FOREIGN KEY (d) REFERENCES p (id) ON DELETE SET DEFAULT ON UPDATE CASCADE,"
                " ADD FOREIGN KEY (e) REFERENCES p (id) ON DELETE NO ACTION, ADD CHECK (f > 0),"
                " ADD CONSTRAINT ck CHECK (f < 100) NOT VALID, ADD CONSTRAINT fk3 FOREIGN KEY (f) REFERENCES p (id) NOT VALID;"
            ),
            (
                "ALTER TABLE t VALIDATE CONSTRAINT fk3; ALTER TABLE t DROP CONSTRAINT IF EXISTS nothing_here;"
                " ALTER TABLE t DROP CONSTRAINT t_f_check;"
            ),
            (
                "ALTER TABLE t RENAME CONSTRAINT t_pkey TO t_pk; ALTER TABLE t RENAME CONSTRAINT named_u TO named_u2;"
                " ALTER TABLE t RENAME CONSTRAINT fk2 TO fk2b; ALTER TABLE t RENAME CONSTRAINT ck TO ck2;"
            ),
        ),
        {
            "table public.t primary_key": {"name": "t_pk", "columns": ["id"]},
            "index public.t t_a_b_key columns": ["a", "b"],
            "index public.t named_u2 unique": True,
            "foreign key public.t t_a_fkey on_delete": "cascade",
            "foreign key public.t fk2b on_delete": "set null",
            "foreign key public.t t_c_fkey on_delete": "restrict",
            "foreign key public.t t_d_fkey on_delete": "set default",
            "foreign key public.t t_e_fkey on_delete": "no action",
            "foreign key public.t fk3 validated": True,
            "check public.t ck2 validated": False,
            "check public.t t_f_check validated": None,
        },
    ),
    "constraint using index": (
        (
            "CREATE TABLE t (id int, a int);",
            "CREATE UNIQUE INDEX CONCURRENTLY t_id_idx ON t (id);",
            "CREATE UNIQUE INDEX t_a_idx ON t (a);",
            "ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_id_idx, ADD CONSTRAINT t_a_uq UNIQUE USING INDEX t_a_idx;",
        ),
        {
            "table public.t primary_key": {"name": "t_pkey", "columns": ["id"]},
            "index public.t t_a_uq unique": True,
            "index public.t t_id_idx unique": None,
            "column public.t id nullable": False,
        },
    ),
    "inline and table constraints": (
        (
            "CREATE TABLE p (id bigint PRIMARY KEY);",
            (
                "CREATE TABLE t (id int CONSTRAINT my_pk PRIMARY KEY, a int NOT NULL UNIQUE REFERENCES p,"
                " b int CONSTRAINT b_check CHECK (b > 0) CONSTRAINT b_fk REFERENCES p (id) ON DELETE CASCADE, c text, d int,"
                " UNIQUE (c, d), CONSTRAINT cd FOREIGN KEY (d) REFERENCES p (id), CHECK (c <> ''), CHECK (d > b), UNIQUE (c));"
            ),
        ),
        {
            "table public.t primary_key": {"name": "my_pk", "columns": ["id"]},
            "index public.t t_a_key columns": ["a"],
            "index public.t t_c_d_key columns": ["c", "d"],
            "index public.t t_c_key columns": ["c"],
            "foreign key public.t t_a_fkey ref_columns": ["id"],
            "foreign key public.t b_fk on_delete": "cascade",
            "check public.t t_c_check validated": True,
            "check public.t t_check validated": True,
        },
    ),
    "a unique constraint repeating the key is not made": (
        (
            "CREATE TABLE t (code varchar(2) PRIMARY KEY NOT NULL UNIQUE, name text NOT NULL UNIQUE, x int, UNIQUE (x), UNIQUE (x));",
            "CREATE TABLE u (id int PRIMARY KEY, CONSTRAINT u_named UNIQUE (id));",
            "CREATE TABLE w (id int UNIQUE, CONSTRAINT w_named UNIQUE (id));",
        ),
        {
            "table public.t primary_key": {"name": "t_pkey", "columns": ["code"]},
            "index public.t t_code_key columns": None,
            "index public.t t_name_key columns": ["name"],
            "index public.t t_x_key columns": ["x"],
            "index public.t t_x_key1 columns": None,
            "table public.u primary_key": {"name": "u_named", "columns": ["id"]},
            "index public.w w_named columns": ["id"],
            "index public.w w_id_key columns": None,
        },
    ),
    "generated names avoid names in use": (
        (
            "CREATE TABLE t (a int, b int);",
            "CREATE INDEX t_a_key ON t (b); CREATE INDEX t_a_idx ON t (b);",
            "ALTER TABLE t ADD UNIQUE (a); CREATE INDEX ON t (a); ALTER TABLE t ADD CONSTRAINT t_b_check CHECK (a > 0), ADD CHECK (b > 0);",
            "CREATE TABLE t_pkey (x int); CREATE TABLE tt (id int PRIMARY KEY); ALTER TABLE t ADD PRIMARY KEY (a);",
            "CREATE TABLE " + "a" * 60 + " (" + "b" * 40 + " int UNIQUE, c int REFERENCES tt);",
        ),
        {
            "index public.t t_a_key1 columns": ["a"],
            "index public.t t_a_idx1 columns": ["a"],
            "check public.t t_b_check validated": True,
            "check public.t t_b_check1 validated": True,
            "table public.t primary_key": {"name": "t_pkey1", "columns": ["a"]},
            # 63 bytes at most: the longer of table and column names is cut first
            f"index public.{'a' * 60} {'a' * 29}_{'b' * 29}_key columns": ["b" * 40],
            f"foreign key public.{'a' * 60} {'a' * 56}_c_fkey columns": ["c"],
        },
    ),
    "rename column": (
        (
            (
                "CREATE TABLE p (id int PRIMARY KEY);"
                " CREATE TABLE t (id int PRIMARY KEY, a int REFERENCES p, b text, c int GENERATED ALWAYS AS (id * 2) STORED, d int);"
            ),
            "CREATE INDEX ON t (lower(b)); CREATE INDEX t_part ON t (d) WHERE b IS NOT NULL; CREATE INDEX t_inc ON t (a) INCLUDE (b);",
            "ALTER TABLE t RENAME COLUMN b TO bee; ALTER TABLE t RENAME id TO ident; ALTER TABLE p RENAME COLUMN id TO pid;",
        ),
        {
            "table public.t primary_key": {"name": "t_pkey", "columns": ["ident"]},
            "index public.t t_lower_idx columns": ["lower(bee)"],
            "index public.t t_part predicate": "(bee IS NOT NULL)",
            "index public.t t_inc include": ["bee"],
            "column public.t c generated": "(ident * 2)",
            "foreign key public.t t_a_fkey ref_columns": ["pid"],
        },
    ),
    "rename table and IF EXISTS": (
        (
            "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE t (id serial PRIMARY KEY, a int REFERENCES p); CREATE INDEX ON t (a);",
            (
                "ALTER TABLE p RENAME TO parent; ALTER TABLE IF EXISTS t RENAME TO child;"
                " ALTER TABLE IF EXISTS ghost RENAME TO ghost2; ALTER TABLE IF EXISTS ghost ADD COLUMN x int;"
            ),
            "CREATE TABLE t (id serial PRIMARY KEY); CREATE TABLE IF NOT EXISTS parent (x int);",
        ),
        {
            "index public.child t_a_idx columns": ["a"],
            "foreign key public.child t_a_fkey ref_table": "public.parent",
            "table public.child primary_key": {"name": "t_pkey", "columns": ["id"]},
            "table public.t primary_key": {"name": "t_pkey1", "columns": ["id"]},
            "column public.t id default": "nextval('t_id_seq1'::regclass)",
            "column public.child id default": "nextval('t_id_seq'::regclass)",
        },
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_replay_equals_the_server(name, pg_database):
    migrations, expect = CASES[name]
    assert replay_against_server(pg_database, migrations, expect) == ([], expect)
