"""Does a down migration revert its up? The facts of every object the pair touches, before
the up and after up then down, compared (R002).

Only touched objects are compared, so checking a 400-migration set stays cheap: the tables
and enums the up and the down name, and the tables whose foreign keys or column types
depend on them (a DROP TABLE … CASCADE or a type rename reaches those); of those tables,
only the ones the pair's replay may change (`Reach`): the others keep their facts. Facts are
those of `dbvet schema --format json`: types as the server spells them, generated names as
the server chooses them, so a down that restores with other but equivalent spelling differs
in nothing. Column order is not a fact, and neither is a column default: a down that adds
back a NOT NULL column the up dropped needs one to run at all.
"""

from __future__ import annotations

from types import UnionType
from typing import Any, Iterable, Mapping, Union, get_args, get_origin, get_type_hints

from linter import actions
from linter.actions import Action, DropColumn, DropIndex
from linter.records import Record, field, fields, is_record
from linter.replay_tables import TEMP_SCHEMA
from linter.schema import CopyOnAccess, Name, Schema, Table, peek, peek_items
from linter.schema_output_json import table_facts


class Snapshot(Record, frozen=True):
    tables: dict[str, Any]  # key -> facts (None: absent)
    enums: dict[str, Any]
    all_tables: frozenset[str]
    all_enums: frozenset[str]
    # Every domain's facts (a set has few, so all are compared): key -> (base type, default,
    # NOT NULL, CHECK names).
    domains: dict[str, tuple] = field(default_factory=dict)


class Reach(Record, frozen=True):
    """Which existing tables a pair's replay may change. Only those can differ after the down,
    so only those are compared: a table the pair merely names (in an INSERT, say) or that
    depends on a touched one (a foreign key to it, a column of its enum) but that no action
    reaches keeps its facts.

    An action changes the tables its names resolve to (`names`); the replay reaches further in
    few ways: a dropped or renamed table, column or key takes the foreign keys that point at it
    along (`referrers_of`, `referred_columns`), an index dropped by its name alone changes the
    table that holds it (`index_names`), and types, schemas, sequences and the search path
    reach any table (`everywhere`)."""

    everywhere: bool = False
    names: frozenset[Name] = frozenset()
    referrers_of: frozenset[str] = frozenset()  # table names, lower-case
    referred_columns: frozenset[tuple[str, str]] = frozenset()  # (table, column), lower-case
    index_names: frozenset[str] = frozenset()

    @classmethod
    def of(cls, pair: Iterable[tuple[Action, list[Name]]]) -> "Reach":
        """From each action with the names in it."""
        names: set[Name] = set()
        referrers: set[str] = set()
        columns: set[tuple[str, str]] = set()
        indexes: set[str] = set()
        for action, action_names in pair:
            kind = type(action)
            if kind in _NO_TABLE_CHANGE or _changes_no_table(action):
                continue
            if kind in _REFERRERS:
                referrers.update(name.name.lower() for name in _tables_of(action))
            elif kind is DropColumn:
                columns.add((action.table.name.lower(), action.column.lower()))
            elif kind is DropIndex:
                indexes.update(index.name for index in action.indexes)
            elif kind not in _OWN_TABLE and not _own_table_only(action):
                return cls(everywhere=True)
            names.update(action_names)
        return cls(False, frozenset(names), frozenset(referrers), frozenset(columns), frozenset(indexes))


# Actions whose replay changes no table (views, schemas, enums, data, sessions; the first
# action of a migration may end a SET LOCAL search path, which `touched` is told of).
_NO_TABLE_CHANGE = frozenset(
    {
        actions.CreateEnum,
        actions.AddEnumValue,
        actions.CreateDomain,
        actions.AlterDomain,
        actions.CreateSchema,
        actions.CreateView,
        actions.DropView,
        actions.Transaction,  # ends a SET LOCAL search path only one of the pair's own made
        actions.TableOption,
        actions.DataChange,
        actions.Truncate,
        actions.Maintenance,
        actions.LockTable,
        actions.Opaque,
    }
)
# Actions whose replay changes at most the tables their names resolve to.
_OWN_TABLE = frozenset(
    {
        actions.AddColumn,
        actions.SetNotNull,
        actions.DropNotNull,
        actions.SetDefault,
        actions.SetIdentity,
        actions.AddConstraint,  # reads the table a foreign key points at, changes only its own
        actions.ValidateConstraint,
        actions.CreateIndex,
        actions.Comment,
    }
)
# Actions whose replay may also change the foreign keys that point at the tables they name.
# Some (a type change, a constraint rename) do not today; counted here all the same, to be safe.
_REFERRERS = frozenset(
    {
        actions.DropTable,
        actions.RenameTable,
        actions.SetTableSchema,
        actions.RenameColumn,
        actions.AlterColumnType,
        actions.DropConstraint,
        actions.RenameConstraint,
    }
)


def _tables_of(action: Action) -> tuple[Name, ...]:
    return action.tables if isinstance(action, actions.DropTable) else (action.table,)


def _changes_no_table(action: Action) -> bool:
    """Another setting than the search path; a type dropped without CASCADE (it takes no column)."""
    if isinstance(action, actions.SetVariable):
        return action.name != "search_path"
    if isinstance(action, (actions.DropType, actions.DropDomain)):
        return not action.cascade
    return False


def _own_table_only(action: Action) -> bool:
    """A permanent table (a temporary one may replace another of `pg_temp`); an index renamed on
    a named table (else it is found by its name)."""
    if isinstance(action, actions.CreateTable):
        return not action.temporary
    if isinstance(action, actions.RenameIndex):
        return action.table is not None
    return False


class Mentions(Record, frozen=True):
    """What a pair of migrations names, read once, and how far its replay reaches."""

    names: list[Name]
    dropped_indexes: list[Name]
    reach: Reach

    @classmethod
    def of(cls, pair: Iterable[Action]) -> "Mentions":
        named = [(action, _names(action)) for action in pair]
        names = [name for _, action_names in named for name in action_names]
        dropped = [index for action, _ in named if isinstance(action, DropIndex) for index in action.indexes]
        return cls(list(dict.fromkeys(names)), dropped, Reach.of(named))  # each name once, in order


def touched(
    mentions: Mentions,
    schema: Schema,
    path_may_change: bool = False,
    referrers: Mapping[str, set[str]] | None = None,
) -> tuple[set[str], set[str]]:
    """Table and enum keys to compare, as they resolve in `schema`: the enums the pair names;
    the tables it names and those that depend on them (a foreign key to one, a column of a
    named enum), less the ones its replay cannot reach (see `Reach`). When `path_may_change`,
    a name may resolve elsewhere when the pair replays: every such table is compared.
    `referrers` is the replay's index of foreign keys by lower-case target name
    (`KeyReplay.referrer_index`); without it, every table's foreign keys are read."""
    tables, enums = _named(mentions, schema)
    if mentions.reach.everywhere or path_may_change:
        return _with_dependents(schema, tables, enums), enums
    reachable = _reachable(mentions.reach, schema, referrers)
    if reachable <= tables:
        return tables & reachable, enums
    return _with_dependents(schema, tables, enums) & reachable, enums


def _named(mentions: Mentions, schema: Schema) -> tuple[set[str], set[str]]:
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
    return tables, enums


def _with_dependents(schema: Schema, named: set[str], enums: set[str]) -> set[str]:
    """`named` and the tables whose foreign keys point at one of them or at a table added
    before, in the schema's order, or that have a column of one of the `enums`."""
    tables = set(named)
    touched_enum_names = {schema.enums[key].name for key in enums if key in schema.enums}
    target_keys: dict[Name, str | None] = {}  # many foreign keys share a target: resolve each once

    def refers_to_touched(ref: Name) -> bool:
        if ref not in target_keys:
            target_keys[ref] = schema.table_key(ref)
        return target_keys[ref] in tables  # `tables` grows in this loop, as it always did

    for key, table in peek_items(schema.tables):
        if any(refers_to_touched(fk.ref_table) for fk in table.foreign_keys.values()):
            tables.add(key)
        elif touched_enum_names and any(column.base_type in touched_enum_names for column in table.columns.values()):
            tables.add(key)
    return tables


def _reachable(reach: Reach, schema: Schema, referrers_by_name: Mapping[str, set[str]] | None = None) -> set[str]:
    """Keys of the existing tables the pair's replay may change (see `Reach`): every table a
    name of a changing action may resolve to on the search path (when the first is dropped, a
    name resolves to the next), those whose foreign keys it may change, those holding an index
    it drops by name. With `referrers_by_name` (see `touched`), only the tables it and the
    schema's record of index names point at are read, not every table."""
    found = {key for name in reach.names for key in schema.candidate_keys(name) if key in schema.tables}
    referrers, columns, index_names = reach.referrers_of, reach.referred_columns, reach.index_names
    referred = referrers | {table for table, _ in columns}
    if not (referred or index_names):
        return found
    if referrers_by_name is None:
        candidates = peek_items(schema.tables)
    else:
        keys = {key for name in referred for key in referrers_by_name.get(name, ())}
        keys.update(key for name in index_names for key in schema.index_holders(name))
        candidates = [(key, table) for key in keys if (table := peek(schema.tables, key)) is not None]
    for key, table in candidates:  # read only
        if index_names and not index_names.isdisjoint(table.indexes):
            found.add(key)
            continue
        for fk in table.foreign_keys.values():
            target = fk.ref_table.name.lower()
            if target in referred and (
                target in referrers or any((target, column.lower()) in columns for column in fk.ref_columns)
            ):
                found.add(key)
                break
    return found


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


# A type's record fields worth searching for names (none for other types), computed once per type.
_FIELDS: dict[type, tuple[str, ...]] = {}
# Where an object came from, never what it names.
_PROVENANCE = ("span", "created", "changed", "source")


def _field_names(cls: type) -> tuple[str, ...]:
    """The fields of a record whose declared type may hold a `Name` (a column definition's
    many fields hold none: skipping them is most of the walk's saving)."""
    if not is_record(cls):
        return ()
    hints = _hints(cls)
    return tuple(name for name in hints if name not in _PROVENANCE and _may_hold_name(hints[name], set()))


def _hints(cls: type) -> dict[str, Any]:
    """Each field's declared type; `Any` (search it) for any that does not resolve."""
    try:
        hints = get_type_hints(cls)
    except (NameError, TypeError, SyntaxError):
        hints = {}
    return {field.name: hints.get(field.name, Any) for field in fields(cls)}


def _may_hold_name(hint: Any, seen: set[type]) -> bool:
    """Whether a value of the declared type may be or contain a `Name`; yes when unsure."""
    if hint is Name or hint is Any:
        return True
    if hint in (str, bool, int, float, type(None)):
        return False
    arguments = get_args(hint)
    if arguments and get_origin(hint) in (tuple, list, set, frozenset, Union, UnionType):
        return any(_may_hold_name(argument, seen) for argument in arguments if argument is not Ellipsis)
    if isinstance(hint, type) and is_record(hint):
        if hint in seen:
            return False  # being searched already, further up
        seen.add(hint)
        hints = _hints(hint)
        return any(_may_hold_name(hints[name], seen) for name in hints if name not in _PROVENANCE)
    return True


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
    current_tables, current_enums = schema.tables, schema.enums
    known = known or {}

    def facts(key: str) -> Any:
        table = peek(current_tables, key)
        if table is None:
            return None
        seen = known.get(key)
        return seen[1] if seen is not None and seen[0] is table else table_facts(table, dialect)

    def values(key: str) -> list[str] | None:
        enum = peek(current_enums, key)
        return None if enum is None else list(enum.values)

    return Snapshot(
        tables={key: facts(key) for key in tables},
        enums={key: values(key) for key in enums},
        all_tables=frozenset(schema.tables),
        all_enums=frozenset(schema.enums),
        domains={
            key: (domain.base_type, domain.default, domain.not_null, tuple(sorted(domain.checks)))
            for key, domain in schema.domains.items()
        },
    )


def untouched_facts(reverted: Schema, after: Snapshot) -> KnownFacts:
    """The facts in `after` of tables the down left alone: those are still the original
    schema's objects, in the state the next migration starts from, so the next migration's
    snapshot before its up may reuse them (if nothing is replayed in between)."""
    tables = reverted.tables
    if not isinstance(tables, CopyOnAccess):
        return {}
    kept = [(key, facts) for key, facts in after.tables.items() if facts is not None and tables.is_shared(key)]
    return {key: (peek(tables, key), facts) for key, facts in kept}


def differences(before: Snapshot, after: Snapshot) -> list[str]:
    """What the down leaves different from before the up, in words, most important first."""
    return [text.replace('"public.', '"') for text in _differences(before, after)]


def _differences(before: Snapshot, after: Snapshot) -> list[str]:
    found = [f'table "{key}" is not restored' for key in _permanent(before.all_tables - after.all_tables)]
    found += [f'table "{key}" is left behind' for key in _permanent(after.all_tables - before.all_tables)]
    for key in _permanent(set(before.tables) & set(after.tables)):
        old, new = before.tables[key], after.tables[key]
        if old is not None and new is not None and old != new:
            found += _table_differences(key, old, new)
    found += [f'enum "{key}" is not restored' for key in sorted(before.all_enums - after.all_enums)]
    found += [f'enum "{key}" is left behind' for key in sorted(after.all_enums - before.all_enums)]
    for key in sorted(set(before.enums) & set(after.enums)):
        old, new = before.enums[key], after.enums[key]
        if old is not None and new is not None and old != new:
            found.append(f'enum "{key}" has values {_list(new)}, had {_list(old)}')
    found += [f'domain "{key}" is not restored' for key in sorted(before.domains.keys() - after.domains.keys())]
    found += [f'domain "{key}" is left behind' for key in sorted(after.domains.keys() - before.domains.keys())]
    changed = [key for key in sorted(before.domains.keys() & after.domains.keys()) if before.domains[key] != after.domains[key]]
    found += [f'domain "{key}" is not restored as it was' for key in changed]
    return found


def _permanent(keys: Iterable[str]) -> list[str]:
    """The keys of tables that outlive the session, in order: a temporary table (PostgreSQL's
    `pg_temp`) ends with its transaction or session, so no down has it to restore or remove."""
    return sorted(key for key in keys if not key.startswith(f"{TEMP_SCHEMA}."))


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
