"""`dbvet schema --format json`: the schema as plain facts, in the shape of INTERFACE.md.

One schema prints as `{"version": 1, "tables": {...}, "enums": {...}}`; several (more than one
migration set or Prisma schema under the paths given, or none) as
`{"version": 1, "schemas": {"<display path>": {"tables": {...}, "enums": {...}}}}`, so a
reader can tell the two apart by the `schemas` key.

Keys INTERFACE.md documents are always present, with `null` or `[]` when empty: per table
`columns`, `primary_key`, `indexes`, `foreign_keys`, plus `checks` and `comment`; per
column `type`, `nullable`, `default` and `comment`; per index `name`, `columns`, `unique`;
per foreign key `name`, `columns`, `ref_table`, `ref_columns`, `on_delete`; per check
`name`, `expression`, `validated`. Rarer facts appear only when they differ from the
default, so the common case stays short: a column's `identity` and `generated`; an index's
`method` (other than btree), `predicate`, `include`, `descending` (its descending
elements), `nulls_not_distinct` and `constraint` (`unique` / `exclude` when it backs one);
a foreign key's `on_update` (other than the dialect's default), `validated: false` and
`deferrable: true`.

Choices, each matching what the database's catalog holds:
- `indexes` lists every index, those backing unique and exclusion constraints included, but
  not the primary key's own index: `primary_key` already says it, and listing it twice
  would make every "does an index cover this" reader count it twice.
- An unstated ON DELETE / ON UPDATE is printed as the action the server records:
  `no action` for PostgreSQL and SQLite, `restrict` for MySQL (MariaDB's
  information_schema reports RESTRICT; InnoDB treats the two alike).
- Tables are keyed `schema.name` for PostgreSQL and by their written name elsewhere; tables,
  enums, indexes, foreign keys and checks are sorted by name (case-insensitively first, so
  `Account` and `account_tokens` sit together), columns keep the table's order and enum
  values their declared order.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from linter.report.common import defuse_json
from linter.schema import MYSQL, POSTGRESQL, Column, Enum, ForeignKey, Index, Name, Schema, Table

if TYPE_CHECKING:
    from linter.schema_output import SchemaSource

FORMAT_VERSION = 1
DEFAULT_PG_SCHEMA = "public"


def default_referential_action(dialect: str | None) -> str:
    """What the server records for a foreign key whose ON DELETE/UPDATE was not written."""
    return "restrict" if dialect == MYSQL else "no action"


def name_order(name: str | None) -> tuple[str, str]:
    name = name or ""
    return (name.casefold(), name)


def schema_facts(schema: Schema) -> dict[str, Any]:
    """One schema as INTERFACE.md's JSON document: `{"version": 1, "tables": …, "enums": …}`."""
    return {"version": FORMAT_VERSION, **_body(schema)}


def render_json(sources: list[SchemaSource]) -> str:
    if len(sources) == 1:
        document = schema_facts(sources[0].schema)
    else:
        document = {"version": FORMAT_VERSION, "schemas": {source.path: _body(source.schema) for source in sources}}
    return defuse_json(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"


def _body(schema: Schema) -> dict[str, Any]:
    dialect = schema.dialect
    tables = sorted(schema.tables.values(), key=lambda t: name_order(table_key(t, dialect)))
    enums = sorted(schema.enums.values(), key=lambda e: name_order(_enum_key(e, dialect)))
    return {
        "tables": {table_key(table, dialect): _table(table, dialect) for table in tables},
        "enums": {_enum_key(enum, dialect): list(enum.values) for enum in enums},
    }


def table_key(table: Table, dialect: str | None) -> str:
    if dialect == POSTGRESQL:
        return f"{table.schema or DEFAULT_PG_SCHEMA}.{table.name}"
    return table.qualified


def _enum_key(enum: Enum, dialect: str | None) -> str:
    if dialect == POSTGRESQL:
        return f"{enum.schema or DEFAULT_PG_SCHEMA}.{enum.name}"
    return enum.qualified


def _ref_key(ref: Name, dialect: str | None) -> str:
    if dialect == POSTGRESQL:
        return f"{ref.schema or DEFAULT_PG_SCHEMA}.{ref.name}"
    return str(ref)


def table_facts(table: Table, dialect: str | None) -> dict[str, Any]:
    """One table's facts, as `dbvet schema --format json` prints them (R002 compares these)."""
    return _table(table, dialect)


def _table(table: Table, dialect: str | None) -> dict[str, Any]:
    primary = table.primary_key
    pk_index = primary.name if primary is not None else None
    indexes = [
        index
        for name, index in table.indexes.items()
        if index.constraint != "primary" and (pk_index is None or name != pk_index)
    ]
    spell = _type_speller(dialect)
    return {
        "columns": {column.name: _column(column, spell) for column in table.columns.values()},
        "primary_key": list(primary.columns) if primary is not None else None,
        "indexes": [_index(index) for index in _by_name(indexes)],
        "foreign_keys": [_foreign_key(fk, dialect) for fk in _by_name(table.foreign_keys.values())],
        "checks": [
            {"name": check.name, "expression": check.expression, "validated": check.validated}
            for check in _by_name(table.checks.values())
        ],
        "comment": table.comment,
    }


def _by_name(items: Iterable[Any]) -> list[Any]:
    """Indexes, foreign keys or checks in name order (a table has few: R002 takes the facts of
    thousands of tables, most with no check and one key, which need no sorting)."""
    items = list(items)
    if len(items) > 1:
        items.sort(key=lambda item: name_order(item.name))
    return items


def _type_speller(dialect: str | None) -> Callable[[str], str]:
    """How column types are printed: PostgreSQL's exactly as `format_type()` prints them (the
    model keeps user type names unquoted so rules can match columns to enums; the output
    quotes `"Role"` as the server does), others as the model spells them."""
    if dialect != POSTGRESQL:
        return str
    global _quoted_type
    if _quoted_type is None:  # imported on first use, not per table (R002 spells thousands)
        from linter.dialects.pg_types import quoted_type as _quoted_type
    return _quoted_type


_quoted_type: Callable[[str], str] | None = None


def _column(column: Column, spell: Callable[[str], str]) -> dict[str, Any]:
    facts: dict[str, Any] = {
        "type": spell(column.type),
        "nullable": column.nullable,
        "default": column.default,
        "comment": column.comment,
    }
    if column.identity:
        facts["identity"] = column.identity
    if column.generated:
        facts["generated"] = column.generated
    return facts


def _index(index: Index) -> dict[str, Any]:
    facts: dict[str, Any] = {"name": index.name, "columns": index.columns, "unique": index.unique}
    if index.method and index.method != "btree":
        facts["method"] = index.method
    if index.predicate:
        facts["predicate"] = index.predicate
    if index.include:
        facts["include"] = list(index.include)
    descending = [element.text for element in index.elements if element.descending]
    if descending:
        facts["descending"] = descending
    if index.nulls_not_distinct:
        facts["nulls_not_distinct"] = True
    if index.constraint:
        facts["constraint"] = index.constraint
    return facts


def _foreign_key(fk: ForeignKey, dialect: str | None) -> dict[str, Any]:
    default = default_referential_action(dialect)
    facts: dict[str, Any] = {
        "name": fk.name,
        "columns": list(fk.columns),
        "ref_table": _ref_key(fk.ref_table, dialect),
        "ref_columns": list(fk.ref_columns),
        "on_delete": fk.on_delete or default,
    }
    if fk.on_update and fk.on_update != default:
        facts["on_update"] = fk.on_update
    if not fk.validated:
        facts["validated"] = False
    if fk.deferrable:
        facts["deferrable"] = True
    return facts


# --- what the facts imply, for the diagram and the data dictionary ---------------------------
def display_name(key: str, dialect: str | None) -> str:
    """A table's or enum's name as people read it: PostgreSQL's default schema left out."""
    prefix = DEFAULT_PG_SCHEMA + "."
    if dialect == POSTGRESQL and key.startswith(prefix):
        return key[len(prefix) :]
    return key


def unique_column_sets(table: dict[str, Any]) -> list[frozenset[str]]:
    """Column sets whose values are unique in every row: the primary key and each unique index
    on plain columns with no predicate (a partial index is unique only where it applies)."""
    sets = []
    if table["primary_key"]:
        sets.append(frozenset(table["primary_key"]))
    for index in table["indexes"]:
        plain = all(column in table["columns"] for column in index["columns"])  # no expressions
        if index["unique"] and plain and "predicate" not in index and "method" not in index:
            sets.append(frozenset(index["columns"]))
    return sets


def column_keys(table: dict[str, Any]) -> dict[str, list[str]]:
    """`PK`, `FK` and `UK` marks per column (UK: unique on its own, and not the primary key)."""
    marks: dict[str, list[str]] = {name: [] for name in table["columns"]}
    primary = table["primary_key"] or []
    for name in primary:
        if name in marks:
            marks[name].append("PK")
    for fk in table["foreign_keys"]:
        for name in fk["columns"]:
            if name in marks and "FK" not in marks[name]:
                marks[name].append("FK")
    for columns in unique_column_sets(table):
        if len(columns) == 1:
            (name,) = columns
            if name in marks and name not in primary and "UK" not in marks[name]:
                marks[name].append("UK")
    return marks


def is_one_to_one(table: dict[str, Any], fk_columns: Iterable[str]) -> bool:
    """Whether a foreign key's columns hold each referenced row at most once: some unique
    column set lies within them."""
    columns = frozenset(fk_columns)
    return any(unique <= columns for unique in unique_column_sets(table))
