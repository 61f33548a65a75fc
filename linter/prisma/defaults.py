"""Column defaults Prisma Migrate writes for `@default(...)`, spelled as the database prints them.

For PostgreSQL the spelling is `pg_get_expr()`'s: string constants carry their type
(`'x'::text`, `'ACTIVE'::"Status"`), negative numbers are quoted and cast (`'-1'::integer`),
`now()` is `CURRENT_TIMESTAMP`, `autoincrement()` is the serial sequence's `nextval(...)`.
Functions Prisma evaluates in the client (`uuid()`, `cuid()`, `nanoid()`, `ulid()`) leave no
SQL default; `dbgenerated("expr")` is the expression itself.
"""

from __future__ import annotations

import re

from linter.prisma.ast import ArrayValue, ConstantValue, FunctionValue, NumberValue, StringValue, Value
from linter.prisma.names import pg_object_name, quote_identifier, quote_literal
from linter.prisma.types import type_without_modifiers
from linter.records import Record

_PRECISION = re.compile(r"^(?:datetime|timestamp)\((\d+)\)")
_INT4 = range(-(2**31), 2**31)
_INT8 = range(-(2**63), 2**63)


class ColumnDefault(Record, frozen=True):
    expression: str | None  # the SQL default, None for none
    autoincrement: bool = False  # serial-like: the type becomes integer/bigint/smallint


class DefaultContext(Record, frozen=True):
    provider: str  # normalized provider: postgresql, cockroachdb, mysql, sqlite, sqlserver, mongodb
    table: str
    schema: str | None
    column: str
    column_type: str  # as spelled in the schema model, with [] for lists
    enum_name: str | None = None  # database name of the column's enum type
    enum_values: dict[str, str] | None = None  # enum value name -> database name


def column_default(value: Value | None, context: DefaultContext) -> ColumnDefault:
    if value is None:
        return ColumnDefault(None)
    if isinstance(value, FunctionValue):
        return _function_default(value, context)
    if context.provider in ("postgresql", "cockroachdb"):
        return ColumnDefault(_pg_constant(value, context))
    return ColumnDefault(_plain_constant(value, context))


def _function_default(value: FunctionValue, context: DefaultContext) -> ColumnDefault:
    name = value.name
    if name == "dbgenerated":
        argument = value.argument(None, 0)
        if argument is not None and isinstance(argument.value, StringValue):
            return ColumnDefault(argument.value.value)
        return ColumnDefault(None)
    if name == "now":
        if context.provider == "mysql":
            precision = _PRECISION.match(context.column_type)
            return ColumnDefault(f"CURRENT_TIMESTAMP({precision.group(1)})" if precision else "CURRENT_TIMESTAMP")
        return ColumnDefault("CURRENT_TIMESTAMP")
    if name == "autoincrement":
        if context.provider == "postgresql":
            sequence = pg_object_name(context.table, context.column, "seq")
            qualified = quote_identifier(sequence)
            if context.schema not in (None, "public"):
                qualified = f"{quote_identifier(context.schema)}.{qualified}"
            return ColumnDefault(f"nextval({quote_literal(qualified)}::regclass)", autoincrement=True)
        if context.provider == "cockroachdb":
            return ColumnDefault("unique_rowid()", autoincrement=True)
        return ColumnDefault(None, autoincrement=True)
    # uuid(), cuid(), nanoid(), ulid(), sequence() and unknown functions: no SQL default.
    return ColumnDefault(None)


def _pg_constant(value: Value, context: DefaultContext) -> str | None:
    if isinstance(value, ArrayValue):
        element_type = context.column_type.removesuffix("[]")
        if not value.items:
            return f"ARRAY[]::{_pg_type_label(context.column_type, context)}"
        items = [_pg_scalar(item, element_type, context) for item in value.items]
        if any(item is None for item in items):
            return None
        return f"ARRAY[{', '.join(item for item in items if item is not None)}]"
    return _pg_scalar(value, context.column_type, context)


def _pg_scalar(value: Value, column_type: str, context: DefaultContext) -> str | None:
    if isinstance(value, NumberValue):
        return _pg_number(value.text)
    if isinstance(value, ConstantValue):
        if context.enum_name is not None:
            db_value = (context.enum_values or {}).get(value.name, value.name)
            return f"{quote_literal(db_value)}::{quote_identifier(context.enum_name)}"
        if value.name in ("true", "false"):
            return value.name
        return None
    if isinstance(value, StringValue):
        if column_type.startswith(("numeric", "double precision", "real", "integer", "bigint", "smallint")):
            return _pg_number(value.value) if _looks_numeric(value.value) else None
        return f"{quote_literal(value.value)}::{_pg_type_label(column_type, context)}"
    return None


def _pg_type_label(column_type: str, context: DefaultContext) -> str:
    if context.enum_name is not None:
        suffix = "[]" if column_type.endswith("[]") else ""
        return quote_identifier(context.enum_name) + suffix
    return type_without_modifiers(column_type)


def _looks_numeric(text: str) -> bool:
    return re.fullmatch(r"-?\d+(?:\.\d+)?", text) is not None


def _pg_number(text: str) -> str:
    """PostgreSQL prints non-negative int4 and numeric constants bare; negative ones, and any
    int8, quoted with a cast so they read back as one constant."""
    if "." not in text:
        number = int(text)
        if number in _INT4:
            return text if number >= 0 else f"'{text}'::integer"
        if number in _INT8:
            return f"'{text}'::bigint"
    return text if not text.startswith("-") else f"'{text}'::numeric"


def _plain_constant(value: Value, context: DefaultContext) -> str | None:
    """MySQL, SQLite, SQL Server: the literal as Prisma writes it into the migration."""
    if isinstance(value, NumberValue):
        return value.text
    if isinstance(value, StringValue):
        return quote_literal(value.value)
    if isinstance(value, ConstantValue):
        if context.enum_values is not None:
            return quote_literal(context.enum_values.get(value.name, value.name))
        if value.name in ("true", "false"):
            return value.name
    return None
