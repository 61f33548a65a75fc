"""What the timestamp and key rules (T001–T003, K001–K007) share, usable by any convention rule:
which tables a team does not own (migration bookkeeping, link tables), finding a column by its
conventional name in snake_case or camelCase, the relations of a Prisma model, and edits that
add a line to a Prisma model.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from fnmatch import fnmatchcase
from typing import Any

from linter.findings import Edit
from linter.records import Record
from linter.schema import Column, Schema, Table
from linter.text import to_snake_case

# Tables that migration tools create and maintain for themselves. They are never judged by a
# convention rule: the team cannot change their shape. Neither are Prisma's implicit
# many-to-many tables (`_AToB` with columns `A` and `B`), whose shape Prisma decides: they are
# recognised by shape (`is_prisma_join_table`), not by name.
MIGRATION_TABLES = (
    "_prisma_migrations",
    "schema_migrations",
    "__diesel_schema_migrations",
    "flyway_schema_history",
    "goose_db_version",
    "knex_migrations",
    "knex_migrations_lock",
    "ar_internal_metadata",
    "gorp_migrations",
    "atlas_schema_revisions",
    "migrate_version",
    "schema_version",
)


def exempt(table_name: str, patterns: Iterable[str] = ()) -> bool:
    """Whether a table is left alone: a migration tool's own table, or one matching a glob
    (case-sensitive, on the bare name or on `schema.name`)."""
    bare = table_name.rsplit(".", 1)[-1]
    if bare in MIGRATION_TABLES:
        return True
    return any(fnmatchcase(bare, glob) or fnmatchcase(table_name, glob) for glob in patterns)


def is_prisma_join_table(table: Table) -> bool:
    """A table Prisma makes for an implicit many-to-many relation: from a list field (in a
    Prisma schema), or in SQL an `_…` table of exactly the columns `A` and `B`."""
    if table.source is not None:
        return getattr(table.source, "kind", None) is None  # a Field, not a model Block
    return table.name.startswith("_") and list(table.columns) == ["A", "B"]


def judged_tables(schema: Schema, ctx: Any) -> Iterator[Table]:
    """The tables a convention rule judges: not exempt (the rule's `exempt` option), not made
    by a tool, not temporary, and with a place to report at."""
    patterns = ctx.options.get("exempt", ())
    for table in schema.tables.values():
        if table.span is None or table.schema == "pg_temp" or exempt(table.qualified, patterns):
            continue
        if is_prisma_join_table(table):
            continue
        yield table


def name_matches(column_name: str, wanted: str, accept_camel_case: bool) -> bool:
    """`created_at` matches `created_at`, and `createdAt` too when camelCase is accepted."""
    if column_name == wanted:
        return True
    return accept_camel_case and column_name != column_name.lower() and to_snake_case(column_name) == wanted


def find_column(table: Table, wanted: str, accept_camel_case: bool) -> Column | None:
    column = table.column(wanted)
    if column is not None:
        return column
    for column in table.columns.values():
        if name_matches(column.name, wanted, accept_camel_case):
            return column
    return None


# --- Prisma models ------------------------------------------------------------------------
class PrismaRelation(Record, frozen=True):
    """A relation field of a model that holds the foreign key (`@relation(fields: [...])`)."""

    attribute: Any  # the @relation Attribute
    field: Any  # the relation Field
    fields: list[str]  # the scalar field names of `fields:`
    columns: list[str]  # their column names


def model_block(table: Table) -> Any:
    """The Prisma `model` block a table was read from (None for SQL and implicit join tables)."""
    source = table.source
    return source if source is not None and getattr(source, "kind", None) == "model" else None


def prisma_relations(table: Table) -> list[PrismaRelation]:
    """The relations a Prisma model holds the foreign key of, whatever the `relationMode`."""
    block = model_block(table)
    if block is None:
        return []
    column_of = {column.source.name: column.name for column in table.columns.values() if column.source is not None}
    relations = []
    for item in block.fields:
        relation = item.attribute("relation")
        if relation is None or relation.value("references") is None:
            continue
        fields = _names(relation.value("fields"))
        if fields and all(name in column_of for name in fields):
            relations.append(PrismaRelation(relation, item, fields, [column_of[name] for name in fields]))
    return relations


def _names(value: Any) -> list[str]:
    # Imported here: only Prisma tables get this far, and SQL-only runs skip the Prisma package.
    from linter.prisma.ast import ArrayValue, ConstantValue

    items = value.items if isinstance(value, ArrayValue) else [value]
    return [item.name for item in items if isinstance(item, ConstantValue)]


def field_name(column: Column) -> str:
    """The Prisma field behind a column (its own name for SQL columns)."""
    return column.source.name if column.source is not None else column.name


def uses_column_maps(block: Any) -> bool:
    """Whether a model maps any field to another column name: then new fields should too."""
    return any(item.attribute("map") is not None for item in block.fields)


def add_to_model(block: Any, lines: list[str], after_fields: bool = False) -> tuple[Edit, ...]:
    """An edit adding `lines` to a model: after its last member (or its last
    field), indented like its first field, with the file's line ending."""
    members = list(block.fields) + ([] if after_fields else list(block.attributes))
    if not members:
        return ()
    file_text = block.span.file.text
    last_end = max(member.span.end for member in members)
    line_end = len(file_text)
    for at in range(last_end, len(file_text)):
        if file_text[at] in "\r\n":
            line_end = at
            break
    newline = "\r\n" if file_text.startswith("\r\n", line_end) else "\r" if file_text.startswith("\r", line_end) else "\n"
    first = members[0].span.start if not block.fields else block.fields[0].span.start
    line_start = max(file_text.rfind("\n", 0, first), file_text.rfind("\r", 0, first)) + 1
    indent = file_text[line_start:first]
    if indent.strip():
        indent = "  "
    return (Edit(block.span.path, line_end, line_end, "".join(f"{newline}{indent}{line}" for line in lines)),)


def is_link_table(table: Table, also_allowed: Iterable[str] = ()) -> bool:
    """A table that only links rows of others: at least two foreign keys (Prisma: relations),
    and every column is part of one, of the primary key, or among `also_allowed` (say the
    `created_at` a link row may carry)."""
    keys = [fk.columns for fk in table.foreign_keys.values()] or [r.columns for r in prisma_relations(table)]
    if len(keys) < 2:
        return False
    linked = {column for columns in keys for column in columns}
    linked.update(table.primary_key.columns if table.primary_key else ())
    allowed = set(also_allowed)
    return all(name in linked or name in allowed for name in table.columns)
