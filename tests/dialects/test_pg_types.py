"""Type spelling as PostgreSQL 15's `format_type()` prints it.

The right-hand column was read from a PostgreSQL 15.20 server
(`SELECT format_type(atttypid, atttypmod) FROM pg_attribute …`) after creating a table
with one column per written type. The one deliberate difference: user types keep their
name unquoted (`Role`, where the server prints `"Role"`), so that rules and the replay
match columns to enums by name.
"""

from __future__ import annotations

import json

import pytest
from pglast.parser import parse_sql_json

from linter.dialects.pg_types import format_type, quoted_type, serial_type, without_typmod

SERVER_SPELLINGS = [
    ("int4", "integer"),
    ("int8", "bigint"),
    ("int2", "smallint"),
    ("varchar(255)", "character varying(255)"),
    ("varchar", "character varying"),
    ("bpchar(1)", "character(1)"),
    ("char", "character(1)"),
    ("char(5)", "character(5)"),
    ("timestamp(3)", "timestamp(3) without time zone"),
    ("timestamptz", "timestamp with time zone"),
    ("timestamptz(6)", "timestamp(6) with time zone"),
    ("time", "time without time zone"),
    ("timetz", "time with time zone"),
    ("bool", "boolean"),
    ("float8", "double precision"),
    ("float4", "real"),
    ("numeric(65,30)", "numeric(65,30)"),
    ("decimal", "numeric"),
    ("text[]", "text[]"),
    ("integer[]", "integer[]"),
    ("int[][]", "integer[]"),
    ("bit varying(5)", "bit varying(5)"),
    ("interval", "interval"),
    ("json", "json"),
    ("jsonb", "jsonb"),
    ("uuid", "uuid"),
    ("bytea", "bytea"),
    ("inet", "inet"),
    ("citext", "citext"),
    ('"char"', '"char"'),
    ("double precision", "double precision"),
    ('"Role"', "Role"),  # server: "Role"
    ("other.mood", "other.mood"),
    ("bpchar", "bpchar"),
    ("bit", "bit(1)"),
    ("varbit", "bit varying"),
    ("float", "double precision"),
    ("float(10)", "real"),
    ("float(30)", "double precision"),
    ("timestamp", "timestamp without time zone"),
    ("time(3)", "time(3) without time zone"),
    ("time(2) with time zone", "time(2) with time zone"),
    ("interval(3)", "interval(3)"),
    ("interval day to second", "interval day to second"),
    ("interval year", "interval year"),
    ("interval hour to second(2)", "interval hour to second(2)"),
    ("numeric(10)", "numeric(10,0)"),
    ("character varying(10)[]", "character varying(10)[]"),
    ("public.citext", "citext"),
    ("real", "real"),
    ('"Role"[]', "Role[]"),  # server: "Role"[]
    ("money", "money"),
    ("date", "date"),
    ("xml", "xml"),
    ("tsvector", "tsvector"),
    ("oid", "oid"),
    ("name", "name"),
    ("int4range", "int4range"),
    ("bit(3)", "bit(3)"),
    ("dec(5,2)", "numeric(5,2)"),
    ("national character varying(3)", "character varying(3)"),
    ("nchar(2)", "character(2)"),
    ("char varying(4)", "character varying(4)"),
    ("timestamp without time zone", "timestamp without time zone"),
    ("time without time zone", "time without time zone"),
    ("pg_catalog.int4", "integer"),
    ("regclass", "regclass"),
    ("cidr", "cidr"),
    ("macaddr", "macaddr"),
    ("point", "point"),
    ('"Role"[][]', "Role[]"),  # server: "Role"[]
    ("interval second(3)", "interval second(3)"),
    ("integer[3]", "integer[]"),
    ("timestamptz(0)", "timestamp(0) with time zone"),
    ("varchar(10) array", "character varying(10)[]"),
    ("int array[4]", "integer[]"),
    ('"char"[]', '"char"[]'),
    ("pg_catalog.bpchar", "bpchar"),
    ("_int4", "integer[]"),
    ("int4[]", "integer[]"),
    ("character", "character(1)"),
    ("varbit(3)", "bit varying(3)"),
    ("bit varying", "bit varying"),
    ('"Role"', "Role"),  # server: "Role"
    ("pg_catalog.varchar(7)", "character varying(7)"),
    ("numeric(7,-2)", "numeric(7,-2)"),
    ('public."Role"', "Role"),  # server: "Role"
]


def _type_name(written: str) -> dict:
    parsed = json.loads(parse_sql_json(f"CREATE TABLE t (c {written})"))
    return parsed["stmts"][0]["stmt"]["CreateStmt"]["tableElts"][0]["ColumnDef"]["typeName"]


@pytest.mark.parametrize(("written", "spelled"), SERVER_SPELLINGS)
def test_spelling_matches_the_server(written, spelled):
    assert format_type(_type_name(written)) == spelled


@pytest.mark.parametrize(
    ("written", "real_type"),
    [
        ("serial", "integer"),
        ("serial4", "integer"),
        ("bigserial", "bigint"),
        ("serial8", "bigint"),
        ("smallserial", "smallint"),
        ("serial2", "smallint"),
        ("serial[]", None),
        ("public.serial", None),
        ("int", None),
    ],
)
def test_serial_types(written, real_type):
    assert serial_type(_type_name(written)) == real_type


@pytest.mark.parametrize(
    ("spelled", "bare"),
    [
        ("character varying(255)", "character varying"),
        ("numeric(10,2)[]", "numeric[]"),
        ("timestamp(3) with time zone", "timestamp with time zone"),
        ("text", "text"),
    ],
)
def test_without_typmod(spelled, bare):
    assert without_typmod(spelled) == bare


@pytest.mark.parametrize(
    ("spelled", "in_a_cast"),
    [
        ("MyEnum", '"MyEnum"'),
        ("other.Mood[]", 'other."Mood"[]'),
        ("character varying(3)", "character varying(3)"),
        ('"char"', '"char"'),
        ("timestamp with time zone", "timestamp with time zone"),
        ("citext", "citext"),
    ],
)
def test_quoted_type(spelled, in_a_cast):
    assert quoted_type(spelled) == in_a_cast
