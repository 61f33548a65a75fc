"""MySQL/MariaDB column types and defaults spelled the way the server reports them.

A migration writes `INTEGER`, `BOOLEAN`, `NUMERIC`, `CHARACTER VARYING(10)`, `TIMESTAMP(0)` or
`DEFAULT CURRENT_TIMESTAMP(0)`; the server stores and reports `int`, `tinyint(1)`,
`decimal(10,0)`, `varchar(10)`, `timestamp` and `current_timestamp()`. The replay keeps the
server's spelling so its schema equals what `information_schema` holds (checked on MariaDB
10.11 by tests/test_mysql_replay_forms.py), and so one type has one spelling for the rules.

Two things are left as written, on purpose:
- integer display widths: MariaDB prints `int(11)`, MySQL 8 prints `int` (it dropped display
  widths); a width equal to the type's default says nothing, so `int(11)` becomes `int` and
  only a width the migration chose (`int(5)`, `tinyint(1)`) stays (`without_display_width`).
- `json`: MariaDB stores it as `longtext` with a `json_valid()` check; MySQL 8 as `json`.
  The schema keeps `json`, which is what the migration asked for and what rules look for.

This module must stay light (no sqlglot): the replay and the Prisma reader may import it.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# Integer types, their synonyms, and the display width MariaDB gives them (signed, unsigned).
_INTEGERS = {
    "tinyint": "tinyint",
    "int1": "tinyint",
    "smallint": "smallint",
    "int2": "smallint",
    "mediumint": "mediumint",
    "middleint": "mediumint",
    "int3": "mediumint",
    "int": "int",
    "integer": "int",
    "int4": "int",
    "bigint": "bigint",
    "int8": "bigint",
}
_DEFAULT_WIDTH = {"tinyint": (4, 3), "smallint": (6, 5), "mediumint": (9, 8), "int": (11, 10), "bigint": (20, 20)}
_DECIMALS = frozenset({"decimal", "dec", "numeric", "fixed"})
_DOUBLES = frozenset({"double", "double precision", "real", "float8"})
_CHARS = frozenset({"char", "character", "nchar", "national char", "national character"})
_VARCHARS = frozenset(
    {
        "varchar",
        "character varying",
        "char varying",
        "varcharacter",
        "nvarchar",
        "nchar varying",
        "national varchar",
        "national char varying",
        "national character varying",
    }
)
_RENAMED = {
    "bool": "tinyint(1)",
    "boolean": "tinyint(1)",
    "float4": "float",
    "long": "mediumtext",
    "long varchar": "mediumtext",
    "long char varying": "mediumtext",
    "long varbinary": "mediumblob",
    "long byte": "mediumblob",
    "serial": "bigint unsigned",
}
_SIZED_ONE = frozenset({"binary", "bit"})  # `BINARY` alone is `binary(1)`
_FRACTIONAL = frozenset({"timestamp", "datetime", "time"})  # `(0)` is the default precision
# Words after a type that qualify it. `binary`, `ascii`, `unicode` after a character type
# choose a collation or character set, which the schema model does not hold.
_MODIFIERS = frozenset({"unsigned", "signed", "zerofill", "binary", "ascii", "unicode", "byte"})

_INTEGER_TYPES = frozenset(_DEFAULT_WIDTH) | {"year"}
_REAL_TYPES = frozenset({"float", "double"})
_STRING_TYPES = frozenset(
    {"char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set", "json"}
    | {"binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob"}
)


def mysql_type(declared: str) -> str:
    """The server's spelling of a declared type (lower-case, as `sg_cursor.type_text` gives
    it): `integer unsigned` -> `int unsigned`, `numeric` -> `decimal(10,0)`."""
    parsed = _split_type(declared)
    if parsed is None:
        return declared
    base, arguments, modifiers = parsed
    if base in ("enum", "set"):
        values = enum_values(declared)
        return declared if values is None else f"{base}({','.join(quote_string(v) for v in values)})"
    unsigned = "unsigned" in modifiers or "zerofill" in modifiers
    sign = (" unsigned" if unsigned else "") + (" zerofill" if "zerofill" in modifiers else "")
    if base in _INTEGERS:
        base = _INTEGERS[base]
        return without_display_width(f"{base}({arguments[0]}){sign}" if arguments else base + sign)
    if base in _RENAMED and not arguments:
        return _RENAMED[base]
    if base in _DECIMALS:
        precision = arguments[0] if arguments else "10"
        scale = arguments[1] if len(arguments) > 1 else "0"
        return f"decimal({precision},{scale}){sign}"
    if base == "float" and len(arguments) == 1:
        # FLOAT(p): single precision up to 24 bits of mantissa, double above.
        return ("float" if _int(arguments[0], 0) <= 24 else "double") + sign
    if base in _DOUBLES or base == "float":
        name = "float" if base == "float" else "double"
        return name + (f"({','.join(arguments)})" if arguments else "") + sign
    if base in _CHARS:
        return ("binary" if "byte" in modifiers else "char") + f"({arguments[0] if arguments else 1})"
    if base in _VARCHARS and arguments:
        return f"varchar({arguments[0]})"
    if base in _SIZED_ONE:
        return f"{base}({arguments[0] if arguments else 1})"
    if base in _FRACTIONAL:
        return base if not arguments or arguments == ["0"] else f"{base}({arguments[0]})"
    if base == "year":
        return "year"
    if not modifiers:
        return declared
    return base + (f"({','.join(arguments)})" if arguments else "") + sign


def without_display_width(column_type: str) -> str:
    """`int(11)` -> `int`, `bigint(20) unsigned` -> `bigint unsigned`, `year(4)` -> `year`: an
    integer display width equal to the type's default is dropped (MariaDB prints it, MySQL 8
    does not); a chosen width (`tinyint(1)`, `int(5)`) stays."""
    match = _WIDTH.match(column_type)
    if match is None:
        return column_type
    base, width, rest = match.group(1), int(match.group(2)), match.group(3)
    if base == "year":
        return "year" + rest if width == 4 else column_type
    unsigned = "unsigned" in rest or "zerofill" in rest
    if width != _DEFAULT_WIDTH[base][1 if unsigned else 0]:
        return column_type
    return base + rest


_WIDTH = re.compile(r"(tinyint|smallint|mediumint|int|bigint|year)\((\d+)\)(.*)$")


def _split_type(declared: str) -> tuple[str, list[str], set[str]] | None:
    """(base words, arguments, modifier words) of a type, or None when it has another shape."""
    open_at = declared.find("(")
    if open_at < 0:
        head, arguments, tail = declared, [], ""
    else:
        close_at = _closing(declared, open_at)
        if close_at is None:
            return None
        head, tail = declared[:open_at], declared[close_at + 1 :]
        inside = declared[open_at + 1 : close_at]
        arguments = (
            [part.strip() for part in inside.split(",")] if "'" not in inside and '"' not in inside else [inside]
        )
    words = head.split()
    if not words:
        return None
    modifiers = set(tail.split())
    while len(words) > 1 and words[-1] in _MODIFIERS:
        modifiers.add(words.pop())
    if not modifiers <= _MODIFIERS:
        return None
    return " ".join(words), arguments, modifiers


def _closing(text: str, open_at: int) -> int | None:
    depth = 0
    quote = ""
    i = open_at
    while i < len(text):
        char = text[i]
        if quote:
            if char == "\\":
                i += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


def _int(text: str, fallback: int) -> int:
    try:
        return int(text)
    except ValueError:
        return fallback


# --- string literals --------------------------------------------------------------------
_ESCAPES = {"0": "\0", "b": "\b", "n": "\n", "r": "\r", "t": "\t", "Z": "\x1a"}


def enum_values(column_type: str) -> list[str] | None:
    """The values of an `enum(…)` or `set(…)` type, in order; None for other types."""
    match = re.match(r"(enum|set)\s*\(", column_type)
    if match is None:
        return None
    values = []
    i = match.end()
    while i < len(column_type):
        char = column_type[i]
        if char in "'\"":
            value, i = read_string(column_type, i)
            values.append(value)
        elif char == ")":
            return values
        else:
            i += 1
    return None


def read_string(text: str, start: int) -> tuple[str, int]:
    """The value of the quoted literal at `text[start]` (MySQL escapes, doubled quotes), and
    the offset just past it."""
    quote = text[start]
    pieces: list[str] = []
    i = start + 1
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            following = text[i + 1]
            # `\%` and `\_` keep their backslash (they are LIKE escapes); others drop it.
            pieces.append("\\" + following if following in "%_" else _ESCAPES.get(following, following))
            i += 2
            continue
        if char == quote:
            if text.startswith(quote, i + 1):
                pieces.append(quote)
                i += 2
                continue
            return "".join(pieces), i + 1
        pieces.append(char)
        i += 1
    return "".join(pieces), i


def quote_string(value: str) -> str:
    """A literal as MariaDB prints it in `information_schema`: single quotes, `'` doubled,
    and only backslash, NUL, newline and carriage return escaped."""
    escaped = value.replace("\\", "\\\\").replace("'", "''").replace("\0", "\\0").replace("\n", "\\n")
    return "'" + escaped.replace("\r", "\\r") + "'"


# --- defaults ---------------------------------------------------------------------------
# Functions a DEFAULT may call without parentheses, and the name the server prints for each.
_CLOCKS = {
    "current_timestamp": "current_timestamp",
    "now": "current_timestamp",
    "localtime": "current_timestamp",
    "localtimestamp": "current_timestamp",
    "current_time": "curtime",
    "curtime": "curtime",
    "current_date": "curdate",
    "curdate": "curdate",
    "current_user": "current_user",
}
_CLOCK = re.compile(r"(" + "|".join(_CLOCKS) + r")\s*(?:\(\s*(\d*)\s*\))?$", re.IGNORECASE)
_STRING = re.compile(r"(?:_\w+|n)?\s*(['\"])", re.IGNORECASE)  # 'x', "x", _utf8mb4'x', N'x'
_NUMBER = re.compile(r"[-+]?\s*(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?$", re.IGNORECASE)
_HEX = re.compile(r"x'([0-9a-f]*)'$|0x([0-9a-f]+)$", re.IGNORECASE)
_BITS = re.compile(r"b'([01]*)'$|0b([01]+)$", re.IGNORECASE)
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d*))?)?)?$")
_TIME = re.compile(r"(-?\d{1,3}):(\d{1,2})(?::(\d{1,2})(?:\.(\d*))?)?$")


def mysql_default(written: str | None, column_type: str | None) -> str | None:
    """A DEFAULT as the server reports it for a column of `column_type` (None: the type is not
    known, as in ALTER … SET DEFAULT; the literal is spelled without the column's conversions).
    None is no default (or DEFAULT NULL). A result given back again is returned unchanged.

    Literals are converted to the column's type as the server stores them (`'7'` on an int is
    `7`, `1.5` on decimal(5,2) is `1.50`, `1` on a varchar is `'1'`, TRUE is `1`), strings
    re-quoted, CURRENT_TIMESTAMP and its synonyms spelled `current_timestamp([n])` (likewise
    `curdate()`, `curtime([n])`, `current_user()`).
    Expressions (`(uuid())`) keep their text: the server prints them with its own spacing.
    """
    if written is None:
        return None
    text = written.strip()
    if not text or text.upper() == "NULL":
        return None
    clock = _CLOCK.match(text)
    if clock is not None:
        precision = clock.group(2) or ""
        return f"{_CLOCKS[clock.group(1).lower()]}({'' if precision in ('', '0') else precision})"
    base = _base(column_type)
    string = _STRING.match(text)
    if string is not None:
        value, end = read_string(text, string.end() - 1)
        if end != len(text):
            return written  # 'a' 'b' (adjacent literals) or something stranger: keep it
        return _from_string(value, base, column_type or "")
    upper = text.upper()
    if upper in ("TRUE", "FALSE"):
        return _from_number(Decimal(1 if upper == "TRUE" else 0), "1" if upper == "TRUE" else "0", base, column_type)
    if _NUMBER.match(text):
        cleaned = text.replace(" ", "").lstrip("+")
        return _from_number(Decimal(cleaned), cleaned, base, column_type)
    bits = _BITS.match(text)
    if bits is not None:
        return f"b'{bits.group(1) if bits.group(1) is not None else bits.group(2)}'"
    hexed = _HEX.match(text)
    if hexed is not None and base in _STRING_TYPES:
        digits = hexed.group(1) if hexed.group(1) is not None else hexed.group(2)
        try:
            return quote_string(bytes.fromhex(digits).decode("utf-8"))
        except ValueError:
            return written
    return written


def _base(column_type: str | None) -> str | None:
    if not column_type:
        return None
    return re.split(r"[\s(]", column_type, maxsplit=1)[0]


def _from_string(value: str, base: str | None, column_type: str) -> str:
    if base in _INTEGER_TYPES or base in _REAL_TYPES or base == "decimal":
        try:
            return _from_number(Decimal(value.strip()), value.strip(), base, column_type)
        except InvalidOperation:
            return quote_string(value)
    if base in ("datetime", "timestamp", "date", "time"):
        return quote_string(_temporal(value, base, column_type))
    return quote_string(value)


def _from_number(number: Decimal, written: str, base: str | None, column_type: str | None) -> str:
    if base is None:
        return written
    if base in _INTEGER_TYPES:
        return str(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if base == "decimal":
        scale = re.match(r"decimal\(\d+,(\d+)\)", column_type or "")
        places = int(scale.group(1)) if scale else 0
        return str(number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))
    if base in _REAL_TYPES:
        digits = 6 if base == "float" and "(" not in (column_type or "") else 15
        return _real(float(number), digits)
    if base in ("datetime", "timestamp", "date"):
        return quote_string(_temporal(_compact_date(written), base, column_type or ""))
    if base == "bit":
        return written
    return quote_string(written)  # a number given to a string column is stored as its text


def _real(value: float, digits: int) -> str:
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text


def _compact_date(written: str) -> str:
    """20200101 -> 2020-01-01; 0 -> the zero date."""
    digits = written.split(".")[0].lstrip("+")
    if digits == "0":
        return "0000-00-00"
    if len(digits) == 8 and digits.isdigit():
        return f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
    if len(digits) == 14 and digits.isdigit():
        return f"{digits[:4]}-{digits[4:6]}-{digits[6:8]} {digits[8:10]}:{digits[10:12]}:{digits[12:]}"
    return written


def _temporal(value: str, base: str, column_type: str) -> str:
    """A date/time literal completed as the server stores it: `2020-01-01` on a datetime is
    `2020-01-01 00:00:00`, with as many fraction digits as the column's precision."""
    precision = re.search(r"\((\d+)\)", column_type)
    places = int(precision.group(1)) if precision else 0
    if base == "time":
        match = _TIME.match(value.strip())
        if match is None:
            return value
        hours, minutes, seconds, fraction = match.groups()
        clock = f"{int(hours):02d}:{int(minutes):02d}:{int(seconds or 0):02d}"
        return clock + _fraction(fraction, places)
    match = _DATE.match(value.strip())
    if match is None:
        return value
    year, month, day, hours, minutes, seconds, fraction = match.groups()
    date = f"{int(year):04d}-{int(month):02d}-{int(day):02d}"
    if base == "date":
        return date
    clock = f"{int(hours or 0):02d}:{int(minutes or 0):02d}:{int(seconds or 0):02d}"
    return f"{date} {clock}{_fraction(fraction, places)}"


def _fraction(fraction: str | None, places: int) -> str:
    if places == 0:
        return ""
    return "." + (fraction or "").ljust(places, "0")[:places]
