"""The replay: what the schema is after a list of PostgreSQL statements (names as PostgreSQL 15
generates them — checked on the server by hand for each case below)."""

from __future__ import annotations

from linter.dialects.postgres import parse_part
from linter.migrations import Part
from linter.replay import Replay
from linter.schema import Origin, Schema
from linter.source import SourceFile


def replay(*texts: str) -> Schema:
    schema = Schema()
    engine = Replay(schema)
    for number, text in enumerate(texts):
        part = Part(SourceFile(f"{number}.sql", text))
        parsed = parse_part(part)
        assert parsed.errors == []
        for statement in parsed.statements:
            for action in statement.actions:
                engine.apply(action, Origin(None, action.span))
    return schema


def test_generated_names():
    schema = replay(
        "CREATE TABLE t (id serial PRIMARY KEY, a int UNIQUE, b int, c text, d int REFERENCES t, CHECK (a > b), CHECK (b > 0));",
        "CREATE INDEX ON t (lower(c)); CREATE INDEX ON t ((a + b)); CREATE INDEX ON t (a, b) INCLUDE (c);",
        "CREATE UNIQUE INDEX ON t (b); CREATE INDEX ON t (b);",
    )
    table = schema.tables["public.t"]
    assert table.primary_key.name == "t_pkey"
    assert sorted(table.indexes) == [
        "t_a_b_c_idx",
        "t_a_key",
        "t_b_idx",
        "t_b_idx1",
        "t_expr_idx",
        "t_lower_idx",
        "t_pkey",
    ]
    assert sorted(table.foreign_keys) == ["t_d_fkey"]
    assert sorted(table.checks) == ["t_b_check", "t_check"]
    assert table.foreign_keys["t_d_fkey"].ref_columns == ["id"]
    assert table.columns["id"].default == "nextval('t_id_seq'::regclass)"


def test_rename_and_drop_follow_dependencies():
    schema = replay(
        "CREATE TABLE users (id bigint PRIMARY KEY, email text);",
        "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id), note text);",
        "CREATE INDEX orders_note_idx ON orders (note);",
        "ALTER TABLE users RENAME COLUMN id TO user_id; ALTER TABLE users RENAME TO accounts;",
        "ALTER TABLE orders DROP COLUMN note;",
    )
    orders = schema.tables["public.orders"]
    fk = orders.foreign_keys["orders_user_id_fkey"]
    assert (str(fk.ref_table), fk.ref_columns) == ("public.accounts", ["user_id"])
    assert "orders_note_idx" not in orders.indexes and "note" not in orders.columns
    assert list(schema.tables) == ["public.orders", "public.accounts"]
    assert schema.tables["public.accounts"].primary_key.columns == ["user_id"]


def test_constraints_not_valid_then_validated_and_using_index():
    schema = replay(
        "CREATE TABLE t (id bigint, a int);",
        "ALTER TABLE t ADD CONSTRAINT a_positive CHECK (a > 0) NOT VALID;",
        "CREATE UNIQUE INDEX CONCURRENTLY t_id_idx ON t (id);",
        "ALTER TABLE t ADD CONSTRAINT t_pkey PRIMARY KEY USING INDEX t_id_idx;",
    )
    table = schema.tables["public.t"]
    assert table.checks["a_positive"].validated is False
    assert table.primary_key.name == "t_pkey" and table.columns["id"].nullable is False
    assert sorted(table.indexes) == ["t_pkey"]
    replayed = replay(
        "CREATE TABLE t (a int);",
        "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;",
        "ALTER TABLE t VALIDATE CONSTRAINT c;",
    )
    assert replayed.tables["public.t"].checks["c"].validated is True


def test_enums_and_search_path():
    schema = replay(
        "CREATE TYPE mood AS ENUM ('sad', 'happy');",
        "ALTER TYPE mood ADD VALUE 'ok' BEFORE 'happy'; ALTER TYPE mood ADD VALUE 'ecstatic' AFTER 'happy';",
        "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';",
        "CREATE SCHEMA app; SET search_path TO app, public; CREATE TABLE people (m mood);",
        "ALTER TYPE mood RENAME TO feeling;",
    )
    assert schema.enums["public.feeling"].values == ["blue", "ok", "happy", "ecstatic"]
    assert schema.tables["app.people"].columns["m"].type == "feeling"


def test_set_default_takes_the_column_type():
    schema = replay(
        "CREATE TABLE t (s varchar(10), n int);",
        "ALTER TABLE t ALTER COLUMN s SET DEFAULT 'x', ALTER COLUMN n SET DEFAULT 5;",
    )
    columns = schema.tables["public.t"].columns
    assert (columns["s"].default, columns["n"].default) == ("'x'::character varying", "5")


def test_unknown_objects_change_nothing():
    schema = replay(
        "ALTER TABLE ghost ADD COLUMN a int; DROP INDEX ghost_idx; ALTER TYPE ghost ADD VALUE 'x';",
        "CREATE INDEX ON ghost (a); COMMENT ON COLUMN ghost.a IS 'x'; DO $$ BEGIN PERFORM 1; END $$;",
    )
    assert schema.tables == {} and schema.enums == {}


def replay_in(dialect: str, *texts: str) -> Schema:
    from linter.dialects.sqlglot_front import parse_part as parse_sqlglot

    schema = Schema(dialect=dialect)
    engine = Replay(schema)
    for number, text in enumerate(texts):
        parsed = parse_sqlglot(Part(SourceFile(f"{number}.sql", text)), dialect)
        assert parsed.errors == []
        for statement in parsed.statements:
            for action in statement.actions:
                engine.apply(action, Origin(None, action.span))
    return schema


def test_a_renamed_table_is_where_its_name_was_last_given():
    # Convention rules (N001) report a table where its current name was given.
    for schema, key, dialect in (
        (
            replay("CREATE TABLE Orders (id int);", "\nALTER TABLE Orders RENAME TO OrderRows;"),
            "public.orderrows",
            None,
        ),
        (
            replay_in("mysql", "CREATE TABLE Orders (id int);", "\nRENAME TABLE Orders TO OrderRows;"),
            "orderrows",
            "mysql",
        ),
    ):
        table = schema.tables[key]
        span = table.span
        assert (dialect, span.file.path, span.file.position(span.start).line) == (dialect, "1.sql", 2)
    kept = replay_in("sqlite", "CREATE TABLE t (id int);", "ALTER TABLE t ADD COLUMN a int;").tables["t"]
    assert kept.span.file.path == "0.sql"


def test_sqlite_autoindex_names_equal_sqlite():
    import sqlite3

    statements = (
        "CREATE TABLE t (id text PRIMARY KEY, a int UNIQUE, b int, UNIQUE (b, a));",
        "CREATE TABLE u (id INTEGER PRIMARY KEY, a int UNIQUE);",
        "CREATE TABLE v (a int, b int, PRIMARY KEY (a, b), UNIQUE (b));",
        "ALTER TABLE t RENAME TO t2;",
    )
    db = sqlite3.connect(":memory:")
    db.executescript("".join(statements))
    schema = replay_in("sqlite", *statements)
    for name in ("t2", "u", "v"):
        server = sorted(row[1] for row in db.execute(f"PRAGMA index_list({name})"))
        table = schema.tables[name]
        key = table.primary_key
        # A primary key other than the rowid (`…_pk`, not an index) is the autoindex SQLite lists.
        autoindexed_key = [key.name] if key is not None and not key.name.endswith("_pk") else []
        replayed = sorted([*table.indexes, *autoindexed_key])
        assert (name, replayed) == (name, server)
    assert schema.tables["u"].primary_key.name == "sqlite_autoindex_u_pk"  # the rowid: no index
