"""`rewrites_table` against PostgreSQL itself: for every pair of these types that PostgreSQL
converts without a USING clause, whether `ALTER COLUMN … TYPE` gave the table a new file
(`pg_class.relfilenode`) is what dbvet predicts. S011 and R002 rest on this."""

from __future__ import annotations

import itertools

from linter.pgtypes_compat import rewrites_table

TYPES = [
    "integer", "bigint", "smallint", "oid", "numeric", "numeric(10,2)", "numeric(12,2)", "numeric(10,4)",
    "numeric(8,2)", "text", "character varying", "character varying(10)", "character varying(20)",
    "character varying(40)", "character(10)", "character(20)", "citext", "bytea", "json", "jsonb", "xml", "inet",
    "cidr", "uuid", "timestamp", "timestamp(3)", "timestamp(6)", "timestamp with time zone",
    "timestamp(3) with time zone", "timestamp(6) with time zone", "time", "time(3)", "time(6)",
    "time with time zone", "time(6) with time zone", "interval", "interval(3)", "interval(6)", "date", "boolean",
    "real", "double precision", "money", "bit(10)", "bit(20)", "bit varying", "bit varying(5)",
    "bit varying(10)", "bit varying(20)", "text[]", "character varying[]", "character varying(10)[]",
    "character varying(20)[]", "integer[]", "bigint[]", "numeric[]", "numeric(10,2)[]", "timestamp[]",
    "timestamp(3)[]", "bit(10)[]", "integer[][]",
]  # fmt: skip


# Runs one type change on a fresh table and says whether the table got a new file (NULL: the
# change needs USING). Server-side, so the thousands of pairs take one round trip.
PROBE = """
CREATE FUNCTION pg_temp.rewrites(old text, new text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    before oid;
    after oid;
BEGIN
    EXECUTE format('CREATE TEMP TABLE probe (value %s)', old);
    before := pg_relation_filenode('probe');
    EXECUTE format('ALTER TABLE probe ALTER COLUMN value TYPE %s', new);
    after := pg_relation_filenode('probe');
    DROP TABLE probe;
    RETURN before <> after;
EXCEPTION WHEN datatype_mismatch OR cannot_coerce THEN
    RETURN NULL;  -- no automatic conversion: a migration would need USING (the table is rolled back)
END
$$
"""


def test_rewrites_agree_with_postgresql(pg_database):
    import psycopg

    with psycopg.connect(pg_database, autocommit=True) as connection:
        connection.execute("CREATE EXTENSION IF NOT EXISTS citext")
        connection.execute("SET TIME ZONE 'America/New_York'")  # timestamp <-> timestamptz is not free here
        connection.execute(PROBE)
        pairs = list(itertools.permutations(TYPES, 2))
        answers = connection.execute(
            "SELECT pg_temp.rewrites(old, new) FROM unnest(%s::text[], %s::text[]) AS pair(old, new)",
            ([old for old, _ in pairs], [new for _, new in pairs]),
        ).fetchall()
    compared = [(old, new, server) for (old, new), (server,) in zip(pairs, answers) if server is not None]
    disagree = [
        f"{old} -> {new}: PostgreSQL {'rewrites' if server else 'keeps the table'}"
        for old, new, server in compared
        if server != rewrites_table(old, new)
    ]
    assert disagree == []
    assert len(compared) > 700  # most pairs convert without USING
