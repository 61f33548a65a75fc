"""Type names as PostgreSQL's `format_type()` prints them, from pglast's `TypeName` JSON.

Rules compare column types by these spellings (`character varying(255)`, `timestamp(3) with
time zone`, `integer[]`), so `int4`, `INT` and `integer` must all come out the same.
Checked against PostgreSQL 15. User types keep the name as written, unquoted (so rules match
columns to enums by name), without a `public.` qualifier (PostgreSQL prints them unqualified
when their schema is on the search path); `quoted_type` gives the exact `format_type` form
(`"Role"[]`) for output and for casts.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Built-in types whose printed name differs from the internal one, or that take no typmod
# display of their own. Keys are pg_catalog names as the parser produces them.
_PLAIN = {
    "int4": "integer",
    "int8": "bigint",
    "int2": "smallint",
    "float8": "double precision",
    "float4": "real",
    "bool": "boolean",
    "char": '"char"',
}
# Types whose modifiers print as "(n[,m])" after the name.
_WITH_TYPMODS = {
    "varchar": "character varying",
    "bpchar": "character",
    "varbit": "bit varying",
    "bit": "bit",
    "numeric": "numeric",
}
# The time types: the precision goes between the name and the time-zone words.
_TIME = {
    "timestamp": ("timestamp", " without time zone"),
    "timestamptz": ("timestamp", " with time zone"),
    "time": ("time", " without time zone"),
    "timetz": ("time", " with time zone"),
}
# serial pseudo-types: the column gets this type, NOT NULL and a sequence default.
SERIALS = {
    "serial": "integer",
    "serial4": "integer",
    "bigserial": "bigint",
    "serial8": "bigint",
    "smallserial": "smallint",
    "serial2": "smallint",
}

# INTERVAL field masks (datetime.h: YEAR=2, MONTH=1, DAY=3, HOUR=10, MINUTE=11, SECOND=12).
_YEAR, _MONTH, _DAY, _HOUR, _MINUTE, _SECOND = (1 << 2, 1 << 1, 1 << 3, 1 << 10, 1 << 11, 1 << 12)
_INTERVAL_FULL_RANGE = 0x7FFF
_INTERVAL_FIELDS = {
    _YEAR: " year",
    _MONTH: " month",
    _DAY: " day",
    _HOUR: " hour",
    _MINUTE: " minute",
    _SECOND: " second",
    _YEAR | _MONTH: " year to month",
    _DAY | _HOUR: " day to hour",
    _DAY | _HOUR | _MINUTE: " day to minute",
    _DAY | _HOUR | _MINUTE | _SECOND: " day to second",
    _HOUR | _MINUTE: " hour to minute",
    _HOUR | _MINUTE | _SECOND: " hour to second",
    _MINUTE | _SECOND: " minute to second",
}


def type_names(type_name: dict[str, Any]) -> list[str]:
    return [item["String"]["sval"] for item in type_name.get("names", ()) if "String" in item]


def _typmods(type_name: dict[str, Any]) -> list[int | str]:
    """The modifiers as integers where they are integer constants, else their text."""
    values: list[int | str] = []
    for item in type_name.get("typmods", ()):
        const = item.get("A_Const")
        if const is not None and "ival" in const:
            values.append(const["ival"].get("ival", 0))
        elif const is not None and "sval" in const:
            values.append(const["sval"].get("sval", ""))
        elif const is not None and "fval" in const:
            values.append(const["fval"].get("fval", ""))
        else:
            values.append("?")
    return values


def serial_type(type_name: dict[str, Any]) -> str | None:
    """The integer type a `serial`-family column really gets, or None for other types.

    Like PostgreSQL, only an unqualified name without array brackets counts."""
    return _serial(type_name, type_names(type_name))


def _serial(type_name: dict[str, Any], names: list[str]) -> str | None:
    if len(names) != 1 or names[0] not in SERIALS or type_name.get("arrayBounds") or type_name.get("pct_type"):
        return None
    return SERIALS[names[0]]


def column_type(type_name: dict[str, Any]) -> tuple[str, bool]:
    """The type a column definition gives its column, and whether that is a serial's integer
    type: `serial_type` or else `format_type`, reading the names once."""
    names = type_names(type_name)
    serial = _serial(type_name, names)
    if serial is not None:
        return serial, True
    return _format(type_name, names), False


def format_type(type_name: dict[str, Any]) -> str:
    """The type as `format_type(atttypid, atttypmod)` prints it."""
    return _format(type_name, type_names(type_name))


def _format(type_name: dict[str, Any], names: list[str]) -> str:
    array = "[]" if type_name.get("arrayBounds") else ""
    if not names:
        return "unknown" + array
    schema = names[-2] if len(names) >= 2 else None
    base = names[-1]
    typmods = _typmods(type_name) if "typmods" in type_name else []
    if schema in (None, "pg_catalog"):
        if base.startswith("_") and not array and _known(base[1:]):
            base, array = base[1:], "[]"  # `_int4` is the array type of int4
        builtin = _builtin(base, typmods)
        if builtin is not None:
            return builtin + array
    modifiers = f"({','.join(str(value) for value in typmods)})" if typmods else ""
    if schema is None or schema == "public" or schema == "pg_catalog":
        return f"{base}{modifiers}{array}"
    return f"{schema}.{base}{modifiers}{array}"


def _known(base: str) -> bool:
    return base in _PLAIN or base in _WITH_TYPMODS or base in _TIME or base == "interval"


def _builtin(base: str, typmods: list[int | str]) -> str | None:
    if base in _PLAIN:
        return _PLAIN[base]
    if base in _TIME:
        name, zone = _TIME[base]
        precision = f"({typmods[0]})" if typmods else ""
        return f"{name}{precision}{zone}"
    if base in _WITH_TYPMODS:
        name = _WITH_TYPMODS[base]
        if base == "bpchar" and not typmods:
            return "bpchar"  # PostgreSQL prints a typmod-less bpchar by its internal name
        if base == "numeric" and len(typmods) == 1:
            return f"numeric({typmods[0]},0)"
        return name + (f"({','.join(str(value) for value in typmods)})" if typmods else "")
    if base == "interval":
        return "interval" + _interval_modifiers(typmods)
    return None


def _interval_modifiers(typmods: list[int | str]) -> str:
    if not typmods or not isinstance(typmods[0], int):
        return ""
    fields = _INTERVAL_FIELDS.get(typmods[0], "") if typmods[0] != _INTERVAL_FULL_RANGE else ""
    precision = f"({typmods[1]})" if len(typmods) > 1 else ""
    return fields + precision


def without_typmod(spelled: str) -> str:
    """`character varying(255)` -> `character varying`, `numeric(10,2)[]` -> `numeric[]`,
    `timestamp(3) with time zone` -> `timestamp with time zone`: how PostgreSQL names a
    constant's type when it prints a cast of a literal to a column's type."""
    open_at = spelled.find("(")
    if open_at < 0:
        return spelled
    close_at = spelled.find(")", open_at)
    if close_at < 0:
        return spelled
    bare = spelled[:open_at] + spelled[close_at + 1 :]
    # Without a length format_type spells character(n) as bpchar and bit(n) as "bit".
    if bare in ("character", "character[]"):
        return "bpchar" + bare[len("character") :]
    if bare in ("bit", "bit[]"):
        return '"bit"' + bare[len("bit") :]
    return bare


_BARE_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")
# Keywords pglast's grammar (PostgreSQL 17) knows but PostgreSQL 15 does not: the server
# leaves these names bare.
_NEWER_KEYWORDS = frozenset(
    {
        "json", "json_array", "json_arrayagg", "json_exists", "json_object", "json_objectagg", "json_query",
        "json_scalar", "json_serialize", "json_table", "json_value", "merge_action", "system_user",
    }
)  # fmt: skip
_KEYWORDS: frozenset[str] | None = None


def quote_ident(name: str) -> str:
    """`quote_identifier`: plain lower-case names stay bare, others get double quotes."""
    if _BARE_IDENTIFIER.fullmatch(name) and not _is_keyword(name):
        return name
    return '"' + name.replace('"', '""') + '"'


def _is_keyword(name: str) -> bool:
    """Every keyword but the unreserved ones needs quotes as an identifier."""
    global _KEYWORDS
    if _KEYWORDS is None:
        from pglast import keywords

        every = keywords.RESERVED_KEYWORDS | keywords.TYPE_FUNC_NAME_KEYWORDS | keywords.COL_NAME_KEYWORDS
        _KEYWORDS = frozenset(every - _NEWER_KEYWORDS)
    return name in _KEYWORDS


# What `format_type` prints for built-in types, keywords among them (`integer`, `time`), which
# it never quotes; `"char"` is already quoted.
_BUILTIN_SPELLINGS = frozenset(
    set(_PLAIN.values()) | set(_WITH_TYPMODS.values()) | {name for name, _ in _TIME.values()} | {"bpchar", "interval"}
)


@lru_cache(maxsize=4096)  # R002 spells every column of every table it compares, twice per migration
def quoted_type(spelled: str) -> str:
    """A spelled type as `format_type` prints it: user type names (kept unquoted in the model,
    so rules match columns to enums by name) get quotes where `quote_identifier` would give
    them (`"MyEnum"`, `other."Mood"[]`, `"user"`); built-in spellings are left alone."""
    base, array = (spelled[:-2], "[]") if spelled.endswith("[]") else (spelled, "")
    open_at = base.find("(")
    base, modifiers = (base[:open_at], base[open_at:]) if open_at >= 0 else (base, "")
    if base in _BUILTIN_SPELLINGS or base.startswith(('"', "double precision", "interval ")) or " " in base:
        return spelled
    return ".".join(quote_ident(part) for part in base.split(".")) + modifiers + array
