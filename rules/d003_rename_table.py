from linter.actions import CreateTable, RenameTable
from linter.context import StatementContext
from linter.findings import Severity
from linter.keywords import sql_name, sql_table
from linter.rule import Doc, Example, Rule
from rules.d001_drop_table import same_name, shown, sql_shown


class RenameTableRule(Rule):
    id = "D003"
    name = "rename-table"
    severity = Severity.ERROR
    summary = "Renaming a table breaks every deployed query that uses its old name."
    actions = (RenameTable,)
    doc = Doc(
        what="`ALTER TABLE … RENAME TO` (MySQL also `RENAME TABLE`) of a table that existed before this change. "
        "Tables created earlier in the same migration or by a migration new in the change are exempt — which "
        "also keeps the table rebuild quiet (`CREATE TABLE new_t …; INSERT … SELECT; DROP TABLE t; ALTER TABLE "
        "new_t RENAME TO t`, as Prisma writes for SQLite) — and so is a rename whose old name a later statement "
        "of the same migration creates again.",
        why="Code deployed before the migration still queries the old name; between the migration and the "
        "deployment of new code (and for any rollback of the code) every such query fails.",
        instead="Expand and contract: create the new table, write to both, backfill, switch reads, then drop the "
        "old one in a later release; or rename and leave a view with the old name until no code uses it.",
        bad=Example(
            "ALTER TABLE customers RENAME TO clients;\n",
            before=("CREATE TABLE customers (id bigint PRIMARY KEY, name text);\n",),
            expect=((1, 1),),
        ),
        good=Example(
            "CREATE TABLE drafts (id bigint PRIMARY KEY);\nALTER TABLE drafts RENAME TO notes;\n",
        ),
    )

    def check_action(self, action: RenameTable, ctx: StatementContext) -> None:
        table = ctx.table(action.table)
        if table is not None and ctx.is_new(table):
            return
        old = shown(table) if table is not None else str(action.table)
        if table is not None:
            view = sql_shown(table.name, table.schema, ctx.dialect)
        else:
            view = sql_table(action.table.name, action.table.schema, ctx.dialect)
        old_name = table.name if table is not None else action.table.name
        if _created_again(old_name, ctx):
            return  # the old name is back before the migration ends: deployed queries still find a table
        ctx.report(
            action.span,
            f'renaming table "{old}" to "{action.new_name}" breaks deployed code that uses the old name',
            fix=f"expand and contract: create {action.new_name}, write to both tables, backfill it, switch reads, "
            f"then drop {old} in a later release; or rename it and keep a view under the old name until no code "
            f"uses it:\nCREATE VIEW {view} AS SELECT * FROM {sql_name(action.new_name, ctx.dialect)};",
        )


def _created_again(name: str, ctx: StatementContext) -> bool:
    return any(
        isinstance(later, CreateTable) and same_name(ctx, later.table.name, name)
        for statement in ctx.later_statements
        for later in statement.actions
    )
