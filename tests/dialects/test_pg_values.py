"""Constants as PostgreSQL prints them after reading them into a type.

Each expected string is what a PostgreSQL 15.20 server printed (`pg_get_expr` of a column
default of that type, written as the left-hand literal); the server cases in
tests/test_pg_replay_forms.py check the same spellings end to end.
"""

from __future__ import annotations

import pytest

from linter.dialects.pg_values import (
    date_text,
    integer_array_text,
    interval_text,
    jsonb_text,
    string_literal,
    text_array_text,
    timestamp_text,
    uuid_text,
)


def test_jsonb_orders_keys_by_length_then_bytes_and_keeps_the_last_duplicate():
    assert jsonb_text('{"x":0,"y":{"bb":1,"a":[1, 2.50,1e2]},"w":"é\\n","x":3}') == (
        '{"w": "é\\n", "x": 3, "y": {"a": [1, 2.50, 100], "bb": 1}}'
    )
    assert jsonb_text('{"x":0,"y":0,"w":4,"h":3}') == '{"h": 3, "w": 4, "x": 0, "y": 0}'
    assert [jsonb_text(text) for text in ("[]", "{}", "null", " true ")] == ["[]", "{}", "null", "true"]
    assert jsonb_text("{not json") == "{not json"  # the server rejects it; nothing to print


@pytest.mark.parametrize(
    ("written", "printed"),
    [
        ("1 day", "1 day"),
        ("1 day 2 hours", "1 day 02:00:00"),
        ("2 weeks", "14 days"),
        ("1 mon", "1 mon"),
        ("90 seconds", "00:01:30"),
        ("00:30:00", "00:30:00"),
        ("1 year 13 months", "2 years 1 mon"),
        ("0", "00:00:00"),
        ("60 minutes", "01:00:00"),
        ("3 days 01:00", "3 days 01:00:00"),
        ("@ 1 minute", "00:01:00"),
        ("36 hours", "36:00:00"),
        ("2 h", "02:00:00"),
    ],
)
def test_interval(written, printed):
    assert interval_text(written) == printed


def test_dates_timestamps_uuids_and_arrays():
    assert date_text("2020-1-2") == "2020-01-02"
    assert timestamp_text("2020-01-01") == "2020-01-01 00:00:00"
    assert timestamp_text("2020-01-01T10:00:05.120") == "2020-01-01 10:00:05.12"
    assert timestamp_text("2020-1-1 1:02:03") == "2020-01-01 01:02:03"
    assert uuid_text("{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}") == "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"
    assert uuid_text("a0eebc999c0b4ef8bb6d6bb9bd380a11") == "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"
    assert integer_array_text("{ -1 , 2 }") == "{-1,2}"
    assert text_array_text('{a, "b c", NULL, "NULL", ""}') == '{a,"b c",NULL,"NULL",""}'


def test_string_literals_take_the_type_they_are_read_as():
    assert string_literal("5", "integer") == "5"
    assert string_literal("-5", "integer") == "'-5'::integer"
    assert string_literal("42", "bigint") == "'42'::bigint"
    assert string_literal("yes", "boolean") == "true"
    assert string_literal("1.50", "numeric") == "1.50"
    assert string_literal("a", "bpchar") == "'a'::bpchar"
    assert string_literal("it's", None) == "'it''s'::text"
    assert string_literal("a\\b", "text") == "'a\\b'::text"
    assert string_literal('{"b":1, "a":[1,2]}', "jsonb") == '\'{"a": [1, 2], "b": 1}\'::jsonb'
    assert string_literal("{a, b}", "text[]") == "'{a,b}'::text[]"
