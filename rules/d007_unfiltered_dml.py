from linter.actions import DataChange, Statement
from linter.context import StatementContext
from linter.findings import Severity
from linter.rule import Doc, Example, Rule
from linter.schema import Table
from rules.d001_drop_table import shown


class UnfilteredDmlRule(Rule):
    id = "D007"
    name = "unfiltered-dml"
    severity = Severity.ERROR
    summary = "UPDATE or DELETE without WHERE changes every row of the table."
    actions = (DataChange,)
    doc = Doc(
        what="`UPDATE` or `DELETE` without a `WHERE` clause on a table that existed before this change. A table "
        "created earlier in the same migration or by a migration new in the change is exempt, and so is an "
        "UPDATE that only sets columns added in this migration or change: that is the backfill of a new column, "
        "which nothing deployed reads yet (S003 and S015 judge how it is shipped).",
        why="Every row changes (or disappears) at once: a forgotten WHERE is the classic way to destroy "
        "production data, and on a large table the statement also holds row locks on all of it until commit.",
        instead="Say which rows with a WHERE clause; if every row is really meant, write it (`WHERE true`) so the "
        "review sees the intent, and work in batches of a few thousand rows for large tables.",
        bad=Example(
            "UPDATE orders SET status = 'archived';\n",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY, status text);\n",),
            expect=((1, 1),),
        ),
        good=Example(
            "UPDATE orders SET status = 'archived' WHERE created_at < '2020-01-01';\n",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY, status text, created_at date);\n",),
        ),
    )

    def check_action(self, action: DataChange, ctx: StatementContext) -> None:
        if action.op not in ("update", "delete") or action.has_where:
            return
        table = ctx.table(action.table) if action.table is not None else None
        if table is not None:
            if ctx.is_new(table):
                return
            if action.op == "update" and ctx.statement is not None and _backfills_new_columns(ctx.statement, table, ctx):
                return
        name = shown(table) if table is not None else str(action.table or "the table")
        verb = "UPDATE" if action.op == "update" else "DELETE"
        what = "changes" if action.op == "update" else "deletes"
        ctx.report(
            action.span,
            f'{verb} without WHERE {what} every row of "{name}"',
            fix=f"add a WHERE clause naming the rows meant (or `WHERE true` to make \"every row\" explicit), and for "
            f"a large table work in batches, e.g. {verb} … WHERE id IN (SELECT id FROM {name} … LIMIT 5000) repeated "
            "until no row is left",
        )


def _backfills_new_columns(statement: Statement, table: Table, ctx: StatementContext) -> bool:
    assigned = _assigned_columns(statement)
    if not assigned:
        return False
    for name in assigned:
        column = table.column(name)
        if column is None or not ctx.is_new(column):
            return False
    return True


def _assigned_columns(statement: Statement) -> list[str]:
    """The columns an UPDATE sets, from the parser's tree."""
    node = statement.node
    if isinstance(node, dict):  # pglast UpdateStmt
        return [
            item["ResTarget"]["name"]
            for item in node.get("targetList", ())
            if isinstance(item, dict) and "name" in item.get("ResTarget", {})
        ]
    from sqlglot import exp

    if not isinstance(node, exp.Update):
        return []
    names: list[str] = []
    for assignment in node.expressions:
        target = assignment.this if isinstance(assignment, exp.EQ) else None
        if not isinstance(target, exp.Column):
            return []
        names.append(target.name)
    return names
