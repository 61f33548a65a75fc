from __future__ import annotations

from linter import actions as a
from linter.context import StatementContext
from linter.findings import Severity
from linter.rule import Doc, Example, Rule


class ConcurrentlyInTransaction(Rule):
    id = "S007"
    name = "concurrently-in-transaction"
    severity = Severity.ERROR
    summary = "CONCURRENTLY inside a transaction: PostgreSQL refuses it and the migration fails."
    dialects = frozenset({"postgresql"})
    actions = (a.CreateIndex, a.DropIndex, a.Maintenance, a.TableOption)
    doc = Doc(
        what="`CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `REINDEX … CONCURRENTLY` or `ALTER TABLE … "
        "DETACH PARTITION … CONCURRENTLY` that runs inside a transaction: after an explicit `BEGIN`, or in a "
        "file its migration tool runs as one transaction (dbmate, Flyway, Diesel and maragudk/migrate wrap "
        "each file; Prisma and golang-migrate send a file of several statements as one query string, which "
        "PostgreSQL runs as one implicit transaction). New tables are not exempt: the statement fails "
        "whatever the table holds.",
        why='PostgreSQL rejects these statements in a transaction block ("cannot run inside a transaction '
        'block"), so the migration fails at deploy time, and with some tools leaves the set half applied.',
        instead="Put the statement alone in its own migration file (Prisma, golang-migrate), or use the tool's "
        "no-transaction option (dbmate: `-- migrate:up transaction:false`; Flyway: "
        "`executeInTransaction=false` in the script's .conf; Diesel: `run_in_transaction = false` in "
        "metadata.toml); never write it between BEGIN and COMMIT.",
        bad=Example(
            "BEGIN;\nCREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);\nCOMMIT;\n",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);\n",),
            expect=((2, 1),),
        ),
        good=Example(
            "CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);\n",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);\n",),
        ),
    )

    def check_action(self, action: a.Action, ctx: StatementContext) -> None:
        statement = ctx.statement
        if statement is None or not statement.in_transaction:
            return
        what, table = _concurrent(action, statement.node)
        if what is None:
            return
        on = f' on "{table}"' if table else ""
        ctx.report(
            action.span,
            f"{what} CONCURRENTLY{on} runs inside a transaction: PostgreSQL rejects it and the migration fails",
            lock=f"none: PostgreSQL refuses {what} CONCURRENTLY in a transaction block before taking any lock",
            fix=f"move the statement into a migration its tool runs outside a transaction (Prisma, golang-migrate: "
            f"a file holding only this statement; dbmate: `-- migrate:up transaction:false`), without BEGIN/COMMIT "
            f"around it:\n{statement.text};",
        )


def _concurrent(action: a.Action, node: dict) -> tuple[str | None, str | None]:
    """What the action does CONCURRENTLY, and on which table; (None, None) if not concurrent."""
    if isinstance(action, a.CreateIndex) and action.concurrently:
        return "CREATE INDEX", str(action.index.table)
    if isinstance(action, a.DropIndex) and action.concurrently:
        return "DROP INDEX", None
    if isinstance(action, a.Maintenance) and action.op == "reindex" and action.concurrently:
        return "REINDEX", str(action.tables[0]) if action.tables else None
    if isinstance(action, a.TableOption) and action.option == "detach partition" and _detach_concurrently(node):
        return "DETACH PARTITION", str(action.table)
    return None, None


def _detach_concurrently(node: dict) -> bool:
    for cmd in node.get("cmds", ()) if isinstance(node, dict) else ():
        item = cmd.get("AlterTableCmd") or {}
        if item.get("subtype") == "AT_DetachPartition" and (item.get("def") or {}).get("PartitionCmd", {}).get("concurrent"):
            return True
    return False
