"""Expression text for defaults, checks, index expressions and predicates.

Unless marked, each expected string is what a PostgreSQL 15.20 server printed
(`pg_get_expr(adbin, adrelid)` for defaults, `pg_get_expr(conbin, conrelid)` for checks,
`pg_get_indexdef` for index predicates) for the same column and expression.
"""

from __future__ import annotations

import pytest
from pg_helpers import parse

from linter.dialects.pg_expr import quote_ident, quote_literal, retype_default


def _default(column_type: str, expression: str) -> str | None:
    parsed, _ = parse(f"CREATE TABLE t (c {column_type} DEFAULT {expression});")
    return parsed.statements[0].actions[0].columns[0].default


@pytest.mark.parametrize(
    ("column_type", "expression", "printed"),
    [
        ("text", "'x'", "'x'::text"),
        ("varchar(10)", "'y'", "'y'::character varying"),
        ("int", "0", "0"),
        ("int", "'5'", "5"),
        ("float8", "0", "0"),
        ("numeric", "0.5", "0.5"),
        ("boolean", "false", "false"),
        ("boolean", "'true'", "true"),
        ("jsonb", "'{}'", "'{}'::jsonb"),
        ("jsonb", "'{}'::jsonb", "'{}'::jsonb"),
        ("jsonb", "'[]'::json", "'[]'::json"),
        ("text[]", "'{}'", "'{}'::text[]"),
        ("text[]", "array[]::text[]", "ARRAY[]::text[]"),
        ("varchar(5)[]", "'{}'::varchar[]", "'{}'::character varying[]"),
        ("timestamptz", "now()", "now()"),
        ("timestamp", "current_timestamp", "CURRENT_TIMESTAMP"),
        ("timestamptz(3)", "current_timestamp(3)", "CURRENT_TIMESTAMP(3)"),
        ("date", "current_date", "CURRENT_DATE"),
        ("uuid", "gen_random_uuid()", "gen_random_uuid()"),
        ("status", "'active'", "'active'::status"),
        ("int", "-1", "'-1'::integer"),
        ("numeric(10,2)", "-1.5", "'-1.5'::numeric"),
        ("bigint", "10000000000", "'10000000000'::bigint"),
        ("bigint", "-9223372036854775808", "'-9223372036854775808'::bigint"),
        ("float8", "1e10", "'10000000000'::numeric"),
        ("numeric", "1.50", "1.50"),
        ("real", "1.5", "1.5"),
        ("smallint", "1", "1"),
        ("int", "(1+2)*3", "((1 + 2) * 3)"),
        ("text", "'it''s'", "'it''s'::text"),
        ("timestamp", "(now() at time zone 'utc')", "(now() AT TIME ZONE 'utc'::text)"),
        ("interval", "'1 day'", "'1 day'::interval"),
        ("int[]", "array[1,2]", "ARRAY[1, 2]"),
        ("text", "lower('X')", "lower('X'::text)"),
        ("text", "'a' || 'b'", "('a'::text || 'b'::text)"),
        ("bool", "(not false)", "(NOT false)"),
        ("text", "current_user", "CURRENT_USER"),
        ("text", "session_user", "SESSION_USER"),
        ("text", "localtimestamp", "LOCALTIMESTAMP"),
        ("time", "current_time", "CURRENT_TIME"),
        ("text", "'x'::character varying", "'x'::character varying"),
        ("int", "nullif(1,2)", "NULLIF(1, 2)"),
        ("int", "greatest(1,2)", "GREATEST(1, 2)"),
        ("text", "cast(1 as text)", "(1)::text"),
        ("text", "current_setting('x')", "current_setting('x'::text)"),
        ("text", "(('x'))", "'x'::text"),
        ("bit(3)", "B'101'", "'101'::\"bit\""),
        ("int", "+1", "(+ 1)"),
        ('"MyEnum"', "'A'", "'A'::\"MyEnum\""),
        # DEFAULT NULL stores no default
        ("text", "NULL", None),
        ("text", "NULL::text", None),
        ("bigint", "nextval('users_id_seq')", "nextval('users_id_seq'::regclass)"),
        # the server prints a backslash as it is, never the E'' form
        ("text", "E'a\\\\b'", "'a\\b'::text"),
    ],
)
def test_defaults(column_type, expression, printed):
    assert _default(column_type, expression) == printed


def _check(expression: str) -> tuple[str, str | None, list[str]]:
    parsed, _ = parse(f"CREATE TABLE t (a int, b text, CHECK ({expression}));")
    check = parsed.statements[0].actions[0].constraints[0]
    return check.expression, check.not_null_column, check.columns


@pytest.mark.parametrize(
    ("expression", "printed"),
    [
        ("a > 0 and a < 10", "((a > 0) AND (a < 10))"),
        ("b in ('a','b')", "(b = ANY (ARRAY['a'::text, 'b'::text]))"),
        ("b is not null", "(b IS NOT NULL)"),
        ("a between 1 and 5", "((a >= 1) AND (a <= 5))"),
        ("b ~ '^x'", "(b ~ '^x'::text)"),
        ("length(b) <= 10", "(length(b) <= 10)"),
        ("b like 'x%'", "(b ~~ 'x%'::text)"),
        ("a = any(array[1,2])", "(a = ANY (ARRAY[1, 2]))"),
        ("b is distinct from 'x'", "(b IS DISTINCT FROM 'x'::text)"),
        ("coalesce(a, 0) >= 0", "(COALESCE(a, 0) >= 0)"),
        ("a::int > 0", "((a)::integer > 0)"),
        ("b not like 'x'", "(b !~~ 'x'::text)"),
        ("not (b = 'x')", "(NOT (b = 'x'::text))"),
        ("b ilike 'x'", "(b ~~* 'x'::text)"),
        ("a not in (1,2)", "(a <> ALL (ARRAY[1, 2]))"),
        ("b <> ''", "(b <> ''::text)"),
        # not checked against the server: the server prints CASE over several lines
        # CASE on lines of its own, as the server prints it
        ("case when a > 0 then true else false end", "\nCASE\n    WHEN (a > 0) THEN true\n    ELSE false\nEND"),
        ("a is true or a is null", "((a IS TRUE) OR (a IS NULL))"),
        ("a not between 1 and 2", "((a < 1) OR (a > 2))"),
        ("b collate \"C\" > 'a'", "((b COLLATE \"C\") > 'a'::text)"),
    ],
)
def test_check_expressions(expression, printed):
    assert _check(expression)[0] == printed


def test_unprintable_expressions_keep_their_source_text():
    assert _check("b like 'a!%' escape '!'")[0] == "b like 'a!%' escape '!'"
    assert _check("a > (SELECT max(x)  FROM y)")[0] == "a > (SELECT max(x)  FROM y)"
    assert _default("int", "(SELECT 1)  /* c */") == "(SELECT 1)"
    assert _default("int", "(SELECT 1) NOT NULL") == "(SELECT 1)"
    assert _default("text", "overlay('abc' placing 'x' from 2)") == "overlay('abc' placing 'x' from 2)"


def test_extract_prints_as_the_server_does():
    # PostgreSQL 15.20 printed these (EXTRACT is printable since the server checks of issue 3).
    assert _default("text", "extract(year from now())::text") == "(EXTRACT(year FROM now()))::text"
    assert _default("numeric", "extract(epoch from now()) * 1000") == "(EXTRACT(epoch FROM now()) * (1000)::numeric)"


def test_unprintable_expressions_in_other_places_keep_their_source_text():
    parsed, _ = parse(
        "CREATE INDEX i ON t (substring(c from 2), (a) DESC) WITH (fillfactor = 70) WHERE b LIKE 'x%' ESCAPE '!';\n"
        "CREATE TABLE u (a int, EXCLUDE USING gist (a WITH =) WHERE (a::text LIKE 'x' ESCAPE 'y'));\n"
        "ALTER TABLE u ALTER a TYPE text USING substring(a::text from 1), ALTER a SET DEFAULT substring('abc' from 2);\n"
        "CREATE TABLE v (a text GENERATED ALWAYS AS (substring(b from 2)) STORED, b text);"
    )
    index = parsed.statements[0].actions[0].index
    assert (index.predicate, [element.text for element in index.elements]) == (
        "b LIKE 'x%' ESCAPE '!'",
        ["substring(c from 2)", "a"],
    )
    assert parsed.statements[1].actions[0].constraints[0].predicate == "(a::text LIKE 'x' ESCAPE 'y')"
    using, default = parsed.statements[2].actions
    assert (using.using, default.default) == ("substring(a::text from 1)", "substring('abc' from 2)")
    assert parsed.statements[3].actions[0].columns[0].generated == "substring(b from 2)"


def test_check_columns_and_not_null_column():
    assert _check("b IS NOT NULL") == ("(b IS NOT NULL)", "b", ["b"])
    assert _check("a > 0 AND b IS NOT NULL") == ("((a > 0) AND (b IS NOT NULL))", None, ["a", "b"])
    assert _check("t.b IS NOT NULL")[1:] == (None, ["b"])
    assert _check("lower(b) IS NOT NULL")[1:] == (None, ["b"])


def test_index_predicates_and_expressions():
    parsed, _ = parse("CREATE INDEX ex_i1 ON ex (lower(a), (c + 1), ((a))) WHERE (c > 0 and b is not null);")
    index = parsed.statements[0].actions[0].index
    # server: CREATE INDEX ex_i1 ON public.ex USING btree (lower(a)) WHERE ((c > 0) AND (b IS NOT NULL))
    assert index.predicate == "((c > 0) AND (b IS NOT NULL))"
    assert [(element.text, element.is_expression) for element in index.elements] == [
        ("lower(a)", True),
        ("(c + 1)", True),
        ("a", False),  # `(a)` is indexed as the plain column
    ]


def test_retype_default_gives_a_lone_literal_the_column_s_type():
    assert retype_default("'x'::text", "character varying(255)") == "'x'::character varying"
    assert retype_default("'5'::text", "bigint") == "'5'::bigint"
    assert retype_default("'5'::text", "integer") == "5"
    assert retype_default("'on'::text", "boolean") == "true"
    assert retype_default("'A'::text", "MyEnum") == "'A'::\"MyEnum\""
    assert retype_default("'x'::text", "text") == "'x'::text"
    assert retype_default("E'a\\\\b'::text", "character varying") == "'a\\b'::character varying"
    assert retype_default("now()", "timestamp with time zone") == "now()"
    assert retype_default(None, "text") is None


def test_quoting():
    assert [quote_ident(name) for name in ("users", "User", "user", "a b", "_x1", "1x", "é")] == [
        "users",
        '"User"',
        '"user"',
        '"a b"',
        "_x1",
        '"1x"',
        '"é"',
    ]
    assert quote_literal("it's") == "'it''s'"
    assert quote_literal("a\\b") == "'a\\b'"
