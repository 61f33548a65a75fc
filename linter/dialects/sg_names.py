"""Names MySQL/MariaDB and SQLite give to indexes and constraints created without one.

Checked against MariaDB 10.11 and SQLite 3.40 (see tests/dialects/test_sqlglot_front_names.py):

- MySQL/MariaDB index (KEY, UNIQUE, and the index InnoDB adds for a foreign key that no
  index starts with): the first column's name; if taken, or if it is `PRIMARY`, `<col>_2`,
  `<col>_3`, … Index names compare case-insensitively. An implicit foreign-key index is
  named after the CONSTRAINT symbol (or MariaDB's `FOREIGN KEY name (…)`) when one is given.
- MySQL/MariaDB foreign key: `<table>_ibfk_<n>`, n one more than the highest n already used
  by a `<table>_ibfk_<n>` name of the table (numbers freed by DROP FOREIGN KEY are not
  reused). RENAME TABLE renames these generated names to the new table name.
- CHECK: MariaDB `CONSTRAINT_<n>`, MySQL 8 `<table>_chk_<n>` (first free n from 1).
- SQLite: UNIQUE and non-INTEGER PRIMARY KEY constraints get `sqlite_autoindex_<table>_<n>`,
  n counting from 1 in the order of definition; RENAME TABLE renames them. SQLite foreign
  keys and checks have no names.

This module must stay light: the replay imports it without importing sqlglot.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

Taken = Callable[[str], bool]

# Gaps this wide in `<table>_ibfk_<n>` numbers end the search when only a `taken` test is
# available (DROP FOREIGN KEY leaves gaps; the next number is still max + 1).
_PROBE_GAP = 16


def mysql_index_name(column: str, taken: Taken) -> str:
    """The name MySQL/MariaDB gives an index whose first column is `column`."""
    if not _taken_or_primary(column, taken):
        return column
    number = 2
    while _taken_or_primary(f"{column}_{number}", taken):
        number += 1
    return f"{column}_{number}"


def _taken_or_primary(name: str, taken: Taken) -> bool:
    return name.lower() == "primary" or taken(name)


def mysql_foreign_key_name(table: str, taken: Taken, names: Iterable[str] | None = None) -> str:
    """`<table>_ibfk_<n>` for a new unnamed foreign key of `table`.

    `names`, when given, are the constraint names the table has; otherwise `taken` is probed.
    """
    prefix = f"{table}_ibfk_"
    highest = 0
    if names is not None:
        pattern = re.compile(re.escape(prefix) + r"(\d+)$", re.IGNORECASE)
        for name in names:
            match = pattern.match(name)
            if match:
                highest = max(highest, int(match.group(1)))
    else:
        number = 1
        while number - highest <= _PROBE_GAP:
            if taken(f"{prefix}{number}"):
                highest = number
            number += 1
    return f"{prefix}{highest + 1}"


def mysql_foreign_key_index_name(given: str | None, columns: list[str], taken: Taken) -> str:
    """The index InnoDB creates for a foreign key no existing index starts with: named after
    the constraint when the statement named it, else like any index on its first column."""
    if given:
        return given
    return mysql_index_name(columns[0] if columns else "index", taken)


def mysql_renamed_foreign_key(name: str, old_table: str, new_table: str) -> str | None:
    """The new name of a generated foreign key name after RENAME TABLE, or None if `name`
    was not generated for `old_table`."""
    match = re.match(re.escape(old_table) + r"_ibfk_(\d+)$", name, re.IGNORECASE)
    return f"{new_table}_ibfk_{match.group(1)}" if match else None


def mysql_check_name(table: str, taken: Taken, mariadb: bool = True) -> str:
    """An unnamed table CHECK: MariaDB `CONSTRAINT_<n>`, MySQL 8 `<table>_chk_<n>`."""
    prefix = "CONSTRAINT_" if mariadb else f"{table}_chk_"
    number = 1
    while taken(f"{prefix}{number}"):
        number += 1
    return f"{prefix}{number}"


def sqlite_autoindex_name(table: str, taken: Taken) -> str:
    """`sqlite_autoindex_<table>_<n>` for the next UNIQUE / PRIMARY KEY constraint."""
    number = 1
    while taken(f"sqlite_autoindex_{table}_{number}"):
        number += 1
    return f"sqlite_autoindex_{table}_{number}"
