"""Which column type changes PostgreSQL makes without rewriting the table, and which type
changes can lose data in any dialect.

Rewrites follow PostgreSQL's ALTER TABLE … TYPE: the table is kept as is when the cast from the
old type to the new one is binary-coercible (a relabel: varchar → text, cidr → inet, xml → text)
and any length coercion is a no-op by the type's support function (varchar_support,
numeric_support, varbit_support, timestamp_support, time_support, interval_support: the new
limit is at least the old one, or there is none). Everything else rewrites the table and all of
its indexes. `timestamp` → `timestamptz` skips the rewrite on PostgreSQL 12 and later only when
the session time zone has a zero offset: unless the migration itself sets such a time zone
(`utc_session`), dbvet treats it as a rewrite, since the server's default cannot be known.

Types are spelled as the schema keeps them: PostgreSQL's format_type (`character varying(20)`,
`timestamp(3) without time zone`), MySQL and SQLite lower-case as declared (`varchar(20)`,
`int unsigned`, `decimal(10,2)`).
"""

from __future__ import annotations

import re

from linter.records import Record

_ARRAY = re.compile(r"(\[\d*\])+$")

# Aliases, to one spelling per type (PostgreSQL's where it has one).
_ALIASES = {
    "varchar": "character varying",
    "char varying": "character varying",
    "nvarchar": "character varying",
    "char": "character",
    "bpchar": "character",
    "nchar": "character",
    "int": "integer",
    "int4": "integer",
    "int2": "smallint",
    "int8": "bigint",
    "decimal": "numeric",
    "dec": "numeric",
    "fixed": "numeric",
    "float8": "double precision",
    "double": "double precision",
    "float4": "real",
    "bool": "boolean",
    "timestamptz": "timestamp with time zone",
    "timetz": "time with time zone",
    "timestamp without time zone": "timestamp",
    "time without time zone": "time",
    "varbit": "bit varying",
}

# Integer types by their storage size: a smaller one cannot hold what a larger one did.
_INTEGER_BYTES = {"tinyint": 1, "smallint": 2, "mediumint": 3, "integer": 4, "bigint": 8, "serial": 4, "bigserial": 8}
# Decimal digits every value of an integer type fits in (what numeric(p, 0) must keep).
_INTEGER_DIGITS = {"tinyint": 2, "smallint": 4, "mediumint": 6, "integer": 9, "bigint": 18}
# Character types without a declared limit, with the most characters they hold (MySQL's text
# family is limited; PostgreSQL's text and unconstrained varchar are not).
_UNLIMITED = 1 << 62
_TEXT_LIMITS = {
    "text": _UNLIMITED,
    "tinytext": 255,
    "mediumtext": 16_777_215,
    "longtext": _UNLIMITED,
    "character varying": _UNLIMITED,
    "clob": _UNLIMITED,
}
_MYSQL_TEXT_LIMITS = {**_TEXT_LIMITS, "text": 65_535}
_STRING_WITH_LIMIT = frozenset({"character varying", "character", "varchar2", "binary", "varbinary"})
_FLOAT_BYTES = {"real": 4, "float": 4, "double precision": 8}
_WITH_DATE_AND_TIME = frozenset({"timestamp", "timestamp with time zone", "datetime"})
# Fractional-second types: no precision modifier means the most, 6 digits.
_SECONDS_PRECISION = frozenset({"timestamp", "timestamp with time zone", "time", "time with time zone", "interval"})
# Types whose precision modifier a support function compares (a wider or absent one is free).
_PRECISION_TYPES = _SECONDS_PRECISION | {"bit varying"}
# Binary-coercible casts between different types (pg_cast castmethod 'b', and the citext
# extension's casts), that need no check.
_RELABEL = frozenset(
    {
        ("character varying", "text"),
        ("text", "character varying"),
        ("cidr", "inet"),
        ("xml", "text"),
        ("xml", "character varying"),
        ("bit", "bit varying"),
        ("integer", "oid"),
        ("oid", "integer"),
        ("text", "citext"),
        ("citext", "text"),
        ("character varying", "citext"),
        ("citext", "character varying"),
    }
)


class SqlType(Record, frozen=True):
    base: str  # normalised: "character varying", "integer", "timestamp with time zone", …
    modifiers: tuple[int, ...]  # (20,) for varchar(20), (10, 2) for numeric(10,2); () for none
    unsigned: bool = False
    array: bool = False

    @property
    def element(self) -> SqlType:
        return SqlType(self.base, self.modifiers, self.unsigned, False)


def parse_type(spelled: str) -> SqlType:
    """A type as the schema spells it, normalised: `timestamp(3) without time zone` ->
    SqlType("timestamp", (3,)); `varchar(20)` -> SqlType("character varying", (20,))."""
    text = " ".join(spelled.strip().lower().replace('"', "").split())
    array = _ARRAY.search(text)
    if array is not None:
        text = text[: array.start()].rstrip()
    mods = ""
    opening = text.find("(")
    closing = text.find(")", opening)
    if opening >= 0 and closing > opening:
        mods = text[opening + 1 : closing]
        text = f"{text[:opening].rstrip()} {text[closing + 1 :].strip()}".strip()
    words = text.split()
    unsigned = "unsigned" in words
    base = " ".join(w for w in words if w not in ("unsigned", "signed", "zerofill"))
    base = _ALIASES.get(base, base)
    modifiers = tuple(int(part) for part in mods.replace(" ", "").split(",") if part.isdigit())
    if base in _INTEGER_BYTES:
        modifiers = ()  # MySQL's display width, not a limit
    if base == "float" and modifiers:
        # float(p): up to 24 bits of precision is single, more is double
        base, modifiers = ("real" if modifiers[0] <= 24 else "double precision"), ()
    return SqlType(base, modifiers, unsigned, array is not None)


def _not_narrower(old: tuple[int, ...], new: tuple[int, ...]) -> bool:
    """A length/precision modifier that keeps every old value: none, or at least the old one."""
    if not new:
        return True
    return bool(old) and new[0] >= old[0]


def rewrites_table(old: str, new: str, using_keeps_value: bool = True, utc_session: bool = False) -> bool:
    """Whether PostgreSQL rewrites the table for `ALTER COLUMN … TYPE new` on a column of type
    `old`. `using_keeps_value`: False when a USING expression computes something else than the
    column itself (then PostgreSQL rewrites whatever the types). `utc_session`: PostgreSQL 12 or
    later with a zero-offset session time zone, where timestamp and timestamptz relabel."""
    if not using_keeps_value:
        return True
    before, after = parse_type(old), parse_type(new)
    if utc_session and {before.base, after.base} == {"timestamp", "timestamp with time zone"}:
        before, after = (
            SqlType("timestamp", before.modifiers, array=before.array),
            SqlType("timestamp", after.modifiers, array=after.array),
        )
    if before.array != after.array:
        return True
    if before.array:
        # An array keeps its storage only when its element type stays and the new length, if
        # any, is no check: between element types (varchar[] -> text[]) PostgreSQL converts
        # every array, even where the elements alone would be relabelled.
        if before.base != after.base:
            return True
        if before.modifiers == after.modifiers:
            return False
        return after.modifiers != () or not _relabels(before.element, after.element)
    return not _relabels(before, after)


def _relabels(before: SqlType, after: SqlType) -> bool:
    if before.base in _SECONDS_PRECISION and not before.modifiers:
        before = SqlType(before.base, (6,), before.unsigned, before.array)
    if after.base in _SECONDS_PRECISION and not after.modifiers:
        after = SqlType(after.base, (6,), after.unsigned, after.array)
    if before.base == after.base:
        if before.modifiers == after.modifiers:
            return True
        if before.base == "character varying" or before.base in _PRECISION_TYPES:
            return _not_narrower(before.modifiers, after.modifiers)
        if before.base == "numeric":
            if not after.modifiers:
                return True
            if len(before.modifiers) < 1:
                return False
            old_scale = before.modifiers[1] if len(before.modifiers) > 1 else 0
            new_scale = after.modifiers[1] if len(after.modifiers) > 1 else 0
            return new_scale == old_scale and after.modifiers[0] >= before.modifiers[0]
        return False
    if (before.base, after.base) in _RELABEL:
        # text -> varchar(n) and bit(n) -> varbit(m) check every value's length: a rewrite.
        return not after.modifiers
    return False


# Time zones with a zero offset and no daylight saving: what PostgreSQL checks for the timestamp
# <-> timestamptz relabel.
ZERO_OFFSET_ZONES = frozenset(
    {
        "utc",
        "etc/utc",
        "gmt",
        "etc/gmt",
        "uct",
        "etc/uct",
        "zulu",
        "etc/zulu",
        "universal",
        "etc/universal",
        "z",
        "gmt0",
        "etc/gmt0",
        "greenwich",
        "etc/greenwich",
        "+00",
        "00:00",
        "+00:00",
        "0",
    }
)


def could_be_free(new: str) -> bool:
    """Whether some old type reaches `new` without a rewrite: when the column's current type is
    unknown, only these changes may be harmless."""
    after = parse_type(new)
    return after.base in ("text", "character varying", "numeric", "inet") or after.base in _PRECISION_TYPES


def narrowing(old: str, new: str, dialect: str = "postgresql") -> str | None:
    """Why changing a column from `old` to `new` can lose data (or refuse existing values), in a
    few words; None when every old value fits the new type. MySQL's `text` holds 65535 bytes,
    PostgreSQL's and SQLite's any length."""
    before, after = parse_type(old), parse_type(new)
    if before.array != after.array:
        return None  # a different kind of value: not a narrowing, a conversion
    if dialect == "mysql":  # MySQL's times keep whole seconds unless a precision is given
        before, after = _mysql_seconds(before), _mysql_seconds(after)
    if before.base == after.base and before.modifiers == after.modifiers and before.unsigned == after.unsigned:
        return None
    limits = _MYSQL_TEXT_LIMITS if dialect == "mysql" else _TEXT_LIMITS
    width = _TEXT_WIDTHS.get(dialect)  # as each server prints values as text
    return (
        _string(before, after, limits)
        or (_as_text(before, after, limits, width) if width is not None else None)
        or _number(before, after)
        or _temporal(before, after)
        or (_mysql_temporal(before, after) if dialect == "mysql" else None)
    )


_MYSQL_SECONDS = frozenset({"timestamp", "time", "datetime"})


def _mysql_seconds(t: SqlType) -> SqlType:
    if t.base in _MYSQL_SECONDS and not t.modifiers:
        return SqlType(t.base, (0,), t.unsigned, t.array)
    return t


def _mysql_temporal(before: SqlType, after: SqlType) -> str | None:
    """MySQL's temporal conversions that PostgreSQL refuses without USING, and its timestamp range."""
    if after.base == "timestamp" and before.base in ("date", "datetime"):
        return "timestamp holds only 1970 to 2038"
    if before.base == "date" and after.base == "time":
        return "the date is lost"
    if before.base == "time" and after.base in ("date", "datetime", "timestamp"):
        return "a time (up to 838 hours, or negative) is no time of day"
    return None


# The most characters a value of these types takes as text (a sign, a point, an exponent; dates
# BC and time zones such as +05:30). Unconstrained numeric and interval have no bound.
_TEXT_WIDTH = {
    "tinyint": 4, "smallint": 6, "mediumint": 8, "integer": 11, "bigint": 20,
    "real": 14, "float": 14, "double precision": 24, "boolean": 5, "uuid": 36,
    "date": 13, "time": 15, "time with time zone": 21, "timestamp": 29, "timestamp with time zone": 35,
}  # fmt: skip


# MySQL's: no BC dates, a time runs to -838:59:59; floats print 6 or 17 significant digits.
_MYSQL_TEXT_WIDTH = {
    "tinyint": 4, "smallint": 6, "mediumint": 8, "integer": 11, "bigint": 20,
    "float": 12, "real": 12, "double precision": 23, "date": 10, "time": 10, "timestamp": 19, "datetime": 19,
}  # fmt: skip
_MYSQL_UNSIGNED_WIDTH = {"tinyint": 3, "smallint": 5, "mediumint": 8, "integer": 10, "bigint": 20}


def _numeric_width(t: SqlType) -> int | None:
    if not t.modifiers:
        return None
    precision, scale = t.modifiers[0], (t.modifiers[1] if len(t.modifiers) > 1 else 0)
    return precision + 1 + (2 if scale >= precision else 1 if scale else 0)  # sign, point, leading 0


def _text_width(t: SqlType) -> int | None:
    if t.base == "numeric":
        return _numeric_width(t)
    width = _TEXT_WIDTH.get(t.base)
    if width is not None and t.base in _SECONDS_PRECISION and t.modifiers:
        width -= 6 - t.modifiers[0] + (1 if t.modifiers[0] == 0 else 0)  # fewer fractional digits, no point
    return width


def _mysql_text_width(t: SqlType) -> int | None:
    if t.base == "numeric":
        return _numeric_width(t)
    if t.unsigned and t.base in _MYSQL_UNSIGNED_WIDTH:
        return _MYSQL_UNSIGNED_WIDTH[t.base]
    width = _MYSQL_TEXT_WIDTH.get(t.base)
    if width is not None and t.base in _MYSQL_SECONDS and t.modifiers and t.modifiers[0]:
        width += 1 + t.modifiers[0]  # the point and the fractional digits
    return width


_TEXT_WIDTHS = {"postgresql": _text_width, "mysql": _mysql_text_width}


def _as_text(before: SqlType, after: SqlType, limits: dict[str, int], text_width) -> str | None:
    """A value of another kind written into a string with a limit."""
    if _limit(before, limits) is not None:
        return None  # string to string: `_string`
    limit = _limit(after, limits)
    if limit is None or limit == _UNLIMITED:
        return None
    width = text_width(before)
    if width is None or width > limit:
        return f"{before.base} values written as text can be longer than {limit} characters"
    return None


def _limit(t: SqlType, limits: dict[str, int]) -> int | None:
    if t.base in limits and not (t.base == "character varying" and t.modifiers):
        return limits[t.base]
    if t.base in _STRING_WITH_LIMIT:
        return t.modifiers[0] if t.modifiers else (1 if t.base == "character" else _UNLIMITED)
    return None


def _string(before: SqlType, after: SqlType, limits: dict[str, int]) -> str | None:
    old, new = _limit(before, limits), _limit(after, limits)
    if old is None or new is None or new >= old:
        return None
    if old == _UNLIMITED:
        return f"values longer than {new} characters do not fit"
    return f"the limit drops from {old} to {new} characters"


def _number(before: SqlType, after: SqlType) -> str | None:
    if before.base in _INTEGER_BYTES and after.base in _INTEGER_BYTES:
        if _INTEGER_BYTES[after.base] < _INTEGER_BYTES[before.base]:
            return f"{after.base} holds a smaller range than {before.base}"
        if before.unsigned != after.unsigned and _INTEGER_BYTES[after.base] == _INTEGER_BYTES[before.base]:
            return "negative values do not fit" if after.unsigned else "the upper half of the range does not fit"
        if after.unsigned and not before.unsigned:
            return "negative values do not fit"
        return None
    if before.base == "numeric" and after.base == "numeric":
        if not before.modifiers:
            return "an unconstrained numeric does not fit a fixed precision" if after.modifiers else None
        if not after.modifiers:
            return None
        old_scale = before.modifiers[1] if len(before.modifiers) > 1 else 0
        new_scale = after.modifiers[1] if len(after.modifiers) > 1 else 0
        if new_scale < old_scale:
            return f"the scale drops from {old_scale} to {new_scale}: digits after the point are rounded off"
        if after.modifiers[0] - new_scale < before.modifiers[0] - old_scale:
            return "fewer digits before the point"
        return None
    if before.base == "numeric" and after.base in _INTEGER_DIGITS:
        scale = before.modifiers[1] if len(before.modifiers) > 1 else 0
        if not before.modifiers or scale > 0:
            return "the fraction is rounded off"
        if before.modifiers[0] > _INTEGER_DIGITS[after.base]:
            return f"{after.base} holds fewer digits than numeric({before.modifiers[0]})"
        return None
    if before.base in _FLOAT_BYTES and after.base in _FLOAT_BYTES:
        if _FLOAT_BYTES[after.base] < _FLOAT_BYTES[before.base]:
            return f"{after.base} keeps fewer digits than {before.base}"
        return None
    if before.base in _FLOAT_BYTES and (after.base in _INTEGER_DIGITS or after.base == "numeric"):
        return "the fraction (or the magnitude) of floating-point values is lost"
    if after.base in _FLOAT_BYTES and before.base in _INTEGER_BYTES:
        # real holds every integer up to 2^24 exactly (MySQL's mediumint too), double precision up to 2^53
        if _INTEGER_BYTES[before.base] > (3 if _FLOAT_BYTES[after.base] == 4 else 4):
            return f"large {before.base} values are rounded in {after.base}"
        return None
    if after.base in _FLOAT_BYTES and before.base == "numeric":
        digits = 6 if _FLOAT_BYTES[after.base] == 4 else 15  # FLT_DIG, DBL_DIG
        if not before.modifiers or before.modifiers[0] > digits:
            return f"{after.base} keeps {digits} significant digits: longer numbers are rounded"
        return None
    if before.base in _INTEGER_DIGITS and after.base == "numeric" and after.modifiers:
        scale = after.modifiers[1] if len(after.modifiers) > 1 else 0
        if after.modifiers[0] - scale < _INTEGER_DIGITS[before.base] + 1:
            return f"numeric({', '.join(map(str, after.modifiers))}) holds fewer digits than {before.base}"
    return None


def _temporal(before: SqlType, after: SqlType) -> str | None:
    if before.base == "interval" and after.base in ("time", "time with time zone"):
        return "days, and intervals of 24 hours or more, do not fit a time of day"
    if before.base in ("time", "time with time zone") and after.base == "interval":
        old = before.modifiers[0] if before.modifiers else 6
        new = after.modifiers[0] if after.modifiers else 6
        return f"fractional seconds drop from {old} to {new} digits" if new < old else None
    if before.base in _WITH_DATE_AND_TIME and after.base == "date":
        return "the time of day is lost"
    if before.base in _WITH_DATE_AND_TIME and after.base in ("time", "time with time zone"):
        return "the date is lost"
    same_kind = before.base == after.base or {before.base, after.base} <= _WITH_DATE_AND_TIME
    if same_kind and before.base != "bit varying" and (before.base in _PRECISION_TYPES or before.base == "datetime"):
        old = before.modifiers[0] if before.modifiers else 6
        new = after.modifiers[0] if after.modifiers else (6 if after.base != "datetime" else 0)
        if before.base == "datetime" and not before.modifiers:
            old = 0
        if new < old:
            return f"fractional seconds drop from {old} to {new} digits"
    bits = before.base == after.base == "bit varying" and bool(after.modifiers)
    if bits and (not before.modifiers or after.modifiers[0] < before.modifiers[0]):
        return "longer bit strings do not fit"
    return None
