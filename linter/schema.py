"""The one neutral schema model that SQL replay and the Prisma reader both produce.

Objects are mutable while a migration set is replayed; each remembers where it was created
(`created`) and last changed (`changed`) so rules can ask "did this exist before this
migration?" and report where an object was last defined. Translators build these same
classes (without origins) to describe what a statement creates; the replay stamps them.
"""

from __future__ import annotations

from operator import attrgetter
from typing import Any, Callable, Iterable

from linter.findings import Span
from linter.records import Record, field, fields, replace

POSTGRESQL = "postgresql"
MYSQL = "mysql"
SQLITE = "sqlite"
DIALECTS = (POSTGRESQL, MYSQL, SQLITE)


class Origin(Record, frozen=True):
    """Where a schema object was created or last changed."""

    migration: Any = None  # linter.migrations.Migration, or None (a Prisma schema)
    span: Span | None = None
    in_change: bool = False  # made by a migration that is new in the change being checked


class Name(Record, frozen=True):
    """A possibly schema-qualified object name as written in a statement."""

    name: str
    schema: str | None = None

    def __str__(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name


class Column(Record, eq=False):
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
    # `(type, base type)` as last worked out: rules ask for the base type of every column many
    # times; kept with the type string it came from, so a changed type is never answered stale.
    _base_type: tuple[str, str] | None = field(default=None, init=False, repr=False)

    @property
    def base_type(self) -> str:
        """The type without modifiers or array brackets: `character varying(255)` -> `character varying`."""
        known = self._base_type
        if known is None or known[0] != self.type:
            known = self._base_type = (self.type, self.type.split("(", 1)[0].removesuffix("[]").strip())
        return known[1]

    @property
    def is_array(self) -> bool:
        return self.type.endswith("]")

    def clone(self) -> "Column":
        """A copy to stamp or change (cheaper than `replace`, which the replay
        would call for every column it creates)."""
        return _copy_column(self)


class IndexElement(Record, frozen=True):
    text: str  # a column name, or the expression's text
    is_expression: bool = False
    descending: bool = False
    opclass: str | None = None
    name_hint: str | None = None  # what an expression gives a generated index name (`lower`, `expr`)


class Index(Record, eq=False):
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


class PrimaryKey(Record, eq=False):
    name: str | None
    columns: list[str]
    span: Span | None = None
    created: Origin = field(default_factory=Origin)
    changed: Origin = field(default_factory=Origin)
    source: Any = None


class ForeignKey(Record, eq=False):
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


class Check(Record, eq=False):
    name: str | None
    expression: str
    validated: bool = True
    not_null_column: str | None = None  # set when the check is exactly `col IS NOT NULL`
    columns: list[str] = field(default_factory=list)  # columns it mentions, when known
    span: Span | None = None
    created: Origin = field(default_factory=Origin)
    changed: Origin = field(default_factory=Origin)


Constraint = PrimaryKey | Index | ForeignKey | Check


class Table(Record, eq=False):
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
        """A copy the replay can change without touching this one (R002 reverts a copy).

        Hand-written rather than `replace`: a 400-migration set clones tens of
        thousands of tables, and replace's per-field introspection was most of the run."""
        copy = _copy_table(self)
        copy.columns = {k: _copy_column(v) for k, v in self.columns.items()}
        if self.primary_key is not None:
            copy.primary_key = key = _copy_primary_key(self.primary_key)
            key.columns = list(key.columns)
        copy.indexes = {k: _copy_index(v) for k, v in self.indexes.items()}
        for index in copy.indexes.values():
            index.elements = list(index.elements)
            index.include = list(index.include)
        copy.foreign_keys = {k: _copy_foreign_key(v) for k, v in self.foreign_keys.items()}
        for fk in copy.foreign_keys.values():
            fk.columns = list(fk.columns)
            fk.ref_columns = list(fk.ref_columns)
        copy.checks = {k: _copy_check(v) for k, v in self.checks.items()}
        for check in copy.checks.values():
            check.columns = list(check.columns)
        return copy


def _shallow_copier(cls):
    """A fast shallow copy for a record: its init arguments are copied; fields that
    are not init arguments (caches) start afresh, as `replace` leaves them."""
    names = [f.name for f in fields(cls) if f.init]
    assert all(f.init or f.name.startswith("_") for f in fields(cls)), cls
    get = attrgetter(*names)
    return lambda obj: cls(*get(obj))


_copy_table = _shallow_copier(Table)
_copy_column = _shallow_copier(Column)
_copy_primary_key = _shallow_copier(PrimaryKey)
_copy_index = _shallow_copier(Index)
_copy_foreign_key = _shallow_copier(ForeignKey)
_copy_check = _shallow_copier(Check)


class Enum(Record, eq=False):
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

    @property
    def spelled(self) -> str:
        """As a column's type names it: schema-qualified outside `public`."""
        return _spelled(self.name, self.schema)


def _spelled(name: str, schema: str | None) -> str:
    return name if schema in (None, "public") else f"{schema}.{name}"


class Domain(Record, eq=False):
    """A PostgreSQL domain: a column of it takes the domain's default (when it has none of its
    own), NOT NULL and CHECK constraints, and those of the domain it is over, if any."""

    name: str
    base_type: str  # as format_type prints it: a built-in type, an enum or another domain
    schema: str | None = None
    default: str | None = None
    not_null: bool = False
    checks: list[str] = field(default_factory=list)  # the CHECK constraints' names
    span: Span | None = None
    created: Origin = field(default_factory=Origin)
    changed: Origin = field(default_factory=Origin)

    @property
    def spelled(self) -> str:
        """As a column's type names it: schema-qualified outside `public`."""
        return _spelled(self.name, self.schema)

    @property
    def constrained(self) -> bool:
        """Whether it checks its values itself (CHECK or NOT NULL), not only its base type."""
        return bool(self.checks) or self.not_null


def _clone_domain(domain: Domain) -> Domain:
    copy = _copy_domain(domain)
    copy.checks = list(domain.checks)
    return copy


def _clone_enum(enum: Enum) -> Enum:
    copy = _copy_enum(enum)
    copy.values = list(enum.values)
    return copy


_copy_enum = _shallow_copier(Enum)
_copy_domain = _shallow_copier(Domain)


def _casefold_get(mapping: dict, name: str):
    lowered = name.lower()
    for key, value in mapping.items():
        if key.lower() == lowered:
            return value
    return None


class Schema(Record, eq=False):
    """Tables, enums and domains keyed by qualified name (PostgreSQL: `schema.name`)."""

    dialect: str | None = POSTGRESQL
    tables: dict[str, Table] = field(default_factory=dict)
    enums: dict[str, Enum] = field(default_factory=dict)
    domains: dict[str, Domain] = field(default_factory=dict)
    views: dict[str, Origin] = field(default_factory=dict)
    schemas: set[str] = field(default_factory=lambda: {"public"})
    search_path: list[str] = field(default_factory=lambda: ["public"])
    # Index name -> keys of the tables that have, or have had, an index of that name: built by
    # `find_index` on first use, then kept by the replay (`KeyReplay._note_names`). A clone
    # starts without it.
    _indexes_at: dict[str, set[str]] | None = field(default=None, init=False, repr=False)

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

    def candidate_keys(self, ref: Name) -> list[str]:
        """Every key `ref` may name, in the order a look-up tries them: PostgreSQL tries each
        schema of the search path, then `pg_temp`."""
        if self.dialect != POSTGRESQL or ref.schema:
            return [self.key(ref.name, ref.schema)]
        return [f"{schema}.{ref.name}" for schema in self.search_path or _DEFAULT_PATH] + [f"pg_temp.{ref.name}"]

    def _resolve(self, mapping: dict, ref: Name) -> str | None:
        """The key `ref` names in `mapping` (the tables or the enums), if any. Tests keys without
        fetching values, so a `CopyOnAccess` copies nothing here."""
        for key in self.candidate_keys(ref):
            if key in mapping:
                return key
        return None

    def table(self, ref: Name | str) -> Table | None:
        key = self._resolve(self.tables, ref if isinstance(ref, Name) else Name(ref))
        return None if key is None else self.tables[key]

    def table_key(self, ref: Name) -> str | None:
        return self._resolve(self.tables, ref)

    def enum(self, ref: Name | str) -> Enum | None:
        key = self._resolve(self.enums, ref if isinstance(ref, Name) else Name(ref))
        return None if key is None else self.enums[key]

    def domain(self, ref: Name | str) -> Domain | None:
        key = self._resolve(self.domains, ref if isinstance(ref, Name) else Name(ref))
        return None if key is None else self.domains[key]

    def domains_of(self, column_type: str) -> list[Domain]:
        """The domain a column of this type is of, then each domain that one is over: none for
        another type, or for an array of a domain (its elements are checked, but the column
        takes no default or NOT NULL from it)."""
        found: list[Domain] = []
        spelled = column_type
        while self.domains and not spelled.endswith("]") and len(found) < 32:
            schema, dot, name = spelled.partition(".")
            domain = self.domain(Name(name, schema) if dot else Name(spelled))
            if domain is None or domain in found:
                break
            found.append(domain)
            spelled = domain.base_type
        return found

    def creation_schema(self, ref: Name) -> str | None:
        """The schema a new object named `ref` lands in."""
        if self.dialect != POSTGRESQL:
            return ref.schema
        return ref.schema or (self.search_path[0] if self.search_path else "public")

    def find_index(self, ref: Name) -> tuple[Table, Index] | None:
        """An index by name (index names are unique per schema in PostgreSQL): the first table,
        in the schema's order, that holds one of that name (in a schema of the search path)."""
        name = ref.name
        schemas = [ref.schema] if ref.schema else (self.search_path or _DEFAULT_PATH)
        any_schema = self.dialect != POSTGRESQL
        tables = self.tables
        holders = []
        for key in self.index_holders(name):  # may name tables that no longer hold it
            table = peek(tables, key)  # read only
            if table is not None and name in table.indexes and (any_schema or table.schema in schemas):
                holders.append(key)
        if not holders:
            return None
        if len(holders) > 1:
            order = {key: position for position, key in enumerate(tables)}
            holders.sort(key=order.__getitem__)
        table = tables[holders[0]]  # under CopyOnAccess, this schema's own copy, to change
        return table, table.indexes[name]

    def index_holders(self, name: str) -> set[str]:
        """Keys of the tables that have, or have had, an index named `name` (may over-report)."""
        if self._indexes_at is None:
            self._indexes_at = self.index_locations()
        return self._indexes_at.get(name, set())

    def note_index_names(self, table: Table, names: Iterable[str]) -> None:
        """Record that `table` now holds names that may be index names (the replay calls it
        wherever it names something, `KeyReplay._note_names`); nothing until a look-up built
        the record."""
        if self._indexes_at is not None:
            key = self.key(table.name, table.schema)
            for name in names:
                self._indexes_at.setdefault(name, set()).add(key)

    def index_locations(self) -> dict[str, set[str]]:
        """Index name -> keys of the tables holding one: a pass over every table."""
        found: dict[str, set[str]] = {}
        for key, table in peek_items(self.tables):
            for name in table.indexes:
                found.setdefault(name, set()).add(key)
        return found

    def tables_where(self, test: Callable[[Table], bool]) -> list[Table]:
        """The tables that pass `test` (which only reads), in order, ready to change: a clone
        copies only these, not every table the scan looks at."""
        return [self.tables[key] for key in [key for key, table in peek_items(self.tables) if test(table)]]

    def clone(self) -> "Schema":
        """A copy the replay can change without touching this one: tables and enums are copied
        on first access (most reverts touch a few tables of hundreds; R002 reverts a copy
        after every migration that has a down)."""
        return replace(
            self,
            tables=CopyOnAccess(self.tables, Table.clone),
            enums=CopyOnAccess(self.enums, _clone_enum),
            domains={key: _clone_domain(domain) for key, domain in self.domains.items()},
            views=dict(self.views),
            schemas=set(self.schemas),
            search_path=list(self.search_path),
        )


# The search path when none is set.
_DEFAULT_PATH = ("public",)


def peek_items(mapping: dict) -> Iterable:
    """The items of a dict of tables or enums, for reading only: a `CopyOnAccess` hands out
    its shared originals without copying them, so a scan for the few objects to change does
    not copy the rest. Change an object only after fetching it by key."""
    if type(mapping) is CopyOnAccess:
        return mapping.peek_items()
    return mapping.items()


def peek(mapping: dict, key: str) -> Any:
    """The value under `key` in a dict of tables or enums (None if absent), for reading only,
    as `peek_items` gives it: a `CopyOnAccess` does not copy it."""
    return dict.get(mapping, key)


class CopyOnAccess(dict):
    """A dict that shares another's values and copies each one the first time it hands it out.

    Every way to get a value (indexing, get, pop, setdefault, values, items) returns this
    dict's own copy, so changing what it returns never changes the original; values stored
    into it are its own. Only `peek_items` returns shared originals, for read-only scans.
    """

    __slots__ = ("_copy", "_own")

    def __init__(self, shared: dict, copy: Callable[[Any], Any]) -> None:
        super().__init__(shared)
        self._copy = copy
        self._own: set = set()

    def _take(self, key):
        value = dict.__getitem__(self, key)
        if key not in self._own:
            value = self._copy(value)
            dict.__setitem__(self, key, value)
            self._own.add(key)
        return value

    def _take_all(self) -> None:
        if len(self._own) < len(self):
            for key in [key for key in dict.keys(self) if key not in self._own]:
                self._take(key)

    def __getitem__(self, key):
        return self._take(key)

    def get(self, key, default=None):
        return self._take(key) if key in self else default

    def __setitem__(self, key, value) -> None:
        dict.__setitem__(self, key, value)
        self._own.add(key)

    def __delitem__(self, key) -> None:
        dict.__delitem__(self, key)
        self._own.discard(key)

    def setdefault(self, key, default=None):
        if key in self:
            return self._take(key)
        self[key] = default
        return default

    def pop(self, key, *default):
        if key not in self:
            if default:
                return default[0]
            raise KeyError(key)
        value = self._take(key)
        del self[key]
        return value

    def popitem(self):
        key = next(reversed(dict.keys(self)))
        return key, self.pop(key)

    def update(self, *args, **kwargs) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def clear(self) -> None:
        dict.clear(self)
        self._own.clear()

    def values(self):
        self._take_all()
        return dict.values(self)

    def items(self):
        self._take_all()
        return dict.items(self)

    def copy(self) -> dict:
        self._take_all()
        return dict(dict.items(self))

    def peek_items(self):
        return dict.items(self)

    def is_shared(self, key) -> bool:
        """Whether the value under `key` is still the original's (never handed out here)."""
        return key in self and key not in self._own

    def __or__(self, other):
        raise TypeError("a CopyOnAccess does not merge with |: that would hand out its shared originals")

    __ior__ = __or__
    __ror__ = __or__
