"""PostgreSQL's generated names; every expected name was read from a PostgreSQL 15.20 server
(`pg_constraint.conname`, `pg_indexes.indexname`, sequence `relname`) after running the DDL
quoted in each case."""

from __future__ import annotations

import json

import pytest
from pglast.parser import parse_sql_json

from linter.dialects.pg_expr import index_column_name
from linter.dialects.pg_names import (
    check_name_column,
    choose_name,
    index_column_names,
    make_object_name,
    name_addition,
    sequence_name,
)


def _free(name: str) -> bool:
    return False


# CREATE TABLE aaaa…(61) (bbbb…(62) serial PRIMARY KEY, cc int UNIQUE, d…(45) int, e…(53) int, UNIQUE (d…, e…))
LONG_TABLE = "a" * 61
MULTIBYTE_TABLE = "é" * 31  # 62 bytes
MULTIBYTE_COLUMN = "ü" * 19  # 38 bytes


@pytest.mark.parametrize(
    ("table", "columns", "label", "expected"),
    [
        # CREATE TABLE p (id int PRIMARY KEY, x int, y int, UNIQUE (x, y))
        ("p", [], "pkey", "p_pkey"),
        ("p", ["x", "y"], "key", "p_x_y_key"),
        # CREATE TABLE c (… a int REFERENCES p, FOREIGN KEY (x1, y1) REFERENCES p (x, y), UNIQUE (b) INCLUDE (d),
        #                 EXCLUDE USING btree (d WITH =))
        ("c", ["a"], "fkey", "c_a_fkey"),
        ("c", ["x1", "y1"], "fkey", "c_x1_y1_fkey"),
        ("c", ["b", "d"], "key", "c_b_d_key"),
        ("c", ["d"], "excl", "c_d_excl"),
        # CREATE INDEX ON c (a, a); CREATE INDEX ON c (a) INCLUDE (b, d)
        ("c", ["a", "a"], "idx", "c_a_a1_idx"),
        ("c", ["a", "b", "d"], "idx", "c_a_b_d_idx"),
        # CREATE INDEX ON c (lower(e)); CREATE INDEX ON c (lower(e), upper(e), (a + 1))
        ("c", ["lower"], "idx", "c_lower_idx"),
        ("c", ["lower", "upper", "expr"], "idx", "c_lower_upper_expr_idx"),
        # the 61-character table
        (LONG_TABLE, [], "pkey", "a" * 58 + "_pkey"),
        (LONG_TABLE, ["cc"], "key", "a" * 56 + "_cc_key"),
        (LONG_TABLE, ["d" * 45, "e" * 53], "key", "a" * 29 + "_" + "d" * 29 + "_key"),
        (LONG_TABLE, ["cc"], "idx", "a" * 56 + "_cc_idx"),
        # 62-byte table and 38-byte column names: cut on character boundaries
        (MULTIBYTE_TABLE, [MULTIBYTE_COLUMN], "key", "é" * 14 + "_" + "ü" * 14 + "_key"),
        (MULTIBYTE_TABLE, [MULTIBYTE_COLUMN, "x"], "idx", "é" * 14 + "_" + "ü" * 14 + "_idx"),
        # CREATE TABLE order_line_items_with_a_really_long_name_for_testing (…, FOREIGN KEY (customer_identifier_with_long_name,
        #   other_long_column_name_here) REFERENCES parent_with_long_name, CHECK (customer_identifier_with_long_name > 0))
        (
            "order_line_items_with_a_really_long_name_for_testing",
            ["customer_identifier_with_long_name", "other_long_column_name_here"],
            "fkey",
            "order_line_items_with_a_reall_customer_identifier_with_lon_fkey",
        ),
        (
            "order_line_items_with_a_really_long_name_for_testing",
            ["customer_identifier_with_long_name"],
            "check",
            "order_line_items_with_a_real_customer_identifier_with_lon_check",
        ),
        # CREATE TABLE "Mixed Case" ("Col One" serial PRIMARY KEY)
        ("Mixed Case", [], "pkey", "Mixed Case_pkey"),
    ],
)
def test_generated_names(table, columns, label, expected):
    assert choose_name(table, columns, label, _free) == expected


@pytest.mark.parametrize(
    ("table", "columns", "label", "taken", "expected"),
    [
        # CREATE TABLE c2 (a int CHECK (a > 0) CHECK (a < 10), …): the second check
        ("c2", ["a"], "check", {"c2_a_check"}, "c2_a_check1"),
        # CREATE INDEX ON c (a) three times: c_a_idx, c_a_idx1, c_a_idx2
        ("c", ["a"], "idx", {"c_a_idx", "c_a_idx1"}, "c_a_idx2"),
        # CREATE TABLE q (a int UNIQUE); CREATE INDEX q_a_key1 ON q (a); ALTER TABLE q ADD UNIQUE (a)
        ("q", ["a"], "key", {"q_a_key", "q_a_key1"}, "q_a_key2"),
        # the numbered label is cut again: a second index on the long table's cc
        (LONG_TABLE, ["cc"], "idx", {"a" * 56 + "_cc_idx"}, "a" * 55 + "_cc_idx1"),
        # CHECK (customer_identifier_with_long_name > 1) after the first check
        (
            "order_line_items_with_a_really_long_name_for_testing",
            ["customer_identifier_with_long_name"],
            "check",
            {"order_line_items_with_a_real_customer_identifier_with_lon_check"},
            "order_line_items_with_a_real_customer_identifier_with_lo_check1",
        ),
    ],
)
def test_taken_names_get_a_number(table, columns, label, taken, expected):
    assert choose_name(table, columns, label, taken.__contains__) == expected


def test_sequence_names():
    # CREATE TABLE idt (id int GENERATED ALWAYS AS IDENTITY); the long table's serial column
    assert sequence_name("idt", "id") == "idt_id_seq"
    assert sequence_name(LONG_TABLE, "b" * 62) == "a" * 29 + "_" + "b" * 29 + "_seq"
    assert sequence_name("Mixed Case", "Col One") == "Mixed Case_Col One_seq"


def test_check_names_use_a_column_only_when_the_check_has_exactly_one():
    # CHECK (a > 0) -> c_a_check; CHECK (a > b) -> c_check; CHECK (a > 0 AND a < 9) -> c_a_check
    assert check_name_column(["a"]) == ["a"]
    assert check_name_column(["a", "b"]) == []
    assert check_name_column(["a", "a"]) == ["a"]
    assert check_name_column([]) == []


def _index_expressions(sql: str) -> list[dict]:
    parsed = json.loads(parse_sql_json(sql))
    return [param["IndexElem"]["expr"] for param in parsed["stmts"][0]["stmt"]["IndexStmt"]["indexParams"]]


def test_index_expressions_name_themselves_like_figure_index_colname():
    # CREATE INDEX ON order_line_items… ((customer_identifier_with_long_name + 1),
    #   (other_long_column_name_here::text), coalesce(other_long_column_name_here, 0))
    # -> order_line_items_with_a_reall_expr_other_long_column_name_h_idx
    expressions = _index_expressions(
        "CREATE INDEX ON t ((customer_identifier_with_long_name + 1), (other_long_column_name_here::text),"
        " coalesce(other_long_column_name_here, 0))"
    )
    names = [index_column_name(expr) for expr in expressions]
    assert names == ["expr", "other_long_column_name_here", "coalesce"]
    assert (
        choose_name("order_line_items_with_a_really_long_name_for_testing", names, "idx", _free)
        == "order_line_items_with_a_reall_expr_other_long_column_name_h_idx"
    )


@pytest.mark.parametrize(
    ("expression", "name"),
    [
        ("lower(email)", "lower"),
        ("(a)", "a"),
        ("(a::text)", "a"),
        ("('x'::text)", "text"),
        ("(a || b)", "expr"),
        ("(CASE WHEN a THEN b END)", "case"),
        ("(CASE WHEN a THEN 1 ELSE b END)", "b"),
        ("(ARRAY[a])", "array"),
        ("(ROW(a, b))", "row"),
        ("(greatest(a, b))", "greatest"),
        ("(nullif(a, b))", "nullif"),
        ("(current_date)", "current_date"),
        ("((data).field)", "field"),
        ('(a COLLATE "C")', "a"),
        ("(s.f(a))", "f"),
    ],
)
def test_index_column_name(expression, name):
    assert index_column_name(_index_expressions(f"CREATE INDEX ON t ({expression})")[0]) == name


def test_make_object_name_without_a_second_part_or_label():
    assert make_object_name("t", None, "pkey") == "t_pkey"
    assert make_object_name("x" * 70, None, None) == "x" * 63


def test_name_addition_and_repeated_index_columns():
    assert name_addition([]) is None
    assert name_addition(["a", "b"]) == "a_b"
    assert index_column_names(["expr", "expr", "a", "expr"]) == ["expr", "expr1", "a", "expr2"]
