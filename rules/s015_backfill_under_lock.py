from __future__ import annotations

from bisect import bisect_left, bisect_right

from linter import actions as a
from linter.context import StatementContext
from linter.findings import Severity
from linter.locks import own_tables
from linter.rule import Doc, Example, Rule
from rules.s012_lock_timeout_missing import (
    DROPS_KEYS,
    KEY_LOCKS,
    Held,
    _Memo,
    qualified,
    strong_locks,
    table_key,
    transaction_groups,
)


def _first_ddl_on(key: str, groups: list[int], ctx: StatementContext) -> tuple[int, Held, a.Action] | None:
    """The first DDL lock on the table `key` (statement index, lock, action) taken by another
    statement of the judged statement's transaction (`groups`: each statement's, from
    `transaction_groups`), asked of the schema as it is now (the foreign keys an earlier
    statement dropped, as it was then: `KEY_LOCKS`). A transaction's statements are
    consecutive, and the search stops at the first lock on the table."""
    group = groups[ctx.position]
    for position in range(bisect_left(groups, group), bisect_right(groups, group)):
        statement = ctx.statements[position]
        if position == ctx.position or not statement.in_transaction:
            continue
        for action in statement.actions:
            if type(action) is a.LockTable:
                continue  # a lock taken on purpose, not DDL's
            for held in strong_locks(action, ctx.schema, ctx):
                if table_key(ctx.schema, held.table) == key:
                    return position, held, action
    return None


class BackfillUnderLock(Rule):
    id = "S015"
    name = "backfill-under-lock"
    severity = Severity.WARNING
    summary = "UPDATE / INSERT … SELECT on an existing table in the same transaction as DDL on it."
    dialects = frozenset({"postgresql"})
    actions = (a.DataChange, *DROPS_KEYS)  # the DDL only to note the foreign keys it drops
    doc = Doc(
        what="`UPDATE`, or `INSERT … SELECT`, on a table that existed before this migration, in the same "
        "transaction as DDL on that table (ALTER TABLE, CREATE INDEX without CONCURRENTLY, …), before or "
        "after it. The migration tool's transaction decides what \"same transaction\" means. Tables created "
        "in the same file or change are exempt, and so is `INSERT … VALUES`.",
        why="A transaction holds every lock until it commits. DDL before the backfill keeps its lock (usually "
        "ACCESS EXCLUSIVE: reads and writes wait) for the whole backfill; DDL after it waits for its lock while "
        "the backfill's row locks are held, and both ends stall traffic for as long as the data takes.",
        instead="Ship the DDL in one migration and the backfill in another (or outside the migration tool), "
        "and backfill in batches of a few thousand rows, each in its own transaction.",
        bad=Example(
            "-- migrate:up\nALTER TABLE orders ADD COLUMN total numeric;\nUPDATE orders SET total = 0;\n"
            "-- migrate:down\nALTER TABLE orders DROP COLUMN total;\n",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY);\n",),
            layout="dbmate",
            expect=((3, 1),),
        ),
        good=Example(
            "-- migrate:up\nUPDATE orders SET total = 0 WHERE id BETWEEN 1 AND 5000;\n-- migrate:down\nSELECT 1;\n",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);\n",),
            layout="dbmate",
        ),
    )

    def check_action(self, action: a.Action, ctx: StatementContext) -> None:
        if type(action) is not a.DataChange:
            KEY_LOCKS.note(action, ctx)
            return
        statement = ctx.statement
        if action.op not in ("update", "insert") or (action.op == "insert" and not action.from_query):
            return
        if statement is None or not statement.in_transaction or action.table is None:
            return
        if ctx.is_new_table(action.table):
            return
        groups = _GROUPS.get(ctx.statements, transaction_groups)
        key = table_key(ctx.schema, action.table)
        found = _first_ddl_on(key, groups, ctx)
        if found is None:
            return
        position, held, ddl = found
        other = ctx.statements[position]
        line = other.span.file.position(other.span.start).line
        table_name = str(action.table)
        verb = "UPDATE" if action.op == "update" else "INSERT … SELECT"
        lock = f"{held.lock.mode} lock"
        if all(table_key(ctx.schema, own) != key for own in own_tables(ddl)):
            # DDL on another table that drops or rebuilds a foreign key to this one (linter.locks)
            lock += f' on "{table_name}" (for the foreign key it drops or rebuilds)'
        ctx.report(
            action.span,
            f'{verb} on existing table "{table_name}" runs in the same transaction as the DDL at line {line}: '
            + (
                f"its {lock} is held for the whole backfill"
                if position < ctx.position
                else f"the backfill's row locks are held until that DDL gets its {lock} and commits"
            ),
            lock=held.lock.on(table_name, "for the whole transaction, backfill included"),
            fix="ship the DDL and the backfill as separate migrations, and backfill in batches, each in its own "
            f"transaction, repeated until no row is left, e.g.:\nUPDATE {qualified(action.table)} SET … WHERE ctid IN "
            f"(SELECT ctid FROM {qualified(action.table)} WHERE <not yet done> LIMIT 5000);",
        )


_GROUPS = _Memo()
