from __future__ import annotations

from linter import actions as a
from linter.actions import Statement
from linter.context import StatementContext
from linter.findings import Severity
from linter.migrations import TxMode
from linter.rule import Doc, Example, Rule
from rules.s012_lock_timeout_missing import _Memo, ends_transaction

_NESTED, _EARLY_COMMIT, _UNCLOSED = "nested", "early commit", "unclosed"
_MARKS = _Memo()


def _marks(statements: list[Statement], wrapped: bool) -> list[str | None]:
    """What is wrong with each transaction-control statement of a file, in one pass."""
    marks: list[str | None] = [None] * len(statements)
    open_at: int | None = None  # the file's own BEGIN that is still open
    for position, statement in enumerate(statements):
        ops = [action.op for action in statement.actions if isinstance(action, a.Transaction)]
        if "begin" in ops:
            if wrapped or open_at is not None:
                marks[position] = _NESTED
            if open_at is None:
                open_at = position
        elif ends_transaction(statement):
            if wrapped and open_at is None:
                marks[position] = _EARLY_COMMIT
            open_at = None
    if open_at is not None and not wrapped:
        marks[open_at] = _UNCLOSED
    return marks


class NestedTransaction(Rule):
    id = "S016"
    name = "nested-transaction"
    severity = Severity.WARNING
    summary = "BEGIN/COMMIT inside a migration its tool already wraps in a transaction, or a BEGIN never closed."
    dialects = frozenset({"postgresql"})
    actions = (a.Transaction,)
    doc = Doc(
        what="`BEGIN` (or `START TRANSACTION`) or `COMMIT`/`ROLLBACK` written in a migration its tool already "
        "runs inside a transaction (dbmate, Flyway, Diesel, maragudk/migrate, Authelia; plain folders with "
        "`plain-transaction`), and a `BEGIN` never closed by COMMIT or ROLLBACK in the file. Prisma and "
        "golang-migrate send a file as one query string: there PostgreSQL turns its implicit transaction "
        "into the explicit one without complaint, so BEGIN … COMMIT is fine and only an unclosed BEGIN is "
        "reported.",
        why='Inside the tool\'s transaction, BEGIN only draws a warning ("there is already a transaction in '
        'progress"), but the COMMIT commits the tool\'s transaction early: the statements after it run one '
        "by one, so a failure leaves the migration half applied while the tool believes it atomic. A BEGIN "
        "never closed leaves the changes uncommitted and their locks held until the session ends.",
        instead="Let the tool own the transaction: remove BEGIN and COMMIT from the file (and use the tool's "
        "no-transaction option where a statement must run outside one); where the tool does not wrap, close "
        "every BEGIN with COMMIT.",
        bad=Example(
            "-- migrate:up\nBEGIN;\nALTER TABLE orders ADD COLUMN note text;\nCOMMIT;\n"
            "-- migrate:down\nALTER TABLE orders DROP COLUMN note;\n",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY);\n",),
            layout="dbmate",
            expect=((2, 1),),
        ),
        good=Example(
            "-- migrate:up\nALTER TABLE orders ADD COLUMN note text;\n"
            "-- migrate:down\nALTER TABLE orders DROP COLUMN note;\n",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY);\n",),
            layout="dbmate",
        ),
    )

    def check_action(self, action: a.Transaction, ctx: StatementContext) -> None:
        if ctx.migration is None:
            return
        wrapped = ctx.migration.tx is TxMode.WRAPPED
        mark = _MARKS.get(ctx.statements, lambda statements: _marks(statements, wrapped))[ctx.position]
        if mark is None:
            return
        keyword = ctx.statement.text.split(None, 1)[0].upper() if ctx.statement is not None else action.op.upper()
        if mark == _UNCLOSED:
            ctx.report(
                action.span,
                f"{keyword} is never closed: the migration's changes stay uncommitted until the session ends",
                lock="every lock taken after it is held until the session ends, and then its changes are rolled back",
                fix="end the transaction with COMMIT; at the end of the migration",
            )
        elif mark == _EARLY_COMMIT:
            ctx.report(
                action.span,
                f"{keyword} ends the transaction the migration tool opened: what follows runs outside it",
                lock="no lock of its own: it releases the tool's locks early, and later statements commit one by one",
                fix=f"remove the {keyword}: the tool commits the migration when it finishes",
            )
        else:
            ctx.report(
                action.span,
                f"{keyword} inside a transaction the migration tool already opened: its COMMIT ends the tool's "
                "transaction early",
                lock="no lock of its own: the inner COMMIT releases the tool's locks early, and later statements "
                "commit one by one",
                fix=f"remove {keyword} and its COMMIT: the tool already runs the migration in one transaction "
                "(use its no-transaction option if a statement must run outside one)",
            )
