"""`narrowing(…, "mysql")` (D008 on MySQL) against MariaDB itself, as the PostgreSQL test does:
a fresh table of the old type holds one of its widest or most precise values, the column is
changed to the new type (strict mode, the default) and read back: as text when the new type is a
string, otherwise after changing it back to the old type. The change loses data when the server
refuses it or the value comes back different; dbvet must say so exactly then. Pairs are tried
within numbers, strings and temporal types, and from each to strings."""

from __future__ import annotations

import itertools

from linter.pgtypes_compat import narrowing

NUMBERS = {
    "tinyint": ["127", "-128"],
    "tinyint unsigned": ["255"],
    "smallint": ["32767", "-32768"],
    "smallint unsigned": ["65535"],
    "mediumint": ["8388607", "-8388608"],
    "int": ["2147483647", "-2147483648", "16777217"],
    "int unsigned": ["4294967295", "16777217"],
    "bigint": ["9223372036854775807", "-9223372036854775808", "9007199254740993"],
    "bigint unsigned": ["18446744073709551615", "9007199254740993"],
    "decimal(10,2)": ["-99999999.99", "0.01"],
    "decimal(12,4)": ["-99999999.9999", "0.0001"],
    "decimal(8,2)": ["-999999.99", "0.01"],
    "decimal(30,10)": ["-99999999999999999999.9999999999"],
    "float": ["1.23457", "-3.40282e38"],
    "double": ["1.2345678901234567", "-1.7976931348623157e308"],
}
STRINGS = {
    "varchar(10)": ["'" + "x" * 10 + "'"],
    "varchar(20)": ["'" + "x" * 20 + "'"],
    "varchar(255)": ["'" + "x" * 255 + "'"],
    "char(10)": ["'" + "x" * 10 + "'"],
    "char(20)": ["'" + "x" * 20 + "'"],
    "tinytext": ["REPEAT('x', 255)"],
    "text": ["REPEAT('x', 65535)"],
    "mediumtext": ["REPEAT('x', 70000)"],
}
TEMPORAL = {
    "date": ["'1000-01-01'", "'9999-12-31'"],
    "datetime": ["'1000-01-01 00:00:00'", "'9999-12-31 23:59:59'"],
    "datetime(3)": ["'2020-01-01 12:34:56.123'", "'1000-01-01 00:00:00.000'"],
    "datetime(6)": ["'2020-01-01 12:34:56.123456'", "'9999-12-31 23:59:59.999999'"],
    "time": ["'838:59:59'", "'-838:59:59'"],
    "time(6)": ["'12:34:56.123456'", "'-838:59:59.000000'"],
    "timestamp": ["'2038-01-19 03:14:07'", "'1970-01-01 00:00:01'"],
    "timestamp(6)": ["'2020-01-01 12:34:56.123456'"],
}
SAMPLES = {**NUMBERS, **STRINGS, **TEMPORAL}
KIND = {**dict.fromkeys(NUMBERS, "number"), **dict.fromkeys(STRINGS, "string"), **dict.fromkeys(TEMPORAL, "time")}


def _loses(cursor, old: str, new: str, value: str) -> bool:
    import pymysql

    cursor.execute("DROP TABLE IF EXISTS probe")
    cursor.execute(f"CREATE TABLE probe (v {old})")
    cursor.execute(f"INSERT INTO probe VALUES ({value})")
    cursor.execute("SELECT CAST(v AS CHAR) FROM probe")
    (before,) = cursor.fetchone()
    try:
        cursor.execute(f"ALTER TABLE probe MODIFY v {new}")
        if KIND[new] != "string":  # read it as the old type again
            cursor.execute(f"ALTER TABLE probe MODIFY v {old}")
    except pymysql.MySQLError:  # out of range, too long, invalid: the change refuses the value
        return True
    cursor.execute("SELECT CAST(v AS CHAR) FROM probe")
    return cursor.fetchone()[0] != before


def test_narrowing_agrees_with_mariadb(mysql_database):
    import pymysql

    params, name = mysql_database
    pairs = [(old, new) for old, new in itertools.permutations(SAMPLES, 2) if KIND[new] in (KIND[old], "string")]
    with pymysql.connect(**params, database=name) as connection:
        cursor = connection.cursor()
        cursor.execute("SET SESSION sql_mode = 'STRICT_TRANS_TABLES', time_zone = '+00:00'")
        loses = {(old, new): any(_loses(cursor, old, new, value) for value in SAMPLES[old]) for old, new in pairs}
    disagree = [
        f"{old} -> {new}: MariaDB {'loses data' if lost else 'keeps every value'}; "
        f"dbvet: {narrowing(old, new, 'mysql')!r}"
        for (old, new), lost in loses.items()
        if lost != (narrowing(old, new, "mysql") is not None)
    ]
    assert disagree == []
    assert len(loses) == 506 and sum(loses.values()) == 248  # every pair ran; the test sees losses too
