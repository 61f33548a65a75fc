"""Column types Prisma Migrate creates, spelled the way dbvet's schema model spells them.

PostgreSQL (and CockroachDB) types are spelled as PostgreSQL's `format_type()` prints them;
MySQL, SQLite and SQL Server types in lower case as Prisma writes them. The defaults per
scalar are each connector's `default_native_type_for_scalar_type` in prisma-engines.
"""

from __future__ import annotations

import re

from linter.prisma.ast import Attribute, ConstantValue, FunctionValue, NumberValue, StringValue

SCALARS = frozenset({"String", "Boolean", "Int", "BigInt", "Float", "Decimal", "DateTime", "Json", "Bytes"})

_POSTGRES = {
    "String": "text",
    "Boolean": "boolean",
    "Int": "integer",
    "BigInt": "bigint",
    "Float": "double precision",
    "Decimal": "numeric(65,30)",
    "DateTime": "timestamp(3) without time zone",
    "Json": "jsonb",
    "Bytes": "bytea",
}
SCALAR_TYPES: dict[str, dict[str, str]] = {
    "postgresql": _POSTGRES,
    "cockroachdb": _POSTGRES,
    "mysql": {
        "String": "varchar(191)",
        "Boolean": "tinyint(1)",
        "Int": "int",
        "BigInt": "bigint",
        "Float": "double",
        "Decimal": "decimal(65,30)",
        "DateTime": "datetime(3)",
        "Json": "json",
        "Bytes": "longblob",
    },
    "sqlite": {
        "String": "text",
        "Boolean": "boolean",
        "Int": "integer",
        "BigInt": "bigint",
        "Float": "real",
        "Decimal": "decimal",
        "DateTime": "datetime",
        "Json": "jsonb",
        "Bytes": "blob",
    },
    "sqlserver": {
        "String": "nvarchar(1000)",
        "Boolean": "bit",
        "Int": "int",
        "BigInt": "bigint",
        "Float": "float",
        "Decimal": "decimal(32,16)",
        "DateTime": "datetime2",
        "Json": "nvarchar(max)",
        "Bytes": "varbinary(max)",
    },
    "mongodb": {
        "String": "string",
        "Boolean": "bool",
        "Int": "int",
        "BigInt": "long",
        "Float": "double",
        "Decimal": "decimal",
        "DateTime": "date",
        "Json": "object",
        "Bytes": "bindata",
    },
}

# PostgreSQL native types (`@db.X`) whose format_type spelling is not just the lower-cased name.
_PG_FIXED = {
    "Text": "text",
    "Uuid": "uuid",
    "Xml": "xml",
    "Inet": "inet",
    "Citext": "citext",
    "Boolean": "boolean",
    "Bool": "boolean",
    "Integer": "integer",
    "Int4": "integer",
    "SmallInt": "smallint",
    "Int2": "smallint",
    "BigInt": "bigint",
    "Int8": "bigint",
    "Oid": "oid",
    "Money": "money",
    "Real": "real",
    "Float4": "real",
    "DoublePrecision": "double precision",
    "Float8": "double precision",
    "Date": "date",
    "Json": "json",
    "JsonB": "jsonb",
    "ByteA": "bytea",
    "Bytes": "bytea",
    "String": "text",  # CockroachDB STRING without a length
    "CatalogSingleChar": '"char"',
}
# Native types taking an optional length/precision: (spelling with it, spelling without it).
_PG_SIZED = {
    "VarChar": ("character varying({0})", "character varying"),
    "String": ("character varying({0})", "text"),
    "Char": ("character({0})", "character(1)"),
    "Bit": ("bit({0})", "bit(1)"),
    "VarBit": ("bit varying({0})", "bit varying"),
    "Timestamp": ("timestamp({0}) without time zone", "timestamp without time zone"),
    "Timestamptz": ("timestamp({0}) with time zone", "timestamp with time zone"),
    "Time": ("time({0}) without time zone", "time without time zone"),
    "Timetz": ("time({0}) with time zone", "time with time zone"),
    "Decimal": ("numeric({0})", "numeric"),
}
_CAMEL_WORD = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")

# Integer types by PostgreSQL spelling, for `autoincrement()` (serial, bigserial, smallserial).
PG_INTEGER_TYPES = frozenset({"integer", "bigint", "smallint"})


def native_arguments(attribute: Attribute) -> list[str]:
    """`@db.Decimal(19, 4)` -> ["19", "4"]; `@db.VarChar(Max)` -> ["max"]."""
    values = []
    for argument in attribute.arguments:
        value = argument.value
        if isinstance(value, NumberValue):
            values.append(value.text)
        elif isinstance(value, ConstantValue):
            values.append(value.name.lower())
        elif isinstance(value, StringValue):
            values.append(value.value)
    return values


def native_type(provider: str, name: str, arguments: list[str]) -> str:
    """The spelling of a `@db.<name>(<arguments>)` native type for a provider."""
    if provider in ("postgresql", "cockroachdb"):
        if name in _PG_SIZED and (arguments or name not in _PG_FIXED):
            with_size, without = _PG_SIZED[name]
            return with_size.format(",".join(arguments)) if arguments else without
        if name in _PG_FIXED:
            return _PG_FIXED[name]
        return _lower_with_arguments(name, arguments)
    if provider == "mysql":
        # UnsignedBigInt -> "bigint unsigned", as MySQL prints it.
        if name.startswith("Unsigned"):
            return f"{_lower_with_arguments(name[len('Unsigned') :], arguments)} unsigned"
        return _lower_with_arguments(name, arguments)
    return _lower_with_arguments(name, arguments)


def _lower_with_arguments(name: str, arguments: list[str]) -> str:
    base = name.lower()
    return f"{base}({','.join(arguments)})" if arguments else base


def type_without_modifiers(pg_type: str) -> str:
    """How PostgreSQL labels a constant of this type: `character varying(255)` -> `character
    varying`, `timestamp(3) without time zone` -> `timestamp without time zone`, `character(2)`
    -> `bpchar`."""
    if pg_type.startswith("character("):
        return "bpchar"
    return re.sub(r"\(\d+(?:,\d+)?\)", "", pg_type)


def operator_class(value: object) -> str | None:
    """An index field's `ops:` argument as SQL: `raw("gin_trgm_ops")` or `JsonbPathOps` ->
    `jsonb_path_ops` (Prisma's operator class names are the SQL names in PascalCase)."""
    if isinstance(value, FunctionValue) and value.name == "raw":
        argument = value.argument(None, 0)
        if argument is not None and isinstance(argument.value, StringValue):
            return argument.value.value
        return None
    if isinstance(value, ConstantValue):
        words = _CAMEL_WORD.sub("_", value.name.replace("MinMax", "Minmax")).lower()
        return words
    return None
