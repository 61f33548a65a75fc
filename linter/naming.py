"""Names the database generates for unnamed constraints and indexes, by dialect.

The replay asks here; the dialect modules know the rules (PostgreSQL's `makeObjectName`
truncation to 63 bytes, MySQL's `<table>_ibfk_<n>`, …).
"""

from __future__ import annotations

from collections.abc import Callable

from linter.schema import MYSQL, SQLITE, Index

Taken = Callable[[str], bool]


def primary_key_name(dialect: str | None, table: str, taken: Taken) -> str:
    if dialect == MYSQL:
        return "PRIMARY"
    if dialect == SQLITE:
        return f"sqlite_autoindex_{table}_pk"
    from linter.dialects.pg_names import choose_name

    return choose_name(table, [], "pkey", taken)


def index_name(dialect: str | None, table: str, index: Index, taken: Taken) -> str:
    columns = [element.text for element in index.elements if not element.is_expression]
    if dialect == MYSQL:
        from linter.dialects.sg_names import mysql_index_name

        return mysql_index_name(columns[0] if columns else "index", taken)
    if dialect == SQLITE:
        from linter.dialects.sg_names import sqlite_autoindex_name

        return sqlite_autoindex_name(table, taken)
    from linter.dialects.pg_names import choose_name

    # PostgreSQL names an index after its key columns and its INCLUDE columns; an expression
    # contributes its function's name, or `expr`.
    names = [(element.name_hint or "expr") if element.is_expression else element.text for element in index.elements]
    names += index.include
    suffix = (
        "key" if index.constraint in ("unique", "primary") else ("excl" if index.constraint == "exclude" else "idx")
    )
    return choose_name(table, names, suffix, taken)


def foreign_key_name(dialect: str | None, table: str, columns: list[str], taken: Taken, existing: int) -> str:
    if dialect == MYSQL:
        from linter.dialects.sg_names import mysql_foreign_key_name

        return mysql_foreign_key_name(table, taken)
    if dialect == SQLITE:
        return _numbered(f"{table}_fk", taken)
    from linter.dialects.pg_names import choose_name

    return choose_name(table, columns, "fkey", taken)


def check_name(dialect: str | None, table: str, columns: list[str], taken: Taken) -> str:
    if dialect == MYSQL:
        from linter.dialects.sg_names import mysql_check_name

        # The replay's MySQL is MariaDB's (the server the replay is checked against).
        return mysql_check_name(table, taken)
    if dialect == SQLITE:
        return _numbered(f"{table}_check", taken)
    from linter.dialects.pg_names import check_name_column, choose_name

    return choose_name(table, check_name_column(columns), "check", taken)


def _numbered(base: str, taken: Taken) -> str:
    if not taken(base):
        return base
    number = 1
    while taken(f"{base}_{number}"):
        number += 1
    return f"{base}_{number}"
