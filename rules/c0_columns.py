"""What the column-type rules (C001–C012) share: reading a column's name as words, telling text
and floating-point types apart in every dialect, and pointing at a column in SQL or Prisma.

No rule lives here; `rules.all_rules` only picks up `Rule` subclasses.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase
from typing import Iterator

from linter.findings import Edit, Span
from linter.keywords import sql_name
from linter.schema import MYSQL, POSTGRESQL, SQLITE, Column, Schema, Table

_WORD_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_SEPARATORS = re.compile(r"[^0-9A-Za-z]+")

TEXT_TYPES = frozenset(
    {
        "text",
        "character varying",
        "varchar",
        "character",
        "char",
        "bpchar",
        "citext",
        "tinytext",
        "mediumtext",
        "longtext",
        "nvarchar",
        "nchar",
        "string",
        "clob",
    }
)
FLOAT_TYPES = frozenset({"real", "double precision", "double", "float", "float4", "float8"})


def words(name: str) -> list[str]:
    """`totalCostUsd` -> ["total", "cost", "usd"], `api_key` -> ["api", "key"]."""
    if not name.islower():  # an all-lower-case name has no camelCase boundary to mark
        name = _WORD_BOUNDARY.sub("_", name)
    return [word.lower() for word in _SEPARATORS.split(name) if word]


def base_type(column: Column) -> str:
    """The type without size, array brackets or MySQL's `unsigned`: `double unsigned` -> `double`."""
    spelled = column.base_type
    bare = _BARE.get(spelled)
    if bare is None:  # a dozen rules ask this of every column: strip each spelling once
        bare = _BARE[spelled] = spelled.removesuffix(" unsigned").removesuffix(" zerofill").strip()
    return bare


_BARE: dict[str, str] = {}


def is_text(column: Column, dialect: str | None) -> bool:
    if column.is_array:
        return False
    base = base_type(column)
    if base in TEXT_TYPES:
        return True
    # SQLite gives text affinity to any declared type containing CHAR, CLOB or TEXT.
    return dialect == SQLITE and any(part in base for part in ("char", "clob", "text"))


def is_float(column: Column) -> bool:
    return not column.is_array and base_type(column) in FLOAT_TYPES


def applies(schema: Schema, dialects: frozenset[str]) -> bool:
    """Whether a rule reading these dialects judges this schema (the engine hands Prisma
    schemas of every provider to every rule that reads Prisma)."""
    return schema.dialect in dialects


def exempt(table: Table, globs: list[str]) -> bool:
    return any(fnmatchcase(table.name, glob) for glob in globs)


def columns(schema: Schema) -> Iterator[tuple[Table, Column]]:
    for table in schema.tables.values():
        for column in table.columns.values():
            yield table, column


def column_span(table: Table, column: Column) -> Span | None:
    """Where a column-level finding points: the Prisma field's name, else the SQL definition."""
    if column.source is not None:
        return column.source.name_span
    return column.span or table.span


def native_attribute(column: Column):
    """The Prisma field's `@db.X` attribute, if it has one."""
    if column.source is None:
        return None
    return next((a for a in column.source.attributes if a.name.startswith("db.")), None)


def insert_after_type(column: Column, text: str) -> tuple[Edit, ...]:
    """An edit adding ` <text>` right after the Prisma field's type."""
    field = column.source
    if field is None or field.type is None:
        return ()
    end = field.type.span.end
    return (Edit(field.type.span.path, end, end, f" {text}"),)


def replace_span(span: Span, text: str) -> tuple[Edit, ...]:
    return (Edit(span.path, span.start, span.end, text),)


def is_postgres(schema: Schema) -> bool:
    return schema.dialect == POSTGRESQL


# MODIFY restates the whole column: what the advice does not say is dropped.
MODIFY_NOTE = " (MODIFY restates the whole column: repeat its DEFAULT, COMMENT and other attributes)"
SQLITE_REBUILD = (
    "SQLite cannot change a column in place: rebuild the table (create the new table, copy the rows, "
    "drop the old table, rename the new one)"
)


def change_column(
    table: Table,
    column: Column,
    dialect: str | None,
    postgresql: str,
    *,
    new_type: str | None = None,
    not_null: bool = False,
    default: str | None = None,
) -> str:
    """Advice that changes a column (its type, NOT NULL, a default), as the dialect writes it:
    `postgresql` as given; MySQL's `MODIFY`, which keeps the column's nullability unless asked
    for NOT NULL; for SQLite, which changes no column in place, how to rebuild the table."""
    if dialect == SQLITE:
        return SQLITE_REBUILD
    if dialect != MYSQL:
        return postgresql
    spelled = f"{new_type or column.type}{' NOT NULL' if not_null or not column.nullable else ''}"
    if default is not None:
        spelled += f" DEFAULT {default}"
    return (
        f"ALTER TABLE {sql_name(table.name, dialect)} MODIFY {sql_name(column.name, dialect)} {spelled};{MODIFY_NOTE}"
    )
