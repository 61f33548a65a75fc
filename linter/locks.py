"""PostgreSQL's table-level lock modes, what each one blocks, and which lock every statement and
ALTER TABLE sub-command takes.

The modes and what they block come from the documentation's table "Conflicting Lock Modes"
(explicit-locking.html); which statement takes which mode from the pages of ALTER TABLE,
CREATE INDEX, DROP INDEX, REINDEX, VACUUM, CLUSTER, TRUNCATE, COMMENT and the DML commands.
Every S finding says its lock in one line built here, so the wording is the same everywhere.
"""

from __future__ import annotations

import enum

from linter import actions as a
from linter.records import Record
from linter.schema import ForeignKey, Name, Schema, Table, peek, peek_items


class Lock(enum.Enum):
    # value: (mode name, what it blocks for other sessions, in plain words)
    ACCESS_SHARE = ("ACCESS SHARE", "blocks only ACCESS EXCLUSIVE (DDL that rewrites or drops)")
    ROW_SHARE = ("ROW SHARE", "blocks EXCLUSIVE and ACCESS EXCLUSIVE locks")
    ROW_EXCLUSIVE = ("ROW EXCLUSIVE", "blocks SHARE and stronger locks: index builds and most DDL")
    SHARE_UPDATE_EXCLUSIVE = (
        "SHARE UPDATE EXCLUSIVE",
        "blocks schema changes, VACUUM and other SHARE UPDATE EXCLUSIVE holders; reads and writes continue",
    )
    SHARE = ("SHARE", "blocks inserts, updates and deletes; reads continue")
    SHARE_ROW_EXCLUSIVE = ("SHARE ROW EXCLUSIVE", "blocks inserts, updates and deletes; reads continue")
    EXCLUSIVE = ("EXCLUSIVE", "blocks writes and SELECT … FOR UPDATE/SHARE; plain reads continue")
    ACCESS_EXCLUSIVE = ("ACCESS EXCLUSIVE", "blocks reads and writes")

    @property
    def mode(self) -> str:
        return self.value[0]

    @property
    def blocks(self) -> str:
        return self.value[1]

    def on(self, table: str, until: str = "until commit") -> str:
        """One line for a finding: `SHARE on "orders": blocks inserts, updates and deletes; reads continue, until commit`."""
        return f'{self.mode} on "{table}": {self.blocks}, {until}'

    def conflicts_with(self, other: Lock) -> bool:
        """Whether two sessions cannot hold these two modes on one table at once."""
        return other.mode in _CONFLICTS[self.mode]

    def covers(self, wanted: Lock) -> bool:
        """Whether a session holding this mode gets `wanted` on the same table without waiting:
        every mode that conflicts with `wanted` conflicts with this one, so no other session
        can hold one."""
        return _CONFLICTS[wanted.mode] <= _CONFLICTS[self.mode]


# The documentation's table "Conflicting Lock Modes": each mode and the modes it conflicts with.
_CONFLICTS: dict[str, frozenset[str]] = {
    "ACCESS SHARE": frozenset({"ACCESS EXCLUSIVE"}),
    "ROW SHARE": frozenset({"EXCLUSIVE", "ACCESS EXCLUSIVE"}),
    "ROW EXCLUSIVE": frozenset({"SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE"}),
    "SHARE UPDATE EXCLUSIVE": frozenset(
        {"SHARE UPDATE EXCLUSIVE", "SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE"}
    ),
    "SHARE": frozenset(
        {"ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE"}
    ),
    "SHARE ROW EXCLUSIVE": frozenset(
        {"ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE", "SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE"}
    ),
    "EXCLUSIVE": frozenset(
        {
            "ROW SHARE",
            "ROW EXCLUSIVE",
            "SHARE UPDATE EXCLUSIVE",
            "SHARE",
            "SHARE ROW EXCLUSIVE",
            "EXCLUSIVE",
            "ACCESS EXCLUSIVE",
        }
    ),
    "ACCESS EXCLUSIVE": frozenset(
        {
            "ACCESS SHARE",
            "ROW SHARE",
            "ROW EXCLUSIVE",
            "SHARE UPDATE EXCLUSIVE",
            "SHARE",
            "SHARE ROW EXCLUSIVE",
            "EXCLUSIVE",
            "ACCESS EXCLUSIVE",
        }
    ),
}


class TableLock(Record, frozen=True):
    """A lock an action takes on one table (as the statement names it)."""

    table: Name
    lock: Lock


# ALTER TABLE sub-commands kept as `TableOption` (storage, triggers, partitions, …), by the
# option name the front-ends give them. Options not listed take ACCESS EXCLUSIVE, the ALTER
# TABLE page's default ("an ACCESS EXCLUSIVE lock is acquired unless explicitly noted").
_OPTION_LOCKS: dict[str, Lock] = {
    "alter column set statistics": Lock.SHARE_UPDATE_EXCLUSIVE,
    "alter column set options": Lock.SHARE_UPDATE_EXCLUSIVE,
    "alter column reset options": Lock.SHARE_UPDATE_EXCLUSIVE,
    "set storage parameters": Lock.SHARE_UPDATE_EXCLUSIVE,  # fillfactor, autovacuum_*, … (most of them)
    "reset storage parameters": Lock.SHARE_UPDATE_EXCLUSIVE,
    "cluster on": Lock.SHARE_UPDATE_EXCLUSIVE,
    "set without cluster": Lock.SHARE_UPDATE_EXCLUSIVE,
    "attach partition": Lock.SHARE_UPDATE_EXCLUSIVE,
    "detach partition finalize": Lock.SHARE_UPDATE_EXCLUSIVE,
    "enable trigger": Lock.SHARE_ROW_EXCLUSIVE,
    "enable always trigger": Lock.SHARE_ROW_EXCLUSIVE,
    "enable replica trigger": Lock.SHARE_ROW_EXCLUSIVE,
    "disable trigger": Lock.SHARE_ROW_EXCLUSIVE,
    "enable trigger all": Lock.SHARE_ROW_EXCLUSIVE,
    "disable trigger all": Lock.SHARE_ROW_EXCLUSIVE,
    "enable trigger user": Lock.SHARE_ROW_EXCLUSIVE,
    "disable trigger user": Lock.SHARE_ROW_EXCLUSIVE,
}

# Actions whose lock does not depend on their fields. None: the action takes no lock on a
# table (it creates something new, or works on a type, schema, sequence or the session).
_FIXED: dict[type, Lock | None] = {
    a.CreateTable: None,  # a new table; a foreign key in it locks the referenced table (below)
    a.DropTable: Lock.ACCESS_EXCLUSIVE,
    a.RenameTable: Lock.ACCESS_EXCLUSIVE,
    a.SetTableSchema: Lock.ACCESS_EXCLUSIVE,
    a.AddColumn: Lock.ACCESS_EXCLUSIVE,
    a.DropColumn: Lock.ACCESS_EXCLUSIVE,
    a.RenameColumn: Lock.ACCESS_EXCLUSIVE,
    a.AlterColumnType: Lock.ACCESS_EXCLUSIVE,
    a.SetNotNull: Lock.ACCESS_EXCLUSIVE,
    a.DropNotNull: Lock.ACCESS_EXCLUSIVE,
    a.SetDefault: Lock.ACCESS_EXCLUSIVE,
    a.SetIdentity: Lock.ACCESS_EXCLUSIVE,
    a.DropConstraint: Lock.ACCESS_EXCLUSIVE,
    a.ValidateConstraint: Lock.SHARE_UPDATE_EXCLUSIVE,
    a.RenameConstraint: Lock.ACCESS_EXCLUSIVE,
    a.RenameIndex: Lock.SHARE_UPDATE_EXCLUSIVE,  # ALTER INDEX … RENAME, PostgreSQL 12 and later
    a.RenameSequence: None,
    a.CreateEnum: None,
    a.CreateDomain: None,
    # A domain's new constraint is checked against the columns of it, each table's rows read
    # under a SHARE lock: not modelled, as no table is named.
    a.AlterDomain: None,
    a.AddEnumValue: None,
    a.RenameEnumValue: None,
    a.RenameType: None,
    a.SetTypeSchema: None,
    a.DropType: None,
    a.DropDomain: None,
    a.CreateSchema: None,
    a.DropSchema: None,
    a.CreateView: None,
    a.DropView: Lock.ACCESS_EXCLUSIVE,  # on the view
    a.Comment: Lock.SHARE_UPDATE_EXCLUSIVE,
    a.SetVariable: None,
    a.Transaction: None,
    a.DataChange: Lock.ROW_EXCLUSIVE,  # INSERT, UPDATE, DELETE, MERGE, COPY FROM
    a.Truncate: Lock.ACCESS_EXCLUSIVE,
}

# Statements dbvet does not model (`Opaque`) but whose table lock PostgreSQL documents, by the
# parser's node name; on the tables the front end found in them.
_OPAQUE = {
    "CreateTrigStmt": Lock.SHARE_ROW_EXCLUSIVE,  # CREATE TRIGGER
    "CreatePolicyStmt": Lock.ACCESS_EXCLUSIVE,  # CREATE POLICY
    "RuleStmt": Lock.ACCESS_EXCLUSIVE,  # CREATE RULE
    "CreateStatsStmt": Lock.SHARE_UPDATE_EXCLUSIVE,  # CREATE STATISTICS
}

_BY_MODE = {lock.mode: lock for lock in Lock}

_MAINTENANCE = {
    "vacuum full": Lock.ACCESS_EXCLUSIVE,
    "cluster": Lock.ACCESS_EXCLUSIVE,
    # REINDEX takes SHARE on the table and ACCESS EXCLUSIVE on each index: reads that would use
    # the index wait too, so for the table's traffic it is as good as ACCESS EXCLUSIVE.
    "reindex": Lock.ACCESS_EXCLUSIVE,
    "vacuum": Lock.SHARE_UPDATE_EXCLUSIVE,
    "analyze": Lock.SHARE_UPDATE_EXCLUSIVE,
}


def lock_for(action: a.Action) -> Lock | None:
    """The lock `action` takes on the table it works on (an index's table for index actions),
    or None when it takes no table lock."""
    kind = type(action)
    if kind in _FIXED:  # the common case, one lookup (no key of _FIXED is one of the types below)
        return _FIXED[kind]
    if isinstance(action, a.AddConstraint):
        # Only a foreign key gets away with SHARE ROW EXCLUSIVE; USING INDEX, CHECK, UNIQUE and
        # PRIMARY KEY take ACCESS EXCLUSIVE.
        return Lock.SHARE_ROW_EXCLUSIVE if isinstance(action.constraint, ForeignKey) else Lock.ACCESS_EXCLUSIVE
    if isinstance(action, a.CreateIndex):
        return Lock.SHARE_UPDATE_EXCLUSIVE if action.concurrently else Lock.SHARE
    if isinstance(action, a.DropIndex):
        return Lock.SHARE_UPDATE_EXCLUSIVE if action.concurrently else Lock.ACCESS_EXCLUSIVE
    if isinstance(action, a.Opaque):
        return _OPAQUE.get(action.what) if action.tables else None
    if isinstance(action, a.LockTable):
        return _BY_MODE.get(action.mode, Lock.ACCESS_EXCLUSIVE)
    if isinstance(action, a.TableOption):
        return _OPTION_LOCKS.get(action.option, Lock.ACCESS_EXCLUSIVE)
    if isinstance(action, a.Maintenance):
        if action.concurrently:
            return Lock.SHARE_UPDATE_EXCLUSIVE  # REINDEX CONCURRENTLY
        return _MAINTENANCE.get(action.op, Lock.ACCESS_EXCLUSIVE)
    for base in kind.__mro__:
        if base in _FIXED:
            return _FIXED[base]
    return None


def referenced_locks(action: a.Action) -> tuple[TableLock, ...]:
    """The locks a foreign key added by `action` takes on the tables it references: SHARE ROW
    EXCLUSIVE (it installs triggers there), held like the lock on the table itself."""
    if isinstance(action, a.AddConstraint):
        constraints: tuple = (action.constraint,)
    elif isinstance(action, (a.AddColumn, a.CreateTable)):
        constraints = action.constraints
    else:
        return ()
    return tuple(TableLock(c.ref_table, Lock.SHARE_ROW_EXCLUSIVE) for c in constraints if isinstance(c, ForeignKey))


def table_locks(action: a.Action) -> tuple[TableLock, ...]:
    """Every table lock `action` takes, its own table's first. Index actions that name only the
    index (PostgreSQL's DROP INDEX) leave the table to the caller, who holds the schema."""
    lock = lock_for(action)
    own: tuple[TableLock, ...] = ()
    if lock is not None:
        own = tuple(TableLock(table, lock) for table in own_tables(action))
    return own + referenced_locks(action)


def own_tables(action: a.Action) -> tuple[Name, ...]:
    """The tables `action` takes `lock_for(action)` on, as the statement names them (not the
    tables a foreign key references; an index's table for index actions)."""
    if isinstance(action, a.CreateIndex):
        return (action.index.table,)
    if isinstance(action, (a.DropTable, a.Truncate, a.Maintenance, a.Opaque, a.LockTable)):
        return action.tables
    if isinstance(action, a.DropView):
        return action.views
    if isinstance(action, a.Comment):
        return (action.object,) if action.target in ("table", "column") else ()
    table = getattr(action, "table", None)
    return (table,) if isinstance(table, Name) else ()


def foreign_key_locks(action: a.Action, schema: Schema) -> tuple[TableLock, ...]:
    """ACCESS EXCLUSIVE on the tables at the other end of the foreign keys `action` drops or
    rebuilds, from `schema` as it is before the action: PostgreSQL removes (or recreates) a
    key's triggers on both of its tables. Dropping a key, a table or a column of a key, or
    changing such a column's type, locks the referenced table; with CASCADE, dropping what
    other tables' keys reference locks those tables; TRUNCATE … CASCADE empties them."""
    kind = type(action)
    found: list[Name] = []
    if kind is a.DropConstraint:
        table = _peek_table(schema, action.table)
        if table is None:
            return ()
        key = table.foreign_keys.get(action.name)
        if key is not None:
            found.append(key.ref_table)
        elif action.cascade:
            columns = _unique_columns(table, action.name)
            if columns:
                found += _referencing(schema, table, lambda referenced: set(referenced) == columns)
    elif kind is a.DropColumn or kind is a.AlterColumnType:
        table = _peek_table(schema, action.table)
        if table is None:
            return ()
        found += [key.ref_table for key in table.foreign_keys.values() if action.column in key.columns]
        if kind is a.AlterColumnType or action.cascade:
            found += _referencing(schema, table, lambda referenced: action.column in referenced)
    elif kind is a.DropTable:
        for name in action.tables:
            table = _peek_table(schema, name)
            if table is not None:
                found += [key.ref_table for key in table.foreign_keys.values()]
                if action.cascade:
                    found += _referencing(schema, table, lambda referenced: True)
    elif kind is a.Truncate and action.cascade:  # the referencing tables are emptied too, and theirs
        queue = [table for name in action.tables if (table := _peek_table(schema, name)) is not None]
        seen = {schema.key(table.name, table.schema) for table in queue}
        while queue:
            for name in _referencing(schema, queue.pop(), lambda referenced: True):
                table = _peek_table(schema, name)
                if table is not None and schema.key(table.name, table.schema) not in seen:
                    seen.add(schema.key(table.name, table.schema))
                    queue.append(table)
                    found.append(name)
    own = {schema.table_key(name) for name in own_tables(action)}
    result: dict[str, TableLock] = {}
    for name in found:
        key = schema.table_key(name) or str(name)
        if key not in own and key not in result:
            result[key] = TableLock(name, Lock.ACCESS_EXCLUSIVE)
    return tuple(result.values())


def _peek_table(schema: Schema, name: Name) -> Table | None:
    key = schema.table_key(name)
    return None if key is None else peek(schema.tables, key)


def _unique_columns(table: Table, name: str) -> set[str]:
    """The columns of the primary key or unique constraint `name` of `table` (empty if none)."""
    if table.primary_key is not None and table.primary_key.name == name:
        return set(table.primary_key.columns)
    index = table.indexes.get(name)
    return set(index.columns) if index is not None and index.unique else set()


def _referencing(schema: Schema, target: Table, refers) -> list[Name]:
    """The tables with a foreign key to `target` whose referenced columns pass `refers` (a key's
    target and columns were resolved when the replay added it)."""
    fold = schema.case_insensitive
    name = target.name.lower() if fold else target.name
    found = []
    for _, table in peek_items(schema.tables):
        for key in table.foreign_keys.values():
            ref = key.ref_table
            points_at = (ref.name.lower() if fold else ref.name) == name and ref.schema == target.schema
            if points_at and refers(key.ref_columns):
                found.append(Name(table.name, table.schema))
                break
    return found
