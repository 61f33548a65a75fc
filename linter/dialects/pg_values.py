"""Constants as PostgreSQL prints them once it has read them into a type.

`pg_get_expr` prints a constant from its stored value, not from the text that was written:
`'5'` in an integer column is `5`, `'on'` in a boolean column is `true`, a jsonb literal comes
back with its keys ordered and spaced as jsonb stores them. Each spelling was checked on a
PostgreSQL 15 server.
"""

from __future__ import annotations

import json
import re

_TRUE_WORDS = frozenset({"t", "tr", "tru", "true", "y", "ye", "yes", "on", "1"})
_FALSE_WORDS = frozenset({"f", "fa", "fal", "fals", "false", "n", "no", "of", "off", "0"})
_INT4_MIN, _INT4_MAX = -(2**31), 2**31 - 1
_INT8_MIN, _INT8_MAX = -(2**63), 2**63 - 1
_INTEGER_TYPES = frozenset({"integer", "smallint", "bigint"})


def quote_literal(value: str) -> str:
    """`simple_quote_literal` under standard_conforming_strings (on by default): quotes doubled,
    backslashes as they are, never the E'' form."""
    return "'" + value.replace("'", "''") + "'"


def numeric_text(value: str) -> str:
    """How PostgreSQL's numeric output prints a float-looking literal (`1e3` -> `1000`)."""
    from decimal import Decimal, InvalidOperation  # here: most runs print no such literal (~1 ms to import)

    try:
        return format(Decimal(value), "f")
    except InvalidOperation:
        return value


def int_text(value: int) -> str:
    """An integer constant: int4 values print bare unless negative; wider ones are labelled."""
    if _INT4_MIN <= value <= _INT4_MAX:
        return str(value) if value >= 0 else f"'{value}'::integer"
    if _INT8_MIN <= value <= _INT8_MAX:
        return f"'{value}'::bigint"
    return f"'{value}'::numeric"


def float_text(literal: str) -> str:
    """A literal the lexer read as a float: integers too wide for int4, or numerics."""
    if not any(char in literal for char in ".eE"):
        try:
            return int_text(int(literal))
        except ValueError:
            return f"'{literal}'::numeric"
    text = numeric_text(literal)
    if text[:1].isdigit() and any(char in text for char in ".eE"):
        return text
    return f"'{text}'::numeric"


def bits(literal: str) -> str:
    """The bits of a `B'…'` or `X'…'` literal as pglast gives it (`b101`, `x1f`)."""
    if literal[:1] in "xX":
        return "".join(f"{int(digit, 16):04b}" for digit in literal[1:])
    return literal[1:]


def string_literal(value: str, hint: str | None) -> str:
    """A string literal read as `hint` (default text), as the server prints the constant."""
    hint = hint or "text"
    if hint in _INTEGER_TYPES:
        try:
            number = int(value.strip())
        except ValueError:
            return f"{quote_literal(value)}::{hint}"
        if hint == "integer":
            return int_text(number)
        return f"'{number}'::{hint}"
    if hint == "boolean":
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return "true"
        if word in _FALSE_WORDS:
            return "false"
    if hint == "numeric":
        from decimal import Decimal, InvalidOperation

        try:
            Decimal(value.strip())
        except InvalidOperation:
            return f"{quote_literal(value)}::numeric"
        return float_text(value.strip())
    canonical = _CANONICAL.get(hint)
    if canonical is not None:
        value = canonical(value)
    return f"{quote_literal(value)}::{hint}"


_UUID = re.compile(r"\{?([0-9a-fA-F]{8})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{12})\}?")
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_TIMESTAMP = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?")
_INTEGER_ARRAY = re.compile(r"\{\s*(-?\d+(?:\s*,\s*-?\d+)*)?\s*\}")


def uuid_text(value: str) -> str:
    """`uuid_out`: lower case, in 8-4-4-4-12 groups, whichever accepted form was written."""
    match = _UUID.fullmatch(value.strip())
    return "-".join(match.groups()).lower() if match else value


def date_text(value: str) -> str:
    """`date_out` (DateStyle ISO) for a `Y-M-D` date: zero-padded."""
    match = _DATE.fullmatch(value.strip())
    if match is None:
        return value
    year, month, day = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def timestamp_text(value: str) -> str:
    """`timestamp_out` (DateStyle ISO) for an ISO timestamp without a time zone: seconds always
    shown, fractions without trailing zeros."""
    match = _TIMESTAMP.fullmatch(value.strip())
    if match is None:
        return value
    year, month, day, hour, minute, second, fraction = match.groups()
    fraction = (fraction or "").rstrip("0").rstrip(".")
    return f"{year}-{int(month):02d}-{int(day):02d} {int(hour or 0):02d}:{minute or '00'}:{second or '00'}{fraction}"


def integer_array_text(value: str) -> str:
    """`array_out` for an array of integers: no spaces."""
    match = _INTEGER_ARRAY.fullmatch(value.strip())
    if match is None:
        return value
    return "{" + ",".join(str(int(item)) for item in re.split(r"\s*,\s*", match.group(1) or "") if item) + "}"


def text_array_text(value: str) -> str:
    """`array_out` for a one-dimensional text array: items joined by `,`, quoted only where
    they must be (empty, NULL, spaces, braces, commas, quotes, backslashes)."""
    items = _array_items(value.strip())
    if items is None:
        return value
    return "{" + ",".join(_array_item(item) for item in items) + "}"


def _array_items(text: str) -> list[str | None] | None:
    """The items of `{a, "b c", NULL}`; None for anything else (nested arrays, bad syntax)."""
    if not (text.startswith("{") and text.endswith("}")):
        return None
    body = text[1:-1]
    items: list[str | None] = []
    at = 0
    while at < len(body) or (not items and body.strip()):
        while at < len(body) and body[at].isspace():
            at += 1
        if at < len(body) and body[at] == '"':
            at += 1
            chars = []
            while at < len(body) and body[at] != '"':
                if body[at] == "\\" and at + 1 < len(body):
                    at += 1
                chars.append(body[at])
                at += 1
            if at >= len(body):
                return None
            items.append("".join(chars))
            at += 1
            while at < len(body) and body[at].isspace():
                at += 1
        else:
            end = at
            while end < len(body) and body[end] not in ',{}"\\':
                end += 1
            word = body[at:end].strip()
            if not word or (end < len(body) and body[end] != ","):
                return None
            items.append(None if word.upper() == "NULL" else word)
            at = end
        if at >= len(body):
            break
        if body[at] != ",":
            return None
        at += 1
    return items


def _array_item(item: str | None) -> str:
    if item is None:
        return "NULL"
    if item == "" or item.upper() == "NULL" or any(char in ',{}"\\' or char.isspace() for char in item):
        return '"' + item.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return item


_INTERVAL_UNITS = {
    "year": ("year", 1), "years": ("year", 1), "y": ("year", 1), "yr": ("year", 1), "yrs": ("year", 1),
    "mon": ("month", 1), "mons": ("month", 1), "month": ("month", 1), "months": ("month", 1),
    "week": ("day", 7), "weeks": ("day", 7), "w": ("day", 7),
    "day": ("day", 1), "days": ("day", 1), "d": ("day", 1),
    "hour": ("second", 3600), "hours": ("second", 3600), "h": ("second", 3600), "hr": ("second", 3600), "hrs": ("second", 3600),
    "minute": ("second", 60), "minutes": ("second", 60), "min": ("second", 60), "mins": ("second", 60), "m": ("second", 60),
    "second": ("second", 1), "seconds": ("second", 1), "sec": ("second", 1), "secs": ("second", 1), "s": ("second", 1),
}  # fmt: skip
_INTERVAL_PART = re.compile(r"(\d+)\s*([a-z]+)|(\d{1,2}):(\d{2})(?::(\d{2}))?")


def interval_text(value: str) -> str:
    """`interval_out` (IntervalStyle postgres) for whole, non-negative quantities:
    `60 minutes` -> `01:00:00`, `1 year 2 months` -> `1 year 2 mons`, `7 days` stays."""
    totals = {"year": 0, "month": 0, "day": 0, "second": 0}
    text = value.strip().lower().removeprefix("@").strip()
    if text.isdigit():
        text += " seconds"  # a bare number counts seconds
    done = 0
    for match in _INTERVAL_PART.finditer(text):
        if text[done : match.start()].strip():
            return value
        done = match.end()
        if match.group(2) is not None:
            unit = _INTERVAL_UNITS.get(match.group(2))
            if unit is None:
                return value
            totals[unit[0]] += int(match.group(1)) * unit[1]
        else:
            hours, minutes, seconds = (int(part or 0) for part in match.group(3, 4, 5))
            totals["second"] += hours * 3600 + minutes * 60 + seconds
    if done == 0 or text[done:].strip():
        return value
    years, months = totals["year"] + totals["month"] // 12, totals["month"] % 12
    parts = [f"{years} year{'s' if years != 1 else ''}"] if years else []
    if months:
        parts.append(f"{months} mon{'s' if months != 1 else ''}")
    if totals["day"]:
        parts.append(f"{totals['day']} day{'s' if totals['day'] != 1 else ''}")
    seconds = totals["second"]
    if seconds or not parts:
        parts.append(f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}")
    return " ".join(parts)


class _Number(str):
    """A JSON number kept as written, for numeric output."""


def jsonb_text(value: str) -> str:
    """A JSON text as jsonb prints it: object keys unique (the last wins) and ordered by length
    then bytes, `", "` and `": "` between items, numbers as numeric prints them. Text that is
    not JSON stays as it is (the server would reject it)."""
    try:
        parsed = json.loads(
            value, object_pairs_hook=_last_wins, parse_float=_Number, parse_int=_Number, parse_constant=_reject
        )
    except (ValueError, RecursionError):
        return value
    return _jsonb(parsed)


def _last_wins(pairs: list[tuple[str, object]]) -> dict[str, object]:
    return dict(pairs)


def _reject(name: str) -> object:
    raise ValueError(name)  # NaN / Infinity are not JSON for PostgreSQL


def _jsonb(value: object) -> str:
    if isinstance(value, dict):
        keys = sorted(value, key=lambda key: (len(key.encode("utf-8")), key.encode("utf-8")))
        return "{" + ", ".join(f"{_json_string(key)}: {_jsonb(value[key])}" for key in keys) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_jsonb(item) for item in value) + "]"
    if isinstance(value, _Number):
        return numeric_text(value)
    if isinstance(value, str):
        return _json_string(value)
    if value is None:
        return "null"
    return "true" if value else "false"


_JSON_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _json_string(text: str) -> str:
    """`escape_json`: quotes, backslashes and control characters escaped, the rest as it is."""
    out = []
    for char in text:
        escaped = _JSON_ESCAPES.get(char)
        if escaped is not None:
            out.append(escaped)
        elif char < " ":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


# Types whose output form the server prints for a literal written another way.
_CANONICAL = {
    "jsonb": jsonb_text,
    "uuid": uuid_text,
    "date": date_text,
    "timestamp without time zone": timestamp_text,
    "interval": interval_text,
    "integer[]": integer_array_text,
    "text[]": text_array_text,
    "bigint[]": integer_array_text,
    "smallint[]": integer_array_text,
}
