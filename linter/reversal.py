"""Does a down migration revert its up? The facts of every object the pair touches, before
the up and after up then down, compared (R002).

Only touched objects are compared, so checking a 400-migration set stays cheap: the tables
and enums the up and the down name, and the tables whose foreign keys or column types
depend on them (a DROP TABLE … CASCADE or a type rename reaches those). Facts are those of
`dbvet schema --format json`: types as the server spells them, generated names as the
server chooses them, so a down that restores with other but equivalent spelling differs in
nothing. Column order is not a fact, and neither is a column default: a down that adds back a
NOT NULL column the up dropped needs one to run at all.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from typing import Any, Iterable

from linter.actions import Action, DropIndex
from linter.schema import CopyOnAccess, Name, Schema, Table, peek_items
from linter.schema_output_json import table_facts


@dataclass(frozen=True, slots=True)
class Snapshot:
    tables: dict[str, Any]  # key -> facts (None: absent)
    enums: dict[str, Any]
    all_tables: frozenset[str]
    all_enums: frozenset[str]


@dataclass(frozen=True, slots=True)
class Mentions:
    """What a pair of migrations names, read once: the schema resolves it twice (before the up
    and after it, when the names the up created resolve)."""

    names: list[Name]
    dropped_indexes: list[Name]

    @classmethod
    def of(cls, actions: Iterable[Action]) -> "Mentions":
        names: list[Name] = []
        dropped: list[Name] = []
        for action in actions:
            names += _names(action)
            if isinstance(action, DropIndex):
                dropped += action.indexes
        return cls(list(dict.fromkeys(names)), dropped)  # each name once, in order


def touched(mentions: Mentions, schema: Schema) -> tuple[set[str], set[str]]:
    """Table and enum keys the pair names, as they resolve in `schema`, and the tables that
    depend on them."""
    tables: set[str] = set()
    enums: set[str] = set()
    for name in mentions.names:
        for key in _keys(schema, name):
            tables.add(key)
            enums.add(key)
    for index in mentions.dropped_indexes:
        found = schema.find_index(index)
        if found is not None:
            tables.add(schema.key(found[0].name, found[0].schema))
    touched_enum_names = {schema.enums[key].name for key in enums if key in schema.enums}
    target_keys: dict[Name, str | None] = {}  # many foreign keys share a target: resolve each once

    def refers_to_touched(ref: Name) -> bool:
        if ref not in target_keys:
            target_keys[ref] = schema.table_key(ref)
        return target_keys[ref] in tables  # `tables` grows in this loop, as it always did

    for key, table in schema.tables.items():
        if any(refers_to_touched(fk.ref_table) for fk in table.foreign_keys.values()):
            tables.add(key)
        elif touched_enum_names and any(column.base_type in touched_enum_names for column in table.columns.values()):
            tables.add(key)
    return tables, enums


def _names(value: Any) -> list[Name]:
    """Every `Name` inside an action (in any order), skipping where-it-came-from fields."""
    found: list[Name] = []
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, Name):
            found.append(item)
        elif isinstance(item, (list, tuple)):
            pending.extend(item)
        else:
            names = _FIELDS.get(type(item))
            if names is None:
                names = _FIELDS[type(item)] = _field_names(type(item))
            pending.extend(getattr(item, name) for name in names)
    return found


# A type's dataclass fields worth searching for names (none for other types), computed once per type.
_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(cls: type) -> tuple[str, ...]:
    if not is_dataclass(cls):
        return ()
    return tuple(field.name for field in fields(cls) if field.name not in ("span", "created", "changed", "source"))


def _keys(schema: Schema, name: Name) -> set[str]:
    keys = {schema.key(name.name, schema.creation_schema(name))}
    existing = schema.table_key(name)
    if existing:
        keys.add(existing)
    enum = schema.enum(name)
    if enum is not None:
        keys.add(schema.key(enum.name, enum.schema))
    return keys


# Facts already taken of tables, each with the object it describes: `{key: (table, facts)}`.
KnownFacts = dict[str, tuple[Table, Any]]


def snapshot(schema: Schema, tables: set[str], enums: set[str], known: KnownFacts | None = None) -> Snapshot:
    """The facts of the given tables and enums. `known` holds facts taken of these very table
    objects with nothing replayed since; they are reused instead of taken again."""
    dialect = schema.dialect
    # Read without copying: on the reverted copy, a table the down never touched is still shared.
    current_tables, current_enums = dict(peek_items(schema.tables)), dict(peek_items(schema.enums))
    known = known or {}

    def facts(key: str) -> Any:
        table = current_tables.get(key)
        if table is None:
            return None
        seen = known.get(key)
        return seen[1] if seen is not None and seen[0] is table else table_facts(table, dialect)

    return Snapshot(
        tables={key: facts(key) for key in tables},
        enums={key: list(current_enums[key].values) if key in current_enums else None for key in enums},
        all_tables=frozenset(schema.tables),
        all_enums=frozenset(schema.enums),
    )


def untouched_facts(reverted: Schema, after: Snapshot) -> KnownFacts:
    """The facts in `after` of tables the down left alone: those are still the original
    schema's objects, in the state the next migration starts from, so the next migration's
    snapshot before its up may reuse them (if nothing is replayed in between)."""
    tables = reverted.tables
    if not isinstance(tables, CopyOnAccess):
        return {}
    shared = dict(peek_items(tables))
    return {key: (shared[key], facts) for key, facts in after.tables.items() if facts is not None and tables.is_shared(key)}


def differences(before: Snapshot, after: Snapshot) -> list[str]:
    """What the down leaves different from before the up, in words, most important first."""
    return [text.replace('"public.', '"') for text in _differences(before, after)]


def _differences(before: Snapshot, after: Snapshot) -> list[str]:
    found = [f'table "{key}" is not restored' for key in sorted(before.all_tables - after.all_tables)]
    found += [f'table "{key}" is left behind' for key in sorted(after.all_tables - before.all_tables)]
    for key in sorted(set(before.tables) & set(after.tables)):
        old, new = before.tables[key], after.tables[key]
        if old is not None and new is not None and old != new:
            found += _table_differences(key, old, new)
    found += [f'enum "{key}" is not restored' for key in sorted(before.all_enums - after.all_enums)]
    found += [f'enum "{key}" is left behind' for key in sorted(after.all_enums - before.all_enums)]
    for key in sorted(set(before.enums) & set(after.enums)):
        old, new = before.enums[key], after.enums[key]
        if old is not None and new is not None and old != new:
            found.append(f'enum "{key}" has values {_list(new)}, had {_list(old)}')
    return found


def _table_differences(table: str, old: dict, new: dict) -> list[str]:
    found = []
    old_columns, new_columns = old["columns"], new["columns"]
    found += [f'column "{table}.{c}" is not restored' for c in old_columns if c not in new_columns]
    found += [f'column "{table}.{c}" is left behind' for c in new_columns if c not in old_columns]
    for column in [c for c in old_columns if c in new_columns]:  # a set's order would vary from run to run
        was, now = old_columns[column], new_columns[column]
        if was.get("type") != now.get("type"):
            found.append(f'column "{table}.{column}" has type {now.get("type")}, had {was.get("type")}')
        if was.get("nullable") != now.get("nullable"):
            state = {True: "nullable", False: "NOT NULL"}
            found.append(f'column "{table}.{column}" is {state[now.get("nullable")]}, was {state[was.get("nullable")]}')
    if old.get("primary_key") != new.get("primary_key"):
        found.append(f'primary key of "{table}" is {_list(new.get("primary_key"))}, was {_list(old.get("primary_key"))}')
    for kind, label in (("indexes", "index"), ("foreign_keys", "foreign key"), ("checks", "check")):
        was = {item["name"]: item for item in old.get(kind, [])}
        now = {item["name"]: item for item in new.get(kind, [])}
        found += [f'{label} "{name}" on "{table}" is not restored' for name in sorted(was.keys() - now.keys())]
        found += [f'{label} "{name}" on "{table}" is left behind' for name in sorted(now.keys() - was.keys())]
        found += [f'{label} "{name}" on "{table}" is not restored as it was' for name in sorted(was.keys() & now.keys()) if was[name] != now[name]]
    return found


def _list(values) -> str:
    return "none" if values is None else "(" + ", ".join(str(v) for v in values) + ")"
