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
from linter.schema import Name, Schema
from linter.schema_output_json import table_facts


@dataclass(frozen=True, slots=True)
class Snapshot:
    tables: dict[str, Any]  # key -> facts (None: absent)
    enums: dict[str, Any]
    all_tables: frozenset[str]
    all_enums: frozenset[str]


def touched(actions: Iterable[Action], schema: Schema) -> tuple[set[str], set[str]]:
    """Table and enum keys the actions name, as they resolve in `schema`, and the tables that
    depend on them."""
    tables: set[str] = set()
    enums: set[str] = set()
    for action in actions:
        for name in _names(action):
            for key in _keys(schema, name):
                tables.add(key)
                enums.add(key)
        if isinstance(action, DropIndex):
            for index in action.indexes:
                found = schema.find_index(index)
                if found is not None:
                    tables.add(schema.key(found[0].name, found[0].schema))
    touched_enum_names = {schema.enums[key].name for key in enums if key in schema.enums}
    for key, table in schema.tables.items():
        if any(schema.table_key(fk.ref_table) in tables for fk in table.foreign_keys.values()):
            tables.add(key)
        elif touched_enum_names and any(column.base_type in touched_enum_names for column in table.columns.values()):
            tables.add(key)
    return tables, enums


def _names(value: Any) -> Iterable[Name]:
    if isinstance(value, Name):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _names(item)
    elif is_dataclass(value) and not isinstance(value, type):
        for field in fields(value):
            if field.name not in ("span", "created", "changed", "source"):
                yield from _names(getattr(value, field.name))


def _keys(schema: Schema, name: Name) -> set[str]:
    keys = {schema.key(name.name, schema.creation_schema(name))}
    existing = schema.table_key(name)
    if existing:
        keys.add(existing)
    enum = schema.enum(name)
    if enum is not None:
        keys.add(schema.key(enum.name, enum.schema))
    return keys


def snapshot(schema: Schema, tables: set[str], enums: set[str]) -> Snapshot:
    dialect = schema.dialect
    return Snapshot(
        tables={key: table_facts(schema.tables[key], dialect) if key in schema.tables else None for key in tables},
        enums={key: list(schema.enums[key].values) if key in schema.enums else None for key in enums},
        all_tables=frozenset(schema.tables),
        all_enums=frozenset(schema.enums),
    )


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
    for column in old_columns.keys() & new_columns.keys():
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
