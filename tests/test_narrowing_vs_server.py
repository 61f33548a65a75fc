"""`narrowing` (D008) against PostgreSQL itself: for every pair of these types that PostgreSQL
converts without a USING clause, the change loses data when some value of the old type (the
widest and most precise ones below) is refused, or comes back different when read as the old
type again. dbvet must say so exactly then."""

from __future__ import annotations

import itertools

from linter.pgtypes_compat import narrowing

# The widest values of each type, and ones precise enough to show rounding.
SAMPLES = {
    "smallint": ["32767", "-32768"],
    "integer": ["2147483647", "-2147483648"],
    "bigint": ["9223372036854775807", "-9223372036854775808"],
    "numeric(10,2)": ["-99999999.99", "0.01"],
    "numeric(12,2)": ["-9999999999.99", "0.01"],
    "numeric(10,4)": ["-999999.9999", "0.0001"],
    "numeric(8,2)": ["-999999.99", "0.01"],
    "numeric(12,4)": ["-99999999.9999", "0.0001"],
    "numeric": ["-123456789012345678901234567890.123456789", "0.000000001"],
    "real": ["-3.4028235e38", "1.2345678", "-1.1754944e-38"],
    "double precision": ["-1.7976931348623157e308", "1.2345678901234567", "-2.2250738585072014e-308"],
    "character varying(10)": ["'" + "x" * 10 + "'"],
    "character varying(20)": ["'" + "x" * 20 + "'"],
    "text": ["'" + "x" * 300 + "'"],
    "character(10)": ["'" + "x" * 10 + "'"],
    "character(20)": ["'" + "x" * 20 + "'"],
    "timestamp": ["'2020-01-01 12:34:56.123456'", "'4713-01-01 12:34:56.123456 BC'"],
    "timestamp(3)": ["'2020-01-01 12:34:56.123'", "'4713-01-01 12:34:56.123 BC'"],
    "timestamp(0)": ["'2020-01-01 12:34:56'", "'4713-01-01 12:34:56 BC'"],
    "timestamp with time zone": ["'2020-01-01 12:34:56.123456+00'", "'4713-01-01 12:34:56.123456+00 BC'"],
    "date": ["'2020-01-01'", "'4713-01-01 BC'"],
    "time": ["'12:34:56.123456'"],
    "time(3)": ["'12:34:56.123'"],
    "time(0)": ["'12:34:56'"],
    "interval": ["'1 day 00:00:00.123456'", "'178000000 years 11 months'"],
    "interval(3)": ["'1 day 00:00:00.123'", "'178000000 years 11 months'"],
}

# Puts one value in a fresh table of the old type, changes the type and reads it back as the old
# type: true when the change refuses it or changes it, NULL when the change needs USING.
PROBE = """
CREATE FUNCTION pg_temp.loses(old text, new text, value text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    before text;
    after text;
BEGIN
    EXECUTE format('CREATE TEMP TABLE probe (v %s)', old);
    EXECUTE format('INSERT INTO probe VALUES (%s)', value);
    EXECUTE 'SELECT v::text FROM probe' INTO before;
    BEGIN
        EXECUTE format('ALTER TABLE probe ALTER COLUMN v TYPE %s', new);
    EXCEPTION
        WHEN datatype_mismatch OR cannot_coerce THEN
            DROP TABLE probe;
            RETURN NULL;
        WHEN OTHERS THEN  -- out of range, too long: the change refuses the value
            DROP TABLE probe;
            RETURN true;
    END;
    BEGIN
        EXECUTE format('SELECT (v::%s)::text FROM probe', old) INTO after;
    EXCEPTION WHEN OTHERS THEN  -- it no longer fits the old type: it was changed
        after := NULL;
    END;
    DROP TABLE probe;
    RETURN after IS DISTINCT FROM before;
END
$$
"""


def test_narrowing_agrees_with_postgresql(pg_database):
    import psycopg

    cases = [(old, new, value) for old, new in itertools.permutations(SAMPLES, 2) for value in SAMPLES[old]]
    with psycopg.connect(pg_database, autocommit=True) as connection:
        connection.execute("SET TIME ZONE 'UTC'")
        connection.execute(PROBE)
        answers = connection.execute(
            "SELECT pg_temp.loses(old, new, value)"
            " FROM unnest(%s::text[], %s::text[], %s::text[]) AS c(old, new, value)",
            ([c[0] for c in cases], [c[1] for c in cases], [c[2] for c in cases]),
        ).fetchall()
    loses: dict[tuple[str, str], bool] = {}
    for (old, new, _), (answer,) in zip(cases, answers):
        if answer is not None:
            loses[old, new] = loses.get((old, new), False) or answer
    disagree = [
        f"{old} -> {new}: PostgreSQL {'loses data' if lost else 'keeps every value'}; dbvet: {narrowing(old, new)!r}"
        for (old, new), lost in loses.items()
        if lost != (narrowing(old, new) is not None)
    ]
    assert disagree == []
    assert len(loses) > 250  # most pairs convert without USING
