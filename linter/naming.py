"""Names the database generates for unnamed constraints and indexes, by dialect.

The replay asks here; the dialect modules know the rules (PostgreSQL's `makeObjectName`
truncation to 63 bytes, MySQL's `<table>_ibfk_<n>`, …).
"""

from __future__ import annotations

from typing import Callable

from linter.schema import MYSQL, POSTGRESQL, SQLITE, Index

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
        return _numbered(f"sqlite_autoindex_{table}", taken)
    from linter.dialects.pg_names import choose_name

    # PostgreSQL names an index after its key columns and its INCLUDE columns; an expression
    # contributes its function's name, or `expr`.
    names = [(element.name_hint or "expr") if element.is_expression else element.text for element in index.elements]
    names += index.include
    suffix = "key" if index.constraint in ("unique", "primary") else ("excl" if index.constraint == "exclude" else "idx")
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
        return _numbered(f"{table}_chk", taken, start=1, sep="_")
    if dialect == SQLITE:
        return _numbered(f"{table}_check", taken)
    from linter.dialects.pg_names import check_name_column, choose_name

    return choose_name(table, check_name_column(columns), "check", taken)


def _numbered(base: str, taken: Taken, start: int = 1, sep: str = "_") -> str:
    if start == 1 and not taken(base) and sep == "_" and not base.endswith("_chk"):
        return base
    number = start
    while taken(f"{base}{sep}{number}"):
        number += 1
    return f"{base}{sep}{number}"
