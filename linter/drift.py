"""Where a Prisma schema and the schema its migrations replay to disagree (rule R005).

Both sides are the neutral `Schema`: `linter.prisma.to_schema` builds what Prisma Migrate would
create from the schema, the replay builds what the migrations leave. Comparing them is mostly
deciding what counts as the same thing, because a false "drift" teaches people to ignore the rule:

- types as the database spells them (PostgreSQL `format_type()`, MySQL via `mysql_type`, SQLite
  by the family Prisma reads a declared type as);
- defaults only where both sides say something comparable: `uuid()`/`cuid()`/`nanoid()`/`ulid()`
  are filled in by Prisma Client, so they are never compared; `autoincrement()` is a serial
  sequence, an identity, AUTO_INCREMENT or SQLite's INTEGER PRIMARY KEY alike;
- indexes matched by table, columns and uniqueness first and by name second; a unique constraint
  is the same as a unique index; indexes Prisma cannot express (partial, on expressions, with an
  INCLUDE list) are never reported as missing from the schema;
- the implicit many-to-many table's primary key (Prisma 6) and unique index (Prisma 5) are the same;
- with `relationMode = "prisma"` the database has no foreign keys to compare;
- tables outside the schemas Prisma manages (the datasource's `schemas`, else `public`) and
  `_prisma_migrations` are not Prisma's business.

Each difference says on which side the object is (or how each side has it) and where to report:
at the Prisma field, model or attribute when the schema has it, at the migration that created
or last changed it when only the migrations do.
"""

from __future__ import annotations

import enum
import json
import re
from typing import Any, Iterable

from linter.actions import Opaque, Statement
from linter.dialects.sg_types import mysql_default, mysql_type, without_display_width
from linter.findings import Span
from linter.prisma.ast import Attribute, Field, FunctionValue
from linter.records import Record
from linter.schema import MYSQL, POSTGRESQL, SQLITE, Column, Enum, ForeignKey, Index, Name, PrimaryKey, Schema, Table

# Functions Prisma Client evaluates: the column has no database default to compare.
_CLIENT_DEFAULTS = frozenset({"uuid", "cuid", "nanoid", "ulid"})
_PRISMA_TABLES = frozenset({"_prisma_migrations"})


class Kind(str, enum.Enum):
    NOT_MIGRATED = "not-migrated"  # in the Prisma schema, no migration creates it
    NOT_IN_SCHEMA = "not-in-schema"  # a migration creates it, the Prisma schema lacks it
    DIFFERS = "differs"  # both have it, differently


class Difference(Record, frozen=True):
    kind: Kind
    object: str  # the database object: 'table "Post"', 'column "User"."email"'
    prisma: str | None  # the Prisma side: 'model "Post"', 'String? (nullable)'; None when absent
    migrations: str | None  # the migrations' side: 'NOT NULL'; None when absent
    span: Span | None  # where to report: the Prisma side unless only the migrations have it
    migration: Any = None  # the Migration that created or last changed the migrations' side
    # Database names that identify the object, as alternatives (a constraint's name, or its
    # table and column): a DO block that mentions all names of one of them may have made it.
    names: tuple[tuple[str, ...], ...] = ()


class Migrated(Record, frozen=True):
    """What a migration set builds: the replayed schema, and the text of the statements whose
    effect the replay cannot see (PostgreSQL DO blocks, which migrations use to guard DDL)."""

    schema: Schema
    hidden: tuple[str, ...] = ()

    @classmethod
    def of(cls, schema: Schema, statements: Iterable[Statement]) -> "Migrated":
        hidden = tuple(
            statement.text
            for statement in statements
            if any(isinstance(action, Opaque) and action.what == "DoStmt" for action in statement.actions)
        )
        return cls(schema, hidden)

    def may_have_made(self, difference: Difference) -> bool:
        """Whether a DO block names the object: the replay cannot tell what it did to it."""
        return _HiddenWords(self.hidden).may_have_made(difference)


def compare(
    prisma: Schema,
    migrated: Migrated,
    *,
    foreign_keys: bool = True,
    namespaces: set[str] | None = None,
) -> list[Difference]:
    """Every difference between the Prisma schema's model and what the migrations build, in
    schema order. Objects a DO block may have made or changed are left out.

    foreign_keys: False under `relationMode = "prisma"` (the database has none).
    namespaces: PostgreSQL schemas Prisma manages (None: `public`).
    """
    found = _Comparison(prisma, migrated.schema, foreign_keys, namespaces or {"public"}).run()
    hidden = _HiddenWords(migrated.hidden)  # read once, asked for every difference
    return [difference for difference in found if not hidden.may_have_made(difference)]


def _mentions(text: str, name: str) -> bool:
    return re.search(r"(?<![\w$])" + re.escape(name) + r"(?![\w$])", text, re.IGNORECASE) is not None


# An ASCII name made only of word characters: in ASCII text, `_mentions` finds it exactly when
# it is (ignoring case) one of the text's maximal runs of word characters.
_ASCII_WORD = re.compile(r"[A-Za-z0-9_$]+")
_WORD_RUN = re.compile(r"[\w$]+")


class _HiddenWords:
    """The DO blocks' texts indexed by the words of each ASCII one, lower-cased: whether one
    text names all of an object's names is then a few set lookups instead of a regex search per
    name and text (R005 asks for every difference). Non-ASCII texts and names that are not
    plain words go through `_mentions`, whose Unicode case-folding a lower-cased index would
    not reproduce."""

    __slots__ = ("by_word", "texts", "unindexed")

    def __init__(self, texts: tuple[str, ...]) -> None:
        self.texts = texts
        self.by_word: dict[str, set[int]] = {}  # lower-cased word -> indexes of the ASCII texts holding it
        self.unindexed: list[int] = []  # indexes of the other texts
        for index, text in enumerate(texts):
            if text.isascii():
                for word in _WORD_RUN.findall(text):
                    self.by_word.setdefault(word.lower(), set()).add(index)
            else:
                self.unindexed.append(index)

    def may_have_made(self, difference: Difference) -> bool:
        return any(self._one_text_names_all(names) for names in difference.names if names)

    def _one_text_names_all(self, names: tuple[str, ...]) -> bool:
        rest: Iterable[int] = range(len(self.texts))
        if all(_ASCII_WORD.fullmatch(name) for name in names):
            holding = [self.by_word.get(name.lower()) for name in names]
            if all(texts is not None for texts in holding) and set.intersection(*holding):
                return True
            rest = self.unindexed
        return any(all(_mentions(self.texts[index], name) for name in names) for index in rest)


class _Comparison:
    def __init__(self, prisma: Schema, replayed: Schema, foreign_keys: bool, namespaces: set[str]) -> None:
        self.prisma = prisma
        self.replayed = replayed
        self.dialect = prisma.dialect
        self.foreign_keys = foreign_keys
        self.namespaces = namespaces
        self.found: list[Difference] = []

    def run(self) -> list[Difference]:
        if self.dialect == POSTGRESQL:
            self._enums()
        for key, table in self.prisma.tables.items():
            other = self.replayed.tables.get(key)
            if other is None:
                obj = f"table {_label(table)}"
                self.add(Kind.NOT_MIGRATED, obj, _prisma_table(table), None, table.span, names=((table.name,),))
            else:
                _TableComparison(self, table, other).run()
        for key, table in self.replayed.tables.items():
            if key not in self.prisma.tables and self._managed(table) and key not in self.prisma.views:
                self.missing_in_schema(f"table {_label(table)}", "no model maps to it", table, names=((table.name,),))
        return self.found

    def _managed(self, table: Table | Enum) -> bool:
        if table.name in _PRISMA_TABLES:
            return False
        return self.dialect != POSTGRESQL or (table.schema or "public") in self.namespaces

    def add(
        self,
        kind: Kind,
        obj: str,
        prisma: str | None,
        migrations: str | None,
        span: Span | None,
        migration: Any = None,
        *,
        names: tuple[tuple[str, ...], ...],
    ) -> None:
        self.found.append(Difference(kind, obj, prisma, migrations, span, migration, names))

    def missing_in_schema(
        self, obj: str, prisma: str, made: Any, span: Span | None = None, *, names: tuple[tuple[str, ...], ...]
    ) -> None:
        where, migration = _where(made, span)
        self.add(Kind.NOT_IN_SCHEMA, obj, prisma, _made_by(migration), where, migration, names=names)

    # --- enums (PostgreSQL types; MySQL enums are column types) ----------------------------
    def _enums(self) -> None:
        for key, wanted in self.prisma.enums.items():
            have = self.replayed.enums.get(key)
            name = f"enum {_label(wanted)}"
            prisma_name = f"enum {_quote(wanted.source.name)}"
            if have is None:
                self.add(Kind.NOT_MIGRATED, name, prisma_name, None, wanted.span, names=((wanted.name,),))
                continue
            for value in wanted.values:
                if value not in have.values:
                    obj = f"value {_quote(value)} of {name}"
                    span = _enum_value_span(wanted, value)
                    prisma = f"value {_quote(value)} of {prisma_name}"
                    self.add(Kind.NOT_MIGRATED, obj, prisma, None, span, names=((wanted.name, value),))
            for value in have.values:
                if value not in wanted.values:
                    last = have.changed if have.changed.span is not None else have.created
                    obj = f"value {_quote(value)} of {name}"
                    prisma = f"{prisma_name} has no such value"
                    self.missing_in_schema(obj, prisma, have, last.span, names=((have.name, value),))
        for key, have in self.replayed.enums.items():
            if key not in self.prisma.enums and self._managed(have):
                self.missing_in_schema(f"enum {_label(have)}", "no enum maps to it", have, names=((have.name,),))


class _TableComparison:
    """One table present on both sides: columns, primary key, indexes, foreign keys."""

    def __init__(self, outer: _Comparison, wanted: Table, have: Table) -> None:
        self.outer = outer
        self.dialect = outer.dialect
        self.wanted = wanted
        self.have = have
        self.label = _label(wanted)
        self.model = _model_name(wanted)
        self.join_table = _is_join_table(wanted)

    def run(self) -> None:
        for column in self.wanted.columns.values():
            other = self.have.column(column.name)
            if other is None:
                obj = f"column {self.label}.{_quote(column.name)}"
                prisma = _prisma_column(column, self.wanted)
                names = ((self.wanted.name, column.name),)
                self.outer.add(Kind.NOT_MIGRATED, obj, prisma, None, column.span, names=names)
            else:
                self._column(column, other)
        for column in self.have.columns.values():
            if self.wanted.column(column.name) is None:
                obj = f"column {self.label}.{_quote(column.name)}"
                names = ((self.have.name, column.name),)
                self.outer.missing_in_schema(obj, f"model {self.model} has no field for it", column, names=names)
        self._primary_key()
        self._indexes()
        if self.outer.foreign_keys:
            self._foreign_keys()

    def _differs(self, obj: str, prisma: str, migrations: str, span: Span | None, have: Any, names) -> None:
        last = have.changed if have.changed.migration is not None else have.created
        self.outer.add(Kind.DIFFERS, obj, prisma, migrations, span, last.migration, names=names)

    # --- columns --------------------------------------------------------------------------
    def _column(self, wanted: Column, have: Column) -> None:
        obj = f"column {self.label}.{_quote(wanted.name)}"
        names = ((self.have.name, have.name),)
        subject = _prisma_column(wanted, self.wanted)
        written = _field_type(wanted, self.wanted)
        if not self._same_type(wanted, have):
            self._differs(obj, f"{subject} is {written} ({wanted.type})", have.type, wanted.span, have, names)
        # An array column is a Prisma list whether or not it is NOT NULL: Prisma reads both as `T[]`.
        have_nullable = have.nullable and not self._in_primary_key(have.name)
        if wanted.nullable != have_nullable and not (wanted.is_array and have.is_array):
            prisma = f"{subject} is {written} ({'nullable' if wanted.nullable else 'required'})"
            self._differs(obj, prisma, "nullable" if have_nullable else "NOT NULL", wanted.span, have, names)
        self._default(obj, subject, wanted, have, names)

    def _same_type(self, wanted: Column, have: Column) -> bool:
        unsupported = _unsupported(wanted)
        return _type_key(wanted.type, self.dialect, unsupported) == _type_key(have.type, self.dialect, unsupported)

    def _in_primary_key(self, column: str) -> bool:
        # SQLite leaves key columns nullable unless told; Prisma reads them as required.
        key = self.have.primary_key
        return self.dialect == SQLITE and key is not None and column.lower() in (c.lower() for c in key.columns)

    def _default(self, obj: str, subject: str, wanted: Column, have: Column, names) -> None:
        function = _default_function(wanted)
        if function in _CLIENT_DEFAULTS:
            return
        wanted_auto = function == "autoincrement"
        have_auto = have.identity is not None or (have.default or "").startswith("nextval(") or self._rowid_alias(have)
        if wanted_auto or have_auto:
            if wanted_auto != have_auto:
                prisma = f"{subject} has {'@default(autoincrement())' if wanted_auto else _default_text(wanted)}"
                theirs = "an auto-increment" if have_auto else _default_text(have)
                self._differs(obj, prisma, theirs, wanted.span, have, names)
            return
        if function == "dbgenerated" and have.default is not None:
            same = _loose(wanted.default) == _loose(have.default)
        else:
            same = self._default_key(wanted) == self._default_key(have)
        if not same:
            self._differs(obj, f"{subject} has {_default_text(wanted)}", _default_text(have), wanted.span, have, names)

    def _rowid_alias(self, have: Column) -> bool:
        key = self.have.primary_key
        return (
            self.dialect == SQLITE
            and have.type.lower() == "integer"
            and key is not None
            and [c.lower() for c in key.columns] == [have.name.lower()]
        )

    def _default_key(self, column: Column) -> str | None:
        default = column.default
        if default is None:
            return None
        if self.dialect == MYSQL:
            default = mysql_default(default, _mysql_type(column.type)) or ""
        return _loose(default)

    # --- keys and indexes -----------------------------------------------------------------
    def _primary_key(self) -> None:
        wanted, have = self.wanted.primary_key, self.have.primary_key
        if self.join_table and (wanted is None) != (have is None):
            # Prisma 6 keys the join table by (A, B); Prisma 5 made a unique index instead.
            key = wanted or have
            other = self.have if wanted is not None else self.wanted
            assert key is not None
            if any(i.unique and _same_columns(i.columns, key.columns, self.dialect) for i in other.indexes.values()):
                return
        if wanted is None and have is None:
            return
        obj = f"primary key of {self.label}"
        if have is None:
            assert wanted is not None
            names = ((self.wanted.name, *wanted.columns),)
            self.outer.add(Kind.NOT_MIGRATED, obj, _prisma_key(wanted, self.wanted), None, wanted.span, names=names)
            return
        names = _key_names(have.name, self.have.name, have.columns)
        if wanted is None:
            self.outer.missing_in_schema(obj, f"model {self.model} has no @id or @@id", have, names=names)
        elif not _same_columns(wanted.columns, have.columns, self.dialect):
            prisma = f"{_prisma_key(wanted, self.wanted)} is ({', '.join(wanted.columns)})"
            self._differs(obj, prisma, f"({', '.join(have.columns)})", wanted.span, have, names)
        elif self.dialect == POSTGRESQL and wanted.name != have.name:
            prisma = f"{_prisma_key(wanted, self.wanted)} is named {_quote(wanted.name)}"
            names = _key_names(have.name, self.have.name, have.columns) + ((wanted.name or "",),)
            self._differs(obj, prisma, f"named {_quote(have.name)}", wanted.span, have, names)

    def _indexes(self) -> None:
        wanted = list(self.wanted.indexes.values())
        have = [index for index in self.have.indexes.values() if index.constraint != "primary"]
        if self.join_table:
            wanted, have = self._without_join_key(wanted), self._without_join_key(have)
        pairs: list[tuple[Index, Index]] = []
        for match in (self._same_name, self._same_shape, self._same_columns_any_kind):
            for index in list(wanted):
                other = next((o for o in have if match(index, o)), None)
                if other is not None:
                    pairs.append((index, other))
                    wanted.remove(index)
                    have.remove(other)
        for index, other in pairs:
            self._index_pair(index, other)
        for index in wanted:
            obj = _index_label(index, self.label)
            names = _key_names(index.name, self.wanted.name, index.columns)
            self.outer.add(Kind.NOT_MIGRATED, obj, _prisma_index(index, self.wanted), None, index.span, names=names)
        for index in have:
            if index.constraint == "foreign" or not _expressible(index):
                continue  # InnoDB's own key for a foreign key; or an index Prisma cannot write
            obj = _index_label(index, self.label)
            names = _key_names(index.name, self.have.name, index.columns)
            prisma = f"model {self.model} has no @@index or @@unique for it"
            self.outer.missing_in_schema(obj, prisma, index, names=names)

    def _without_join_key(self, indexes: list[Index]) -> list[Index]:
        """The (A, B) unique index of a join table is compared as its key (see _primary_key)."""
        return [i for i in indexes if not (i.unique and _same_columns(i.columns, ["A", "B"], self.dialect))]

    def _same_name(self, wanted: Index, have: Index) -> bool:
        return _same_name(wanted.name, have.name, self.dialect) and self._same_shape(wanted, have)

    def _same_shape(self, wanted: Index, have: Index) -> bool:
        return wanted.unique == have.unique and self._same_columns_any_kind(wanted, have)

    def _same_columns_any_kind(self, wanted: Index, have: Index) -> bool:
        if any(e.is_expression for e in have.elements):
            return False
        return _same_columns(wanted.columns, have.columns, self.dialect)

    def _index_pair(self, wanted: Index, have: Index) -> None:
        obj = _index_label(have, self.label)
        prisma = _prisma_index(wanted, self.wanted)
        names = _key_names(have.name, self.have.name, have.columns) + ((wanted.name or "",),)
        if wanted.unique != have.unique:
            mine, theirs = ("unique" if x.unique else "not unique" for x in (wanted, have))
            self._differs(obj, f"{prisma} is {mine}", theirs, wanted.span, have, names)
        elif self._method_differs(wanted, have):
            self._differs(obj, f"{prisma} uses {wanted.method}", f"uses {have.method}", wanted.span, have, names)
        elif have.constraint != "foreign" and not _same_name(wanted.name, have.name, self.dialect):
            prisma = f"{prisma} is named {_quote(wanted.name)}"
            self._differs(obj, prisma, f"named {_quote(have.name)}", wanted.span, have, names)

    def _method_differs(self, wanted: Index, have: Index) -> bool:
        if self.dialect == POSTGRESQL:
            return wanted.method != have.method
        return (wanted.method == "fulltext") != (have.method == "fulltext")

    def _foreign_keys(self) -> None:
        have = list(self.have.foreign_keys.values())
        for key in self.wanted.foreign_keys.values():
            other = next((o for o in have if self._same_reference(key, o)), None)
            prisma = _prisma_relation(key, self.wanted)
            if other is None:
                obj = f"foreign key {_quote(key.name)} of {self.label}"
                names = _key_names(key.name, self.wanted.name, key.columns)
                self.outer.add(Kind.NOT_MIGRATED, obj, prisma, None, key.span, names=names)
                continue
            have.remove(other)
            obj = _foreign_label(other, self.label)
            names = _key_names(other.name, self.have.name, other.columns) + ((key.name or "",),)
            for what, mine, theirs in (
                ("on delete", key.on_delete, other.on_delete),
                ("on update", key.on_update, other.on_update),
            ):
                if _action(mine) != _action(theirs):
                    prisma_action = f"{prisma} has {what} {_action(mine)}"
                    self._differs(obj, prisma_action, f"{what} {_action(theirs)}", key.span, other, names)
            if self.dialect != SQLITE and not _same_name(key.name, other.name, self.dialect):
                prisma_name = f"{prisma} is named {_quote(key.name)}"
                self._differs(obj, prisma_name, f"named {_quote(other.name)}", key.span, other, names)
        for other in have:
            obj = _foreign_label(other, self.label)
            names = _key_names(other.name, self.have.name, other.columns)
            self.outer.missing_in_schema(obj, f"model {self.model} has no relation for it", other, names=names)

    def _same_reference(self, wanted: ForeignKey, have: ForeignKey) -> bool:
        return (
            _same_columns(wanted.columns, have.columns, self.dialect)
            and _same_columns(wanted.ref_columns, have.ref_columns, self.dialect)
            and self._ref_key(self.outer.prisma, wanted.ref_table) == self._ref_key(self.outer.replayed, have.ref_table)
        )

    def _ref_key(self, schema: Schema, ref: Name) -> str:
        key = schema.table_key(ref) or schema.key(ref.name, ref.schema)
        return key.lower() if self.dialect != POSTGRESQL else key


def _key_names(name: str | None, table: str, columns: list[str]) -> tuple[tuple[str, ...], ...]:
    """A key or index is named by its own name; by its table and columns when it has none."""
    return ((name,),) if name else ((table, *columns),)


# --- equivalences ---------------------------------------------------------------------------
_CAST = re.compile(
    r"::\s*(?:\"[^\"]*\"|[\w.]+)(?:\s+(?:varying|precision|with(?:out)?\s+time\s+zone))*(?:\(\d+(?:,\s*\d+)?\))?(?:\[\])*"
)
_SQLITE_FAMILIES = (
    # How Prisma's SQLite reader names a declared type's family (first match wins).
    ("bigint", "BigInt"),
    ("int", "Int"),
    ("bool", "Boolean"),
    ("date", "DateTime"),
    ("time", "DateTime"),
    ("decimal", "Decimal"),
    ("numeric", "Decimal"),
    ("jsonb", "Json"),
    ("real", "Float"),
    ("floa", "Float"),
    ("doub", "Float"),
    ("blob", "Bytes"),
    ("char", "String"),
    ("clob", "String"),
    ("text", "String"),
)


def _type_key(spelled: str, dialect: str | None, unsupported: bool) -> str:
    text = spelled.strip().lower()
    if dialect == MYSQL:
        return _mysql_type(text)
    if dialect == SQLITE:
        base = text.split("(", 1)[0].strip()
        return next((family for word, family in _SQLITE_FAMILIES if word in base), base)
    text = text.replace('"', "")
    text = re.sub(r"^[\w$]+\.(?=[^(]*$)", "", text)  # an enum named with its schema: public."Role"
    return re.sub(r"\s+", "", text) if unsupported else text


def _mysql_type(spelled: str) -> str:
    return without_display_width(mysql_type(spelled.lower()))


def _loose(default: str | None) -> str | None:
    """A default's text with casts, parentheses, case outside quotes and spacing dropped, the
    synonyms of the current time made one, JSON literals in one form and an empty array
    written either way: enough to tell "the same value" from "another value" without
    evaluating SQL."""
    if default is None:
        return None
    parts = re.split(r"('(?:[^']|'')*')", default)
    out = []
    for number, part in enumerate(parts):
        if number % 2:
            out.append(_json_literal(part))
            continue
        part = _CAST.sub("", part.lower())
        part = re.sub(r"\bnow\(\s*\)|\bcurrent_timestamp\b(?:\(\s*\))?|\blocaltimestamp\b", "current_timestamp", part)
        out.append(re.sub(r"[\s()]+", "", part))
    text = "".join(out)
    return {"true": "1", "false": "0", "'t'": "1", "'f'": "0", "array[]": "'{}'"}.get(text, text)


def _json_literal(quoted: str) -> str:
    """`'{"a":1}'` and `'{"a": 1}'` alike: PostgreSQL keeps a jsonb default in its own form,
    Prisma writes it as the schema spells it."""
    try:
        value = json.loads(quoted[1:-1].replace("''", "'"))
    except ValueError:
        return quoted
    if not isinstance(value, (dict, list)):
        return quoted
    return "'" + json.dumps(value, sort_keys=True, separators=(",", ":")).replace("'", "''") + "'"


def _same_name(a: str | None, b: str | None, dialect: str | None) -> bool:
    if a is None or b is None:
        return True
    return a == b if dialect == POSTGRESQL else a.lower() == b.lower()


def _same_columns(a: list[str], b: list[str], dialect: str | None) -> bool:
    if dialect == POSTGRESQL:
        return list(a) == list(b)
    return [c.lower() for c in a] == [c.lower() for c in b]


def _action(action: str | None) -> str:
    return action or "no action"


def _expressible(index: Index) -> bool:
    """Whether a Prisma schema could declare this index (partial indexes, expressions and
    INCLUDE lists it cannot; operator classes and methods it can, with `ops:` and `type:`,
    but only as a preview feature or not at all in older versions, so those stay silent too)."""
    return (
        index.predicate is None
        and not index.include
        and not index.nulls_not_distinct
        and not any(e.is_expression or e.opclass for e in index.elements)
        and index.method in ("btree", "hash", "fulltext")
        and index.constraint != "exclude"
    )


# --- describing each side --------------------------------------------------------------------
def _quote(name: str | None) -> str:
    return f'"{name}"'


def _label(table: Table | Enum) -> str:
    if table.schema and table.schema != "public":
        return f"{_quote(table.schema)}.{_quote(table.name)}"
    return _quote(table.name)


def _is_join_table(table: Table) -> bool:
    return isinstance(table.source, Field)  # an implicit many-to-many table comes from its list field


def _model_name(table: Table) -> str:
    source = table.source
    if isinstance(source, Field) and source.block is not None:
        return f"{_quote(source.block.name)} (implicit many-to-many table of field {_quote(source.name)})"
    return _quote(getattr(source, "name", table.name))


def _prisma_table(table: Table) -> str:
    source = table.source
    if isinstance(source, Field) and source.block is not None:
        return f"the implicit many-to-many table of field {_quote(source.name)} of model {_quote(source.block.name)}"
    return f"model {_quote(getattr(source, 'name', table.name))}"


def _prisma_column(column: Column, table: Table) -> str:
    if _is_join_table(table) or not isinstance(column.source, Field):
        return f"column {_quote(column.name)} of {_prisma_table(table)}"
    return f"field {_quote(column.source.name)} of model {_model_name(table)}"


def _field_type(column: Column, table: Table) -> str:
    item = column.source
    if _is_join_table(table) or not isinstance(item, Field) or item.type is None:
        return column.type
    written = _text(item.type.span)
    native = next((a for a in item.attributes if a.name.startswith("db.")), None)
    return f"{written} {_text(native.span)}" if native is not None else written


def _unsupported(column: Column) -> bool:
    item = column.source
    return isinstance(item, Field) and item.type is not None and item.type.unsupported


def _default_function(column: Column) -> str | None:
    item = column.source
    attribute = item.attribute("default") if isinstance(item, Field) else None
    value = attribute.value("value", 0) if attribute is not None else None
    return value.name if isinstance(value, FunctionValue) else None


def _default_text(column: Column) -> str:
    return "no default" if column.default is None else f"DEFAULT {column.default}"


def _prisma_key(key: PrimaryKey, table: Table) -> str:
    if _is_join_table(table):
        return f"the key of {_prisma_table(table)}"
    return f"{_text(key.span)} of model {_model_name(table)}"


def _prisma_index(index: Index, table: Table) -> str:
    source = index.source
    if isinstance(source, Attribute):
        parent = source.parent
        if isinstance(parent, Field) and parent.block is not None:
            return f"{_text(index.span)} on field {_quote(parent.name)} of model {_quote(parent.block.name)}"
        return f"{_text(index.span)} of model {_model_name(table)}"
    return f"index {_quote(index.name)} of {_prisma_table(table)}"


def _index_label(index: Index, table: str) -> str:
    kind = "unique index" if index.unique else "index"
    return f"{kind} {_quote(index.name)} on {table} ({', '.join(index.columns)})"


def _foreign_label(key: ForeignKey, table: str) -> str:
    return f"foreign key {_quote(key.name)} of {table} ({', '.join(key.columns)}) -> {_quote(key.ref_table.name)}"


def _prisma_relation(key: ForeignKey, table: Table) -> str:
    source = key.source
    parent = source.parent if isinstance(source, Attribute) else None
    if isinstance(parent, Field) and parent.block is not None:
        return f"relation field {_quote(parent.name)} of model {_quote(parent.block.name)}"
    return f"foreign key {_quote(key.name)} of {_prisma_table(table)}"


def _text(span: Span | None) -> str:
    if span is None:
        return ""
    return " ".join(span.file.text[span.start : span.end].split())


def _enum_value_span(enum_: Enum, value: str) -> Span | None:
    block = enum_.source
    for item in getattr(block, "values", ()):
        mapped = item.attribute("map")
        database_name = mapped.string("name", 0) if mapped is not None else None
        if (database_name or item.name) == value:
            return item.span
    return enum_.span


def _where(made: Any, span: Span | None = None) -> tuple[Span | None, Any]:
    """Where a replayed object was made (its own definition, else the statement that last
    changed it) and by which migration."""
    span = span or made.span or made.changed.span or made.created.span
    for origin in (made.changed, made.created):
        if (
            origin.migration is not None
            and origin.span is not None
            and span is not None
            and origin.span.path == span.path
        ):
            return span, origin.migration
    return span, made.created.migration


def _made_by(migration: Any) -> str:
    return f"migration {migration.version}" if migration is not None else "the migrations"
