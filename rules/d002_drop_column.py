from linter.actions import DropColumn
from linter.context import StatementContext
from linter.findings import Severity
from linter.keywords import sql_name, sql_table
from linter.rule import Doc, Example, Rule
from rules.d001_drop_table import shown, sql_shown


class DropColumnRule(Rule):
    id = "D002"
    name = "drop-column"
    severity = Severity.ERROR
    summary = "DROP COLUMN of a column deployed code may still read or write."
    actions = (DropColumn,)
    doc = Doc(
        what="`ALTER TABLE … DROP COLUMN` of a column of a table that existed before this change. Columns (and "
        "tables) created earlier in the same migration or by a migration new in the change are exempt, and so "
        "is `DROP COLUMN IF EXISTS` of a column the history never created on a table it knows.",
        why="Code deployed before the migration still names the column in its queries (ORMs select every "
        "mapped column): those queries fail from the moment it is dropped, and its data is gone.",
        instead="Stop writing the column and make it nullable (or give it a default) in one release, ship code "
        "that no longer reads it, then drop it in a later migration.",
        bad=Example(
            "ALTER TABLE users DROP COLUMN nickname;\n",
            before=("CREATE TABLE users (id bigint PRIMARY KEY, nickname text);\n",),
            expect=((1, 19),),
        ),
        good=Example(
            "ALTER TABLE users ADD COLUMN draft text;\nALTER TABLE users DROP COLUMN draft;\n",
            before=("CREATE TABLE users (id bigint PRIMARY KEY, nickname text);\n",),
        ),
    )

    def check_action(self, action: DropColumn, ctx: StatementContext) -> None:
        table = ctx.table(action.table)
        name = str(action.table)
        spelled = sql_table(action.table.name, action.table.schema, ctx.dialect)
        if table is not None:
            if ctx.is_new(table):
                return
            column = table.column(action.column)
            if column is None and action.if_exists:
                return  # the history never created it: IF EXISTS makes this a no-op
            if column is not None and ctx.is_new(column):
                return
            name = shown(table)
            spelled = sql_shown(table.name, table.schema, ctx.dialect)
        ctx.report(
            action.span,
            f'DROP COLUMN "{action.column}" of "{name}" removes a column deployed code may still use',
            fix=f'drop it in phases: stop writing "{action.column}" and make it nullable, release code that no '
            f"longer reads it, then in a later migration:\n"
            f"ALTER TABLE {spelled} DROP COLUMN {sql_name(action.column, ctx.dialect)};",
        )
