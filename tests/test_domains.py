"""Domains: the replay keeps each domain's base type, default, NOT NULL and CHECK names as
PostgreSQL does (checked against the server), columns follow a renamed or moved domain, and
S001 and S004 say what a domain does to ADD COLUMN."""

from __future__ import annotations

from test_replay import replay

from linter.context import Settings
from linter.engine import lint_texts
from rules.s001_add_required_column import AddRequiredColumn
from rules.s004_rewrite_on_add_column import RewriteOnAddColumn

SCRIPT = [
    """
CREATE SCHEMA app;
CREATE DOMAIN app.qty AS int DEFAULT 1 CONSTRAINT positive CHECK (VALUE > 0) NOT NULL CHECK (VALUE < 1000);
CREATE DOMAIN code AS varchar(10) DEFAULT 'x' CHECK (VALUE <> '') CHECK (length(VALUE) > 1);
CREATE DOMAIN stamp AS timestamptz DEFAULT now();
CREATE DOMAIN nothing AS int DEFAULT NULL;
CREATE DOMAIN temp AS text;
CREATE DOMAIN doomed AS int;
CREATE DOMAIN over_qty AS app.qty DEFAULT 5;
CREATE DOMAIN tag AS text;
CREATE TABLE t (id int, a app.qty, b code, c tag[], d stamp, e doomed, f over_qty);
""",
    """
ALTER DOMAIN code SET DEFAULT 'y';
ALTER DOMAIN code DROP CONSTRAINT code_check;
ALTER DOMAIN code ADD CHECK (VALUE <> 'z');
ALTER DOMAIN code RENAME CONSTRAINT code_check1 TO long_enough;
ALTER DOMAIN code SET NOT NULL;
ALTER DOMAIN stamp DROP DEFAULT;
ALTER DOMAIN nothing SET DEFAULT 3;
ALTER DOMAIN nothing SET DEFAULT NULL;
ALTER DOMAIN app.qty DROP NOT NULL;
ALTER DOMAIN code RENAME TO label;
ALTER DOMAIN tag RENAME TO label_tag;
ALTER DOMAIN stamp SET SCHEMA app;
ALTER DOMAIN app.qty RENAME TO amount;
DROP DOMAIN doomed CASCADE;
DROP DOMAIN temp;
""",
]


def _replayed() -> tuple[dict, dict]:
    schema = replay(*SCRIPT)
    domains = {
        domain.spelled: (
            domain.base_type,
            domain.default,
            domain.not_null,
            sorted(domain.checks),
        )
        for domain in schema.domains.values()
    }
    columns = {name: column.type for name, column in schema.tables["public.t"].columns.items()}
    return domains, columns


def test_the_replay_keeps_domains_as_postgresql_does(pg_database):
    import psycopg

    with psycopg.connect(pg_database, autocommit=True) as connection:
        for text in SCRIPT:
            connection.execute(text)
        rows = connection.execute(
            """
            SELECT CASE WHEN n.nspname = 'public' THEN t.typname ELSE n.nspname || '.' || t.typname END,
                   format_type(t.typbasetype, t.typtypmod), t.typdefault, t.typnotnull,
                   ARRAY(SELECT conname FROM pg_constraint WHERE contypid = t.oid ORDER BY conname)
            FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE t.typtype = 'd' AND n.nspname IN ('public', 'app')
            """
        ).fetchall()
        server_columns = dict(
            connection.execute(
                "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute"
                " WHERE attrelid = 't'::regclass AND attnum > 0 AND NOT attisdropped"
            ).fetchall()
        )
    server = {name: (base, default, not_null, list(checks)) for name, base, default, not_null, checks in rows}
    domains, columns = _replayed()
    assert domains == server
    assert columns == server_columns


def test_the_replayed_domains():
    """What the server test above compares, spelled out."""
    domains, columns = _replayed()
    assert domains == {
        "app.amount": ("integer", "1", False, ["positive", "qty_check"]),
        "label": ("character varying(10)", "'y'::character varying", True, ["code_check", "long_enough"]),
        "label_tag": ("text", None, False, []),
        "app.stamp": ("timestamp with time zone", None, False, []),
        "nothing": ("integer", None, False, []),
        "over_qty": ("app.amount", "5", False, []),
    }
    assert columns == {
        "id": "integer",
        "a": "app.amount",
        "b": "label",
        "c": "label_tag[]",
        "d": "app.stamp",
        "f": "over_qty",
    }


def test_domains_of_a_column_type():
    schema = replay(
        "CREATE SCHEMA app; CREATE DOMAIN app.inner AS int NOT NULL; CREATE DOMAIN outer_one AS app.inner DEFAULT 1;",
        "CREATE DOMAIN loop_a AS int; CREATE TYPE mood AS ENUM ('ok');",
    )
    assert [domain.name for domain in schema.domains_of("outer_one")] == ["outer_one", "inner"]
    assert [domain.name for domain in schema.domains_of("app.inner")] == ["inner"]
    assert schema.domains_of("outer_one[]") == []  # an array takes neither default nor NOT NULL
    assert schema.domains_of("inner") == []  # not on the search path
    assert schema.domains_of("mood") == [] and schema.domains_of("integer") == []
    # A domain over itself cannot be made, but a chain is followed only as long as it is new.
    schema.domains["public.loop_a"].base_type = "loop_a"
    assert [domain.name for domain in schema.domains_of("loop_a")] == ["loop_a"]


def test_a_clone_has_domains_of_its_own():
    schema = replay("CREATE DOMAIN code AS text CHECK (VALUE <> '');")
    copy = schema.clone()
    copy.domains["public.code"].checks.append("more")
    copy.domains["public.code"].not_null = True
    assert schema.domains["public.code"].checks == ["code_check"] and not schema.domains["public.code"].not_null


def _findings(*texts: str):
    return lint_texts(list(texts), rules=[AddRequiredColumn, RewriteOnAddColumn], settings=Settings(pg_version=15))


def test_s001_names_the_not_null_domain_and_suggests_a_default():
    (finding,) = _findings(
        "CREATE SCHEMA app; CREATE DOMAIN app.code AS text NOT NULL; CREATE TABLE orders (id bigint);",
        "ALTER TABLE orders ADD COLUMN code app.code;",
    )
    assert (finding.rule, finding.line, finding.column) == ("S001", 1, 20)
    assert finding.message == (
        'ADD COLUMN "code" of NOT NULL domain "app.code" without a default fails on existing table "orders" once it has rows'
    )
    assert (
        finding.fix
        == "give it a default that suits the existing rows:\nALTER TABLE orders ADD COLUMN code app.code DEFAULT …;"
    )


def test_s004_says_which_domain_makes_the_rewrite_and_suggests_its_base_type():
    first, second = _findings(
        "CREATE DOMAIN positive AS int CHECK (VALUE > 0); CREATE DOMAIN quantity AS positive DEFAULT 1;"
        " CREATE DOMAIN token AS uuid DEFAULT gen_random_uuid(); CREATE TABLE orders (id bigint);",
        "ALTER TABLE orders ADD COLUMN qty quantity;\nALTER TABLE orders ADD COLUMN token token;",
    )
    assert (first.rule, first.line, second.rule, second.line) == ("S004", 1, "S004", 2)
    assert first.message == (
        'ADD COLUMN "qty" rewrites existing table "orders": '
        'every existing row is written to check the constraints of domain "positive"'
    )
    assert second.message == (
        'ADD COLUMN "token" rewrites existing table "orders": '
        "the volatile default gen_random_uuid() is evaluated for every existing row"
    )
    assert first.fix == (
        "add a column of the domain's base type instead, which rewrites nothing, and backfill it in batches "
        "(a table CHECK, added NOT VALID and then validated, can hold what the domain checks):\n"
        "ALTER TABLE orders ADD COLUMN qty integer;\n"
        "UPDATE orders SET qty = … WHERE …;  -- in batches"
    )
    assert second.fix.splitlines()[1] == "ALTER TABLE orders ADD COLUMN token uuid;"
