"""Type-change facts: which ALTER COLUMN … TYPE PostgreSQL does without a rewrite, and which
changes can lose data."""

from __future__ import annotations

import pytest

from linter.pgtypes_compat import SqlType, could_be_free, narrowing, parse_type, rewrites_table


@pytest.mark.parametrize(
    ("spelled", "parsed"),
    [
        ("character varying(20)", SqlType("character varying", (20,))),
        ("timestamp(3) without time zone", SqlType("timestamp", (3,))),
        ("timestamp(3) with time zone", SqlType("timestamp with time zone", (3,))),
        ("numeric(10, 2)", SqlType("numeric", (10, 2))),
        ("decimal(10,2)", SqlType("numeric", (10, 2))),
        ("int(11) unsigned", SqlType("integer", (), unsigned=True)),
        ("character varying(10)[]", SqlType("character varying", (10,), array=True)),
        ('"Role"', SqlType("role", ())),
        ("float(53)", SqlType("double precision", ())),
    ],
)
def test_parse_type(spelled, parsed):
    assert parse_type(spelled) == parsed


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("character varying(20)", "character varying(50)"),
        ("character varying(20)", "character varying"),
        ("character varying(20)", "text"),
        ("text", "character varying"),
        ("numeric(10,2)", "numeric(12,2)"),
        ("numeric(10,2)", "numeric"),
        ("cidr", "inet"),
        ("xml", "text"),
        ("bit varying(5)", "bit varying(9)"),
        ("timestamp(3) without time zone", "timestamp without time zone"),
        ("timestamp with time zone", "timestamp with time zone"),
        ("character varying(20)[]", "character varying[]"),
        ("integer", "integer"),
        ("timestamp", "timestamp(6)"),  # no precision is 6 digits
        ("interval", "interval(6)"),
        ("bit(10)", "bit varying"),
        ("integer", "oid"),
        ("text", "citext"),
        ("citext", "character varying"),
    ],
)
def test_binary_compatible(old, new):
    assert rewrites_table(old, new) is False


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("integer", "bigint"),
        ("character varying(50)", "character varying(20)"),
        ("text", "character varying(20)"),
        ("numeric(10,2)", "numeric(12,3)"),
        ("numeric(10,2)", "numeric(8,2)"),
        ("numeric", "numeric(10,2)"),
        ("timestamp without time zone", "timestamp with time zone"),
        ("json", "jsonb"),
        ("inet", "cidr"),
        ("text", "Role"),
        ("character(3)", "text"),
        ("character varying(20)[]", "character varying(30)[]"),
        ("character varying(20)[]", "text[]"),  # arrays of another element type are converted
        ("text[]", "character varying[]"),
        ("timestamp", "timestamp(3)"),
        ("bit(10)", "bit varying(20)"),
        ("text", "text[]"),
    ],
)
def test_rewrites(old, new):
    assert rewrites_table(old, new) is True


def test_a_using_expression_that_computes_a_value_rewrites():
    assert rewrites_table("character varying(20)", "text", using_keeps_value=False) is True


def test_targets_that_some_type_reaches_for_free():
    assert [could_be_free(t) for t in ("text", "character varying(30)", "numeric", "bigint", "uuid", "jsonb")] == [
        True,
        True,
        True,
        False,
        False,
        False,
    ]


@pytest.mark.parametrize(
    ("old", "new", "why", "dialect"),
    [
        ("character varying(50)", "character varying(20)", "the limit drops from 50 to 20 characters", "postgresql"),
        ("text", "character varying(255)", "values longer than 255 characters do not fit", "postgresql"),
        ("longtext", "text", "values longer than 65535 characters do not fit", "mysql"),
        ("varchar(100)", "char(10)", "the limit drops from 100 to 10 characters", "postgresql"),
        ("bigint", "integer", "integer holds a smaller range than bigint", "postgresql"),
        ("int", "smallint", "smallint holds a smaller range than integer", "postgresql"),
        ("int unsigned", "int", "the upper half of the range does not fit", "postgresql"),
        ("int", "bigint unsigned", "negative values do not fit", "postgresql"),
        (
            "numeric(10,4)",
            "numeric(10,2)",
            "the scale drops from 4 to 2: digits after the point are rounded off",
            "postgresql",
        ),
        ("numeric(12,2)", "numeric(10,2)", "fewer digits before the point", "postgresql"),
        ("numeric", "numeric(10,2)", "an unconstrained numeric does not fit a fixed precision", "postgresql"),
        ("decimal(10,2)", "int", "the fraction is rounded off", "postgresql"),
        ("double precision", "real", "real keeps fewer digits than double precision", "postgresql"),
        ("timestamp with time zone", "date", "the time of day is lost", "postgresql"),
        ("datetime", "date", "the time of day is lost", "mysql"),
        (
            "timestamp(6) without time zone",
            "timestamp(3) without time zone",
            "fractional seconds drop from 6 to 3 digits",
            "postgresql",
        ),
        ("datetime(6)", "datetime", "fractional seconds drop from 6 to 0 digits", "mysql"),
        ("bit varying(8)", "bit varying(4)", "longer bit strings do not fit", "postgresql"),
        (
            "character varying(50)[]",
            "character varying(20)[]",
            "the limit drops from 50 to 20 characters",
            "postgresql",
        ),
    ],
)
def test_narrowing(old, new, why, dialect):
    assert narrowing(old, new, dialect) == why


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("character varying(20)", "character varying(50)"),
        ("character varying(255)", "text"),
        ("text", "longtext"),
        ("integer", "bigint"),
        ("smallint", "int"),
        ("numeric(10,2)", "numeric(12,4)"),
        ("numeric(10,2)", "numeric"),
        ("integer", "numeric(12,0)"),
        ("date", "timestamp with time zone"),
        ("timestamp without time zone", "timestamp with time zone"),
        ("real", "double precision"),
        ("text", "jsonb"),
        ("varchar(10)", "int"),
        ("text", "text[]"),
    ],
)
def test_not_narrowing(old, new):
    assert narrowing(old, new) is None


def test_timestamp_relabels_to_timestamptz_only_in_a_utc_session():
    assert [
        rewrites_table("timestamp without time zone", "timestamp with time zone"),
        rewrites_table("timestamp without time zone", "timestamp with time zone", utc_session=True),
        rewrites_table("timestamp(3) with time zone", "timestamp(6) without time zone", utc_session=True),
        rewrites_table("timestamp(6) without time zone", "timestamp(3) with time zone", utc_session=True),
    ] == [True, False, False, True]


@pytest.mark.parametrize(
    ("old", "new", "why"),
    [
        ("bigint", "double precision", "large bigint values are rounded in double precision"),
        ("integer", "real", "large integer values are rounded in real"),
        ("numeric(10,2)", "real", "real keeps 6 significant digits: longer numbers are rounded"),
        ("numeric", "double precision", "double precision keeps 15 significant digits: longer numbers are rounded"),
        ("integer", "character varying(10)", "integer values written as text can be longer than 10 characters"),
        ("date", "character varying(10)", "date values written as text can be longer than 10 characters"),
        ("interval", "time", "days, and intervals of 24 hours or more, do not fit a time of day"),
        ("time", "interval(3)", "fractional seconds drop from 6 to 3 digits"),
    ],
)
def test_conversions_across_kinds_that_lose_data(old, new, why):
    assert narrowing(old, new) == why


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("smallint", "real"),
        ("integer", "double precision"),
        ("numeric(8,2)", "double precision"),
        ("integer", "character varying(11)"),
        ("numeric(10,2)", "character varying(12)"),
        ("uuid", "character varying(36)"),
        ("time", "interval"),
        ("bigint", "text"),
    ],
)
def test_conversions_across_kinds_that_keep_every_value(old, new):
    assert narrowing(old, new) is None


def test_text_widths_are_each_server_s():
    """MySQL prints dates and numbers its own way (no BC dates; floats with fewer digits)."""
    assert narrowing("date", "character varying(10)", "mysql") is None
    assert narrowing("date", "character varying(10)") == "date values written as text can be longer than 10 characters"
    assert narrowing("double", "varchar(23)", "mysql") is None
    assert narrowing("double precision", "character varying(23)") is not None
    assert narrowing("int unsigned", "varchar(10)", "mysql") is None
    assert narrowing("int", "varchar(10)", "mysql") == "integer values written as text can be longer than 10 characters"
    assert narrowing("date", "character varying(10)", "sqlite") is None  # SQLite keeps any text
