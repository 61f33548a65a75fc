import re

from linter.actions import CreateIndex
from linter.context import StatementContext
from linter.findings import Edit, Severity
from linter.locks import Lock
from linter.rule import Doc, Example, Rule
from linter.schema import Name


class CreateIndexBlocking(Rule):
    id = "S005"
    name = "create-index-blocking"
    severity = Severity.ERROR
    summary = "CREATE INDEX without CONCURRENTLY on an existing table blocks writes while it builds."
    dialects = frozenset({"postgresql"})
    actions = (CreateIndex,)
    doc = Doc(
        what="`CREATE INDEX` (or `CREATE UNIQUE INDEX`) without `CONCURRENTLY` on a table that existed before "
        "this migration. Tables created earlier in the same file, or by a migration new in the change "
        "(`--base`), are empty and exempt, and so is `CREATE INDEX IF NOT EXISTS` of an index the "
        "migration history already created (PostgreSQL builds nothing).",
        why="A plain index build takes a SHARE lock: every INSERT, UPDATE and DELETE on the table waits until "
        "the whole table has been scanned and sorted, minutes to hours on a large table.",
        instead="`CREATE INDEX CONCURRENTLY`, in a migration its tool runs outside a transaction (Prisma and "
        "golang-migrate: a file holding only that statement; dbmate: `-- migrate:up transaction:false`). "
        "If a concurrent build fails it leaves an INVALID index: drop it and retry.",
        bad=Example(
            "CREATE INDEX orders_customer_id_idx ON orders (customer_id);\n",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);\n",),
            expect=((1, 1),),
        ),
        good=Example(
            "CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);\n",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);\n",),
        ),
    )

    def check_action(self, action: CreateIndex, ctx: StatementContext) -> None:
        if action.concurrently or ctx.is_new_table(action.index.table):
            return
        index = action.index
        if action.if_not_exists and index.name and ctx.schema.find_index(Name(index.name, index.table.schema)):
            return  # the index is already there: PostgreSQL notes it and builds nothing
        table = str(action.index.table)
        statement = ctx.statement.text if ctx.statement else ""
        fixed = _with_concurrently(statement)
        edits: tuple[Edit, ...] = ()
        if ctx.statement is not None and not ctx.statement.in_transaction:
            # The tool runs this statement on its own: CONCURRENTLY is all it takes (--fix).
            at = _concurrently_at(statement)
            if at is not None:
                offset = ctx.statement.span.start + at
                edits = (Edit(ctx.statement.span.path, offset, offset, " CONCURRENTLY"),)
        ctx.report(
            action.span,
            f'CREATE INDEX on existing table "{table}" blocks writes to it until the index is built',
            lock=Lock.SHARE.on(table, "until the index is built and the transaction commits"),
            fix="build it concurrently, outside a transaction (alone in its migration file, or with the tool's "
            f"no-transaction option):\n{fixed};",
            edits=edits,
        )


def _concurrently_at(statement: str) -> int | None:
    """Where CONCURRENTLY goes: just after the INDEX keyword (`CREATE [UNIQUE] INDEX`)."""
    match = _INDEX_KEYWORD.match(statement)
    return match.end() if match else None


def _with_concurrently(statement: str) -> str:
    """The statement with CONCURRENTLY after its INDEX keyword."""
    at = _concurrently_at(statement)
    return statement if at is None else f"{statement[:at]} CONCURRENTLY{statement[at:]}"


# The statement starts at its first token, so the keywords are at its start; comments between
# them are allowed by the grammar and skipped here.
_INDEX_KEYWORD = re.compile(r"CREATE(?:\s+|/\*.*?\*/|--[^\n]*\n)+(?:UNIQUE(?:\s+|/\*.*?\*/|--[^\n]*\n)+)?INDEX\b", re.I | re.S)
