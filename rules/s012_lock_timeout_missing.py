"""S012, and the facts about statements that the other lock rules of this pack share: which
table-level lock an action takes on which table, which statements share a transaction, and
how names are written back into SQL."""

from __future__ import annotations

import re

from linter import actions as a
from linter.actions import Statement
from linter.context import StatementContext
from linter.findings import Edit, Severity
from linter.keywords import sql_name
from linter.locks import Lock, foreign_key_locks, lock_for, own_tables
from linter.records import Record
from linter.rule import Doc, Example, Option, Rule
from linter.schema import POSTGRESQL, Name, Schema, Table

_ZERO = re.compile(r"0+(\.0*)?\s*(us|ms|s|min|h|d)?")

_ALTER_TABLE = (
    a.AddColumn,
    a.DropColumn,
    a.AlterColumnType,
    a.SetNotNull,
    a.DropNotNull,
    a.SetDefault,
    a.SetIdentity,
    a.DropConstraint,
    a.RenameConstraint,
    a.RenameColumn,
    a.RenameTable,
    a.SetTableSchema,
)
_ENDS_TRANSACTION = frozenset({"commit", "rollback", "prepare"})


def ident(name: str) -> str:
    """A name as PostgreSQL must spell it (`sql_name`): quoted unless it is plain lower-case and
    no keyword (`"User"`, `"offset"`)."""
    return sql_name(name, POSTGRESQL)


def qualified(name: Name) -> str:
    return f"{ident(name.schema)}.{ident(name.name)}" if name.schema else ident(name.name)


def label(table: Table) -> str:
    """A table as a message names it: without the default schema."""
    return table.name if table.schema in (None, "public") else table.qualified


class Held(Record, frozen=True):
    """A table-level lock an action takes."""

    lock: Lock
    table: Name


def strong_locks(action: a.Action, schema: Schema, ctx: StatementContext | None = None) -> tuple[Held, ...]:
    """The locks stronger than SHARE UPDATE EXCLUSIVE (what DDL takes, and what queues plain
    reads or writes behind it) that `action` takes on its own tables, from the lock table in
    `linter.locks`, then on the other tables of the foreign keys it drops or rebuilds; () for
    DML, CONCURRENTLY, VALIDATE and the rest. With `ctx`, the foreign keys of an action the
    engine has passed are those the schema held just before it (`KEY_LOCKS`)."""
    if isinstance(action, a.DropIndex) and not action.concurrently:
        # PostgreSQL's DROP INDEX names only the index: the schema knows its table.
        held = []
        for name in action.indexes:
            found = schema.find_index(name)
            if found is not None:
                held.append(Held(Lock.ACCESS_EXCLUSIVE, Name(found[0].name, found[0].schema)))
            elif action.table is not None:
                held.append(Held(Lock.ACCESS_EXCLUSIVE, action.table))
        return tuple(held)
    lock = lock_for(action)  # one lock for all of the action's own tables
    held = tuple(Held(lock, table) for table in own_tables(action)) if lock in _STRONG else ()
    if type(action) in DROPS_KEYS:  # and the other ends of the foreign keys it drops or rebuilds
        held += KEY_LOCKS.get(action, ctx) if ctx is not None else _key_locks(action, schema)
    return held


def _key_locks(action: a.Action, schema: Schema) -> tuple[Held, ...]:
    return tuple(Held(other.lock, other.table) for other in foreign_key_locks(action, schema))


class _KeyLocks:
    """The locks each action of a file takes through the foreign keys it drops or rebuilds,
    noted from the schema just before it (S012 and S015 judge each such action, and note it,
    before the replay applies it): once applied, the key is gone from the schema, and a rule
    judging a later statement could no longer see that lock."""

    __slots__ = ("statements", "noted")

    def __init__(self) -> None:
        self.statements: list[Statement] | None = None
        self.noted: dict[int, tuple[Held, ...]] = {}

    def note(self, action: a.Action, ctx: StatementContext) -> None:
        if self.statements is not ctx.statements:
            self.statements, self.noted = ctx.statements, {}
        if id(action) not in self.noted:  # actions live as long as the statements list held here
            self.noted[id(action)] = _key_locks(action, ctx.schema)

    def get(self, action: a.Action, ctx: StatementContext) -> tuple[Held, ...]:
        if self.statements is ctx.statements and id(action) in self.noted:
            return self.noted[id(action)]
        return _key_locks(action, ctx.schema)  # an action the engine has not reached yet


KEY_LOCKS = _KeyLocks()


_STRONG = frozenset({Lock.SHARE, Lock.SHARE_ROW_EXCLUSIVE, Lock.EXCLUSIVE, Lock.ACCESS_EXCLUSIVE})
DROPS_KEYS = frozenset({a.DropConstraint, a.DropColumn, a.AlterColumnType, a.DropTable, a.Truncate})


def ends_transaction(statement: Statement) -> bool:
    return any(isinstance(x, a.Transaction) and x.op in _ENDS_TRANSACTION for x in statement.actions)


def transaction_groups(statements: list[Statement]) -> list[int]:
    """For each statement, the number of the transaction it runs in; statements outside any
    transaction get a number of their own. A COMMIT or ROLLBACK ends the transaction it is in
    (in a tool's wrapping and in a multi-statement query string alike, as the server does)."""
    groups: list[int] = []
    group = -1
    open_group = False
    for statement in statements:
        if not (statement.in_transaction and open_group):
            group += 1
        groups.append(group)
        open_group = statement.in_transaction and not ends_transaction(statement)
    return groups


class _Memo:
    """One per-file pass, reused while the engine walks the same file's statements (the rule
    is called once per action: redoing the pass each time would be quadratic)."""

    __slots__ = ("statements", "value")

    def __init__(self) -> None:
        self.statements: list[Statement] | None = None
        self.value: list = []

    def get(self, statements: list[Statement], compute):
        if self.statements is not statements or len(self.value) != len(statements):
            self.statements = statements
            self.value = compute(statements)
        return self.value


def _timeout_in_force(statements: list[Statement]) -> list[bool]:
    """Whether a non-zero lock_timeout is in force when each statement starts."""
    result: list[bool] = []
    in_force = False
    local = False
    for statement in statements:
        result.append(in_force)
        for action in statement.actions:
            if isinstance(action, a.SetVariable):
                if action.name == "all" and action.value is None:
                    in_force = False
                elif action.name == "lock_timeout":
                    if action.value is None or _ZERO.fullmatch(action.value.strip().lower()):
                        in_force = False
                    elif not (action.local and not statement.in_transaction):  # SET LOCAL outside a transaction does nothing
                        in_force, local = True, action.local
            elif isinstance(action, a.Transaction) and action.op in _ENDS_TRANSACTION and local:
                in_force = local = False  # SET LOCAL lasts until the end of its transaction
    return result


_TIMEOUTS = _Memo()


class LockTimeoutMissing(Rule):
    id = "S012"
    name = "lock-timeout-missing"
    severity = Severity.WARNING
    summary = "A lock-taking statement on an existing table with no lock_timeout set earlier in the file."
    dialects = frozenset({"postgresql"})
    actions = (
        *_ALTER_TABLE,
        a.AddConstraint,
        a.CreateIndex,
        a.DropIndex,
        a.DropTable,
        a.Truncate,
        a.TableOption,
        a.Maintenance,
        a.LockTable,
        a.Opaque,  # CREATE TRIGGER, POLICY, RULE (linter.locks)
    )
    options = {"timeout": Option("5s", "the lock_timeout the suggested fix sets")}
    doc = Doc(
        what="A statement that takes a lock of SHARE mode or stronger (DDL: ALTER TABLE, CREATE INDEX "
        "without CONCURRENTLY, DROP, TRUNCATE, CREATE TRIGGER, POLICY or RULE, …; `LOCK TABLE` in such a mode) "
        "on a table that existed before this migration (dropping a foreign key, a table or a column holding "
        "one, or changing such a column's type, locks the table at the key's other end too), with no "
        "`SET lock_timeout` (or `SET LOCAL lock_timeout`) earlier in the file. A `RESET`, `SET lock_timeout = "
        "0`, or the end of the transaction of a `SET LOCAL` cancels it. Plain DML, CONCURRENTLY and tables created in the same file or change "
        "are exempt; so is `LOCK … NOWAIT`, which fails rather than waits, and a later lock in its transaction "
        "that the mode it holds already covers. Reported once per stretch of the file without a timeout, at "
        "its first such statement: one `SET lock_timeout` before it covers the rest.",
        why="A DDL statement that waits for its lock (behind a long query or an open transaction) sits in the "
        "lock queue, and every later read and write of the table queues behind it: a few seconds' wait becomes "
        "an outage.",
        instead="Start the migration with `SET lock_timeout = '5s';` (`SET LOCAL` inside a transaction), so a "
        "blocked DDL fails fast instead of stalling traffic, and retry the migration.",
        bad=Example(
            "ALTER TABLE orders ADD COLUMN note text;\n",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY);\n",),
            expect=((1, 1),),
        ),
        good=Example(
            "SET lock_timeout = '5s';\nALTER TABLE orders ADD COLUMN note text;\n",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY);\n",),
        ),
    )

    def check_action(self, action: a.Action, ctx: StatementContext) -> None:
        statement = ctx.statement
        if statement is None:
            return
        if type(action) in DROPS_KEYS:
            KEY_LOCKS.note(action, ctx)
        in_force = _TIMEOUTS.get(ctx.statements, _timeout_in_force)
        if in_force[ctx.position]:
            return
        held = _first_waiting(action, ctx.position, ctx)
        if held is None:
            return
        for earlier in statement.actions:  # once per statement: only its first lock-taking action reports
            if earlier is action:
                break
            if type(earlier) in _JUDGED and _first_waiting(earlier, ctx.position, ctx) is not None:
                return
        # One finding per file: the first statement that waits without a timeout. One
        # `SET lock_timeout` at the top fixes them all, and a Prisma file of forty ALTERs
        # should not read as forty problems.
        # (after a RESET, the next stretch without a timeout reports again).
        for position in range(ctx.position - 1, -1, -1):
            if in_force[position]:
                break
            if any(
                type(earlier) in _JUDGED and _first_waiting(earlier, position, ctx) is not None
                for earlier in ctx.statements[position].actions
            ):
                return
        name = str(held.table)
        timeout = ctx.options.get("timeout", "5s")
        setting = "SET LOCAL" if statement.in_transaction else "SET"
        # While a lock waits, later requests that conflict with it queue behind it: every query
        # for ACCESS EXCLUSIVE; writes for the SHARE … EXCLUSIVE modes (reads do not conflict).
        queued = "query on" if held.lock is Lock.ACCESS_EXCLUSIVE else "write to"
        ctx.report(
            statement.span,
            f'{held.lock.mode} lock on existing table "{name}" taken without a lock_timeout (and so is every '
            f"later lock in this file): while it waits, every later {queued} the table waits behind it",
            lock=held.lock.on(name, "from the moment it starts waiting until commit"),
            fix=f"set a lock timeout earlier in the migration, and retry the migration if it times out:\n"
            f"{setting} lock_timeout = '{timeout}';",
            edits=_set_timeout_before(statement, f"{setting} lock_timeout = '{timeout}';"),
        )


def _first_waiting(action: a.Action, position: int, ctx: StatementContext) -> Held | None:
    """The first strong lock `action` (of the statement at `position`) may wait for on a table
    that existed before the file: none for LOCK … NOWAIT, which fails rather than waits, nor
    where a LOCK TABLE earlier in the same transaction already holds a mode that covers it."""
    if type(action) is a.LockTable and action.nowait:
        return None
    explicit = _EXPLICIT.get(ctx.statements, _explicitly_held)[position]
    for held in strong_locks(action, ctx.schema, ctx):
        if ctx.is_new_table(held.table):
            continue
        if explicit:
            key = table_key(ctx.schema, held.table)
            if any(table_key(ctx.schema, e.table) == key and e.lock.covers(held.lock) for e in explicit):
                continue
        return held
    return None


def table_key(schema: Schema, name: Name) -> str:
    """The schema's key for the table `name` names, or the key it would have."""
    return schema.table_key(name) or f"{name.schema or 'public'}.{name.name}"


def _explicitly_held(statements: list[Statement]) -> list[tuple[Held, ...]]:
    """For each statement, the locks that LOCK TABLE statements earlier in its transaction
    hold when it starts (a lock is held until the transaction ends; outside a transaction
    PostgreSQL refuses LOCK)."""
    result: list[tuple[Held, ...]] = []
    held: tuple[Held, ...] = ()
    group = None
    for statement, number in zip(statements, transaction_groups(statements)):
        if number != group:
            held, group = (), number
        result.append(held)
        if statement.in_transaction:
            for action in statement.actions:
                if type(action) is a.LockTable:
                    lock = lock_for(action) or Lock.ACCESS_EXCLUSIVE
                    held += tuple(Held(lock, table) for table in action.tables)
    return result


_EXPLICIT = _Memo()


# The action types S012 judges, for a set lookup per earlier action.
_JUDGED = frozenset(LockTimeoutMissing.actions)


def _set_timeout_before(statement: Statement, setting: str) -> tuple[Edit, ...]:
    """The `SET lock_timeout` line to insert before the statement, for --fix: on a line of its
    own with the statement's indentation and the file's line ending. Not for statements that
    must run outside a transaction block (adding a statement would put a lone one in Prisma's
    implicit transaction)."""
    if any(isinstance(action, (a.AddEnumValue, a.Maintenance)) for action in statement.actions):
        return ()
    file, start = statement.span.file, statement.span.start
    line_start = file.offset_of(file.position(start).line, 1)
    indent = file.text[line_start:start]
    if indent.strip():
        return (Edit(file.path, start, start, f"{setting} "),)
    newline = "\r\n" if "\r\n" in file.text else ("\r" if "\r" in file.text else "\n")
    return (Edit(file.path, line_start, line_start, f"{indent}{setting}{newline}"),)
