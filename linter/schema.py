"""The one neutral schema model that SQL replay and the Prisma reader both produce.

Objects are mutable while a migration set is replayed; each remembers where it was created
(`created`) and last changed (`changed`) so rules can ask "did this exist before this
migration?" and report where an object was last defined. Translators build these same
classes (without origins) to describe what a statement creates; the replay stamps them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from linter.findings import Span

POSTGRESQL = "postgresql"
MYSQL = "mysql"
SQLITE = "sqlite"
DIALECTS = (POSTGRESQL, MYSQL, SQLITE)


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a schema object was created or last changed."""

    migration: Any = None  # linter.migrations.Migration, or None (a Prisma schema)
    span: Span | None = None
    in_change: bool = False  # made by a migration that is new in the change being checked


@dataclass(frozen=True, slots=True)
class Name:
    """A possibly schema-qualified object name as written in a statement."""

    name: str
    schema: str | None = None

    def __str__(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name


@dataclass(slots=True, eq=False)
class Column:
    name: str
    type: str  # PostgreSQL: as format_type() spells it; MySQL/SQLite: lower-case as declared
    nullable: bool = True
    default: str | None = None
    identity: str | None = None  # "always" | "by default"
    generated: str | None = None  # expression of a stored generated column
    comment: str | None = None
    span: Span | None = None  # the column's definition in the statement that made it
    created: Origin = field(default_factory=Origin)
    changed: Origin = field(default_factory=Origin)
    source: Any = None  # the Prisma field it came from, if any

    @property
    def base_type(self) -> str:
        """The type without modifiers or array brackets: `character varying(255)` -> `character varying`."""
        return self.type.split("(", 1)[0].removesuffix("[]").strip()

    @property
    def is_array(self) -> bool:
        return self.type.endswith("]")


@dataclass(frozen=True, slots=True)
class IndexElement:
    text: str  # a column name, or the expression's text
    is_expression: bool = False
    descending: bool = False
    opclass: str | None = None
    name_hint: str | None = None  # what an expression gives a generated index name (`lower`, `expr`)


@dataclass(slots=True, eq=False)
class Index:
    name: str | None
    table: Name
    elements: list[IndexElement]
    unique: bool = False
    method: str = "btree"
    predicate: str | None = None
    include: list[str] = field(default_factory=list)
    # "unique" | "primary" | "exclude" when it backs a constraint; "foreign" for an index
    # InnoDB made for a MySQL foreign key (the server drops it for a later key that covers it).
    constraint: str | None = None
    nulls_not_distinct: bool = False
    span: Span | None = None
    created: Origin = field(default_factory=Origin)
    changed: Origin = field(default_factory=Origin)
    source: Any = None

    @property
    def columns(self) -> list[str]:
        return [element.text for element in self.elements]

    @property
    def column_names(self) -> list[str]:
        """Leading plain columns, up to the first expression."""
        names = []
        for element in self.elements:
            if element.is_expression:
                break
            names.append(element.text)
        return names


@dataclass(slots=True, eq=False)
class PrimaryKey:
    name: str | None
    columns: list[str]
    span: Span | None = None
    created: Origin = field(default_factory=Origin)
    changed: Origin = field(default_factory=Origin)
    source: Any = None


@dataclass(slots=True, eq=False)
class ForeignKey:
    name: str | None
    columns: list[str]
    ref_table: Name
    ref_columns: list[str]
    on_delete: str | None = None  # "cascade", "restrict", "set null", "set default", "no action"; None = not stated
    on_update: str | None = None
    validated: bool = True
    deferrable: bool = False
    span: Span | None = None
    created: Origin = field(default_factory=Origin)
    changed: Origin = field(default_factory=Origin)
    source: Any = None


@dataclass(slots=True, eq=False)
class Check:
    name: str | None
    expression: str
    validated: bool = True
    not_null_column: str | None = None  # set when the check is exactly `col IS NOT NULL`
    columns: list[str] = field(default_factory=list)  # columns it mentions, when known
    span: Span | None = None
    created: Origin = field(default_factory=Origin)
    changed: Origin = field(default_factory=Origin)


Constraint = PrimaryKey | Index | ForeignKey | Check


@dataclass(slots=True, eq=False)
class Table:
    name: str
    schema: str | None = None
    columns: dict[str, Column] = field(default_factory=dict)
    primary_key: PrimaryKey | None = None
    indexes: dict[str, Index] = field(default_factory=dict)
    foreign_keys: dict[str, ForeignKey] = field(default_factory=dict)
    checks: dict[str, Check] = field(default_factory=dict)
    comment: str | None = None
    span: Span | None = None  # the CREATE TABLE (or Prisma model) that defined it
    created: Origin = field(default_factory=Origin)
    changed: Origin = field(default_factory=Origin)
    source: Any = None

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name

    def column(self, name: str) -> Column | None:
        return self.columns.get(name) or _casefold_get(self.columns, name)

    def constraint_names(self) -> set[str]:
        names = set(self.indexes) | set(self.foreign_keys) | set(self.checks)
        if self.primary_key and self.primary_key.name:
            names.add(self.primary_key.name)
        return names

    def clone(self) -> "Table":
        return replace(
            self,
            columns={k: replace(v) for k, v in self.columns.items()},
            primary_key=replace(self.primary_key, columns=list(self.primary_key.columns)) if self.primary_key else None,
            indexes={k: replace(v, elements=list(v.elements), include=list(v.include)) for k, v in self.indexes.items()},
            foreign_keys={
                k: replace(v, columns=list(v.columns), ref_columns=list(v.ref_columns)) for k, v in self.foreign_keys.items()
            },
            checks={k: replace(v, columns=list(v.columns)) for k, v in self.checks.items()},
        )


@dataclass(slots=True, eq=False)
class Enum:
    name: str
    values: list[str]
    schema: str | None = None
    span: Span | None = None
    created: Origin = field(default_factory=Origin)
    changed: Origin = field(default_factory=Origin)
    source: Any = None

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name


def _casefold_get(mapping: dict, name: str):
    lowered = name.lower()
    for key, value in mapping.items():
        if key.lower() == lowered:
            return value
    return None


@dataclass(slots=True, eq=False)
class Schema:
    """Tables and enums keyed by qualified name (PostgreSQL: `schema.name`)."""

    dialect: str | None = POSTGRESQL
    tables: dict[str, Table] = field(default_factory=dict)
    enums: dict[str, Enum] = field(default_factory=dict)
    views: dict[str, Origin] = field(default_factory=dict)
    schemas: set[str] = field(default_factory=lambda: {"public"})
    search_path: list[str] = field(default_factory=lambda: ["public"])

    @property
    def case_insensitive(self) -> bool:
        # MySQL on Linux keeps table-name case but column names never matter; SQLite ignores
        # case for both. Look-ups fold case for these two, keys keep the written spelling.
        return self.dialect in (MYSQL, SQLITE)

    def key(self, name: str, schema: str | None) -> str:
        if self.dialect == POSTGRESQL:
            return f"{schema or (self.search_path[0] if self.search_path else 'public')}.{name}"
        key = f"{schema}.{name}" if schema else name
        return key.lower() if self.case_insensitive else key

    def _candidates(self, ref: Name) -> list[str]:
        if self.dialect != POSTGRESQL or ref.schema:
            return [self.key(ref.name, ref.schema)]
        return [f"{schema}.{ref.name}" for schema in (self.search_path or ["public"])] + [f"pg_temp.{ref.name}"]

    def table(self, ref: Name | str) -> Table | None:
        ref = ref if isinstance(ref, Name) else Name(ref)
        for key in self._candidates(ref):
            found = self.tables.get(key)
            if found is not None:
                return found
        return None

    def table_key(self, ref: Name) -> str | None:
        for key in self._candidates(ref):
            if key in self.tables:
                return key
        return None

    def enum(self, ref: Name | str) -> Enum | None:
        ref = ref if isinstance(ref, Name) else Name(ref)
        for key in self._candidates(ref):
            found = self.enums.get(key)
            if found is not None:
                return found
        return None

    def creation_schema(self, ref: Name) -> str | None:
        """The schema a new object named `ref` lands in."""
        if self.dialect != POSTGRESQL:
            return ref.schema
        return ref.schema or (self.search_path[0] if self.search_path else "public")

    def find_index(self, ref: Name) -> tuple[Table, Index] | None:
        """An index by name (index names are unique per schema in PostgreSQL)."""
        schemas = [ref.schema] if ref.schema else (self.search_path or ["public"])
        for table in self.tables.values():
            if self.dialect == POSTGRESQL and table.schema not in schemas:
                continue
            index = table.indexes.get(ref.name)
            if index is not None:
                return table, index
        return None

    def clone(self) -> "Schema":
        return replace(
            self,
            tables={k: t.clone() for k, t in self.tables.items()},
            enums={k: replace(e, values=list(e.values)) for k, e in self.enums.items()},
            views=dict(self.views),
            schemas=set(self.schemas),
            search_path=list(self.search_path),
        )
