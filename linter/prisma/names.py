"""The names Prisma Migrate gives what a schema does not name, and how PostgreSQL prints them.

Mirrors `ConstraintNames` in prisma-engines (`psl/psl-core/src/common/constraint_names.rs`):
`{table}_pkey`, `{table}_{columns}_key` for unique indexes, `{table}_{columns}_idx` for other
indexes and `{table}_{columns}_fkey` for foreign keys, built from database names (after
`@@map`/`@map`) and cut to the connector's identifier limit in bytes, at a character boundary,
before the suffix is added.
"""

from __future__ import annotations

import re

# Each connector's `max_identifier_length` in prisma-engines.
IDENTIFIER_LIMITS = {
    "postgresql": 63,
    "cockroachdb": 63,
    "mysql": 64,
    "sqlite": 10000,
    "sqlserver": 128,
    "mongodb": 127,
}

_PLAIN_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_$]*")


def identifier_limit(provider: str) -> int:
    return IDENTIFIER_LIMITS.get(provider, 63)


def _cut_bytes(text: str, limit: int) -> str:
    """The longest prefix of `text` that fits in `limit` UTF-8 bytes (Rust's floor_char_boundary)."""
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode("utf-8", "ignore")


def primary_key_name(table: str, provider: str) -> str:
    limit = identifier_limit(provider)
    if len(table.encode("utf-8")) >= limit - 5:
        table = _cut_bytes(table, limit - 5)
    return f"{table}_pkey"


def _with_suffix(joined: str, suffix: str, provider: str) -> str:
    limit = identifier_limit(provider) - len(suffix)
    if len(joined.encode("utf-8")) >= limit:
        joined = _cut_bytes(joined, limit)
    return joined + suffix


def unique_index_name(table: str, columns: list[str], provider: str) -> str:
    return _with_suffix(f"{table}_{'_'.join(columns)}", "_key", provider)


def index_name(table: str, columns: list[str], provider: str) -> str:
    return _with_suffix(f"{table}_{'_'.join(columns)}", "_idx", provider)


def foreign_key_name(table: str, columns: list[str], provider: str) -> str:
    return _with_suffix(f"{table}_{'_'.join(columns)}", "_fkey", provider)


def join_table_names(relation_name: str, provider: str) -> dict[str, str]:
    """Names in an implicit many-to-many table, as `push_relation_tables` in Prisma's SQL
    schema calculator builds them (its own truncation rules, chosen to avoid collisions)."""
    limit = identifier_limit(provider)
    table = f"_{relation_name}"[:limit]
    max_table = limit - len("_fkey") - 2
    return {
        "table": table,
        "a_fkey": f"{table[:max_table] if len(table) > max_table else table}_A_fkey",
        "b_fkey": f"{table[:max_table] if len(table) >= max_table else table}_B_fkey",
        "ab_pkey": f"{table[: limit - 8]}_AB_pkey",
        "ab_unique": f"{table[: limit - 10]}_AB_unique",
        "b_index": f"{table[: limit - 8]}_B_index",
    }


def pg_object_name(name1: str, name2: str, label: str) -> str:
    """PostgreSQL's makeObjectName: `{name1}_{name2}_{label}` within 63 bytes, shortening the
    longer of the two names first (used for a serial column's sequence)."""
    available = 63 - len(label.encode("utf-8")) - 2
    chars1, chars2 = list(name1), list(name2)
    bytes1 = len(name1.encode("utf-8"))
    bytes2 = len(name2.encode("utf-8"))
    while bytes1 + bytes2 > available:
        if bytes1 > bytes2:
            bytes1 -= len(chars1.pop().encode("utf-8"))
        else:
            bytes2 -= len(chars2.pop().encode("utf-8"))
    return f"{''.join(chars1)}_{''.join(chars2)}_{label}"


def quote_identifier(name: str) -> str:
    """PostgreSQL's quote_identifier: double quotes unless the name is plain lower case."""
    if _PLAIN_IDENTIFIER.fullmatch(name):
        return name
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"
