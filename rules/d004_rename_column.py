from linter.actions import RenameColumn
from linter.context import StatementContext
from linter.findings import Severity
from linter.rule import Doc, Example, Rule
from rules.d001_drop_table import shown


class RenameColumnRule(Rule):
    id = "D004"
    name = "rename-column"
    severity = Severity.ERROR
    summary = "Renaming a column breaks every deployed query that uses its old name."
    actions = (RenameColumn,)
    doc = Doc(
        what="`ALTER TABLE … RENAME COLUMN` (MySQL also `CHANGE old new …`) of a column of a table that existed "
        "before this change. Columns and tables created earlier in the same migration or by a migration new in "
        "the change are exempt, and so is a MySQL `CHANGE` that keeps the name (MySQL column names ignore case, "
        "so a change of case only is no rename either).",
        why="Code deployed before the migration still reads and writes the old name; until new code is deployed "
        "(and again on a code rollback) every such query fails.",
        instead="Expand and contract: add the new column, write to both, backfill it in batches, switch reads, then "
        "drop the old column in a later release.",
        bad=Example(
            "ALTER TABLE users RENAME COLUMN name TO full_name;\n",
            before=("CREATE TABLE users (id bigint PRIMARY KEY, name text);\n",),
            expect=((1, 19),),
        ),
        good=Example(
            "ALTER TABLE users ADD COLUMN full_name text;\n",
            before=("CREATE TABLE users (id bigint PRIMARY KEY, name text);\n",),
        ),
    )

    def check_action(self, action: RenameColumn, ctx: StatementContext) -> None:
        # Column names ignore case in MySQL and SQLite whatever the table names do.
        if action.column == action.new_name or (
            ctx.dialect != "postgresql" and action.column.lower() == action.new_name.lower()
        ):
            return
        table = ctx.table(action.table)
        name = str(action.table)
        if table is not None:
            column = table.column(action.column)
            if ctx.is_new(table) or (column is not None and ctx.is_new(column)):
                return
            name = shown(table)
        old, new = action.column, action.new_name
        ctx.report(
            action.span,
            f'renaming column "{old}" of "{name}" to "{new}" breaks deployed code that uses the old name',
            fix=f"expand and contract: add {new} to {name}, write to both columns, backfill {new} from {old} in "
            f"batches, switch reads to {new}, then drop {old} in a later release",
        )
