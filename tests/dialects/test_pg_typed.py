"""Expressions printed for known column types, and columns found and renamed in printed text.

Expected strings are what a PostgreSQL 15.20 server printed for the same index or default
(`pg_get_indexdef`, `pg_get_expr`) on a table with these column types.
"""

from __future__ import annotations

import pytest

from linter.dialects.pg_expr import null_default, typed_text
from linter.dialects.pg_refs import index_nodes, mentions_column, rename_column_in

COLUMNS = {
    "id": "integer",
    "email": "character varying(255)",
    "s": "st",
    "c": "character(3)",
    "n": "numeric",
    "tags": "text[]",
    "vtags": "character varying(5)[]",
    "name": "text",
    "d": "jsonb",
}


def _printed(clause: str) -> str | None:
    """The first expression (or else the predicate) of `CREATE INDEX ON t <clause>`."""
    nodes = index_nodes(f"CREATE INDEX ON t {clause}")
    assert nodes is not None
    expressions, predicate = nodes
    node = next((expression for expression in expressions if expression is not None), predicate)
    return typed_text(node, COLUMNS)


@pytest.mark.parametrize(
    ("clause", "printed"),
    [
        ("(lower(email))", "lower((email)::text)"),
        ("(id) WHERE s = 'a'", "(s = 'a'::st)"),
        ("(id) WHERE email = 'x'", "((email)::text = 'x'::text)"),
        ("(id) WHERE c = 'abc'", "(c = 'abc'::bpchar)"),
        ("(id) WHERE s IN ('a', 'b')", "(s = ANY (ARRAY['a'::st, 'b'::st]))"),
        (
            "(id) WHERE email IN ('a', 'b')",
            "((email)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))",
        ),
        ("(id) WHERE email LIKE 'x%'", "((email)::text ~~ 'x%'::text)"),
        ("(id) WHERE 'x' = ANY (vtags)", "('x'::text = ANY ((vtags)::text[]))"),
        ("(upper(c))", "upper((c)::text)"),
        ("(coalesce(email, ''))", "COALESCE(email, ''::character varying)"),
        ("((email || name))", "((email)::text || name)"),
        ("(id) WHERE n BETWEEN 1 AND 2", "((n >= (1)::numeric) AND (n <= (2)::numeric))"),
        ("((d->>'k'))", "(d ->> 'k'::text)"),
        ("(id) WHERE s IS DISTINCT FROM 'b'", "(s IS DISTINCT FROM 'b'::st)"),
    ],
)
def test_expressions_print_for_the_column_types(clause, printed):
    assert _printed(clause) == printed


def test_null_defaults_the_server_keeps():
    assert [null_default(t) for t in ("character varying(5)", "character(2)", "numeric(10,2)", "bit(3)")] == [
        "NULL::character varying",
        "NULL::bpchar",
        "NULL::numeric",
        'NULL::"bit"',
    ]
    assert [null_default(t) for t in ("text", "character varying", "integer", "interval(2)", "jsonb")] == [None] * 5


def test_columns_in_printed_expressions():
    text = "((email)::text = 'email'::email) AND email(x) AND lower(\"Email\")"
    assert (mentions_column(text, "email"), mentions_column(text, "Email"), mentions_column(text, "x")) == (
        True,
        True,
        True,
    )
    assert (
        rename_column_in(text, "email", "mail") == "((mail)::text = 'email'::email) AND email(x) AND lower(\"Email\")"
    )
    assert rename_column_in("lower(b)", "b", "User") == 'lower("User")'
