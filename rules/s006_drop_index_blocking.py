import re

from linter.actions import DropIndex
from linter.context import StatementContext
from linter.findings import Edit, Severity
from linter.locks import Lock
from linter.rule import Doc, Example, Rule
from rules.s012_lock_timeout_missing import label, qualified


class DropIndexBlocking(Rule):
    id = "S006"
    name = "drop-index-blocking"
    severity = Severity.WARNING
    summary = "DROP INDEX without CONCURRENTLY locks the table against reads and writes."
    dialects = frozenset({"postgresql"})
    actions = (DropIndex,)
    doc = Doc(
        what="`DROP INDEX` without `CONCURRENTLY` of an index on a table that existed before this migration. "
        "An index created earlier in the same file or in the change, or one on a table created there, is "
        "exempt: nothing in production uses it yet. An index the migration history never built is taken as "
        "existing unless the statement says `IF EXISTS` (then, as far as the history shows, there is nothing "
        "to drop).",
        why="A plain DROP INDEX takes an ACCESS EXCLUSIVE lock on the index's table: while it waits for running "
        "queries to finish, every later read and write of the table queues behind it.",
        instead="`DROP INDEX CONCURRENTLY`, one index per statement and without CASCADE, in a migration its tool "
        "runs outside a transaction (Prisma and golang-migrate: a file holding only that statement; dbmate: "
        "`-- migrate:up transaction:false`).",
        bad=Example(
            "DROP INDEX orders_customer_id_idx;\n",
            before=(
                "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);\n"
                "CREATE INDEX orders_customer_id_idx ON orders (customer_id);\n",
            ),
            expect=((1, 1),),
        ),
        good=Example(
            "DROP INDEX CONCURRENTLY orders_customer_id_idx;\n",
            before=(
                "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);\n"
                "CREATE INDEX orders_customer_id_idx ON orders (customer_id);\n",
            ),
        ),
    )

    def check_action(self, action: DropIndex, ctx: StatementContext) -> None:
        if action.concurrently:
            return
        for name in action.indexes:
            found = ctx.schema.find_index(name)
            if found is None:
                if action.if_exists:
                    continue  # the history never built it: IF EXISTS makes this a no-op
                table = str(action.table) if action.table else None
            else:
                owner, index = found
                if ctx.is_new(index) or ctx.is_new(owner):
                    continue
                table = label(owner)
            where = f' on "{table}"' if table else ""
            ctx.report(
                action.span,
                f'DROP INDEX "{name}"{where} without CONCURRENTLY blocks reads and writes of the table',
                lock=Lock.ACCESS_EXCLUSIVE.on(table or "the index's table", "while it waits for running queries and until commit"),
                fix="drop it concurrently, one index per statement, outside a transaction (alone in its migration "
                f"file, or with the tool's no-transaction option):\nDROP INDEX CONCURRENTLY {'IF EXISTS ' if action.if_exists else ''}{qualified(name)};",
                edits=_concurrently(action, ctx),
            )
            return  # one finding per statement


_DROP_INDEX = re.compile(r"DROP(?:\s+|/\*.*?\*/|--[^\n]*\n)+INDEX\b", re.I | re.S)


def _concurrently(action: DropIndex, ctx: StatementContext) -> tuple[Edit, ...]:
    """For --fix: CONCURRENTLY after DROP INDEX, where PostgreSQL accepts it and the tool runs
    the statement on its own: one index, no CASCADE, outside a transaction."""
    statement = ctx.statement
    if statement is None or statement.in_transaction or len(action.indexes) != 1 or action.cascade:
        return ()
    match = _DROP_INDEX.match(statement.text)
    if match is None:
        return ()
    offset = statement.span.start + match.end()
    return (Edit(statement.span.path, offset, offset, " CONCURRENTLY"),)
