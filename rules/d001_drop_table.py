from linter.actions import DataChange, DropTable, RenameTable, Statement
from linter.context import StatementContext
from linter.findings import Severity
from linter.keywords import sql_table
from linter.rule import Doc, Example, Rule
from linter.schema import Name, Table


class DropTableRule(Rule):
    id = "D001"
    name = "drop-table"
    severity = Severity.ERROR
    summary = "DROP TABLE of a table running code may still read or write."
    actions = (DropTable,)
    doc = Doc(
        what="`DROP TABLE` of a table that existed before this change. Tables created earlier in the same "
        "migration or by a migration new in the change are exempt, and so is `DROP TABLE IF EXISTS` of a table "
        "the migration history never created. A table rebuild is not a drop: when the migration copies the "
        "table into a new one (`INSERT INTO new_t … SELECT … FROM t`), drops it and renames the copy to its "
        "name — the way Prisma and hand-written SQLite migrations change a table — nothing is reported.",
        why="Code deployed before the migration still queries the table; the moment it is gone every such query "
        "fails, and its data cannot be brought back without a restore.",
        instead="Two phases: first ship code that no longer uses the table (and keep a backup or an archive copy), "
        "then drop it in a later release.",
        bad=Example(
            "DROP TABLE order_notes;\n",
            before=("CREATE TABLE order_notes (id bigint PRIMARY KEY, body text);\n",),
            expect=((1, 1),),
        ),
        good=Example(
            "CREATE TABLE scratch (id bigint PRIMARY KEY);\nDROP TABLE scratch;\n",
        ),
    )

    def check_action(self, action: DropTable, ctx: StatementContext) -> None:
        doomed: list[str] = []
        spelled: list[str] = []  # as the suggested statement must write them
        for ref in action.tables:
            table = ctx.table(ref)
            if table is None and action.if_exists:
                continue  # the history never created it: IF EXISTS makes this a no-op
            if table is not None and (ctx.is_new(table) or is_rebuilt(table, ctx)):
                continue
            doomed.append(shown(table) if table is not None else str(ref))
            spelled.append(
                sql_shown(table.name, table.schema, ctx.dialect)
                if table is not None
                else sql_table(ref.name, ref.schema, ctx.dialect)
            )
        if not doomed:
            return
        names = ", ".join(f'"{name}"' for name in doomed)
        plural = "s" if len(doomed) > 1 else ""
        ctx.report(
            action.span,
            f"DROP TABLE {names} removes table{plural} and data that deployed code may still use",
            fix=f"drop in two phases: first release code that no longer reads or writes {names} (and archive the "
            f"data if it may be needed), then drop it in a later migration:\nDROP TABLE {', '.join(spelled)};",
        )


def shown(table: Table) -> str:
    """A table's name as a reviewer writes it: schema-qualified only outside `public`."""
    return table.name if table.schema in (None, "public") else f"{table.schema}.{table.name}"


def sql_shown(name: str, schema: str | None, dialect: str | None) -> str:
    """`shown`, spelled for a statement (`sql_table`): quotes where the dialect needs them."""
    return sql_table(name, None if schema in (None, "public") else schema, dialect)


def same_name(ctx: StatementContext, left: str, right: str) -> bool:
    """Identifier equality as the dialect sees it (MySQL table names and SQLite fold case here)."""
    return left.lower() == right.lower() if ctx.schema.case_insensitive else left == right


def is_rebuilt(table: Table, ctx: StatementContext) -> bool:
    """Whether this file replaces `table` by a copy: a table new in this migration, filled from it
    with INSERT … SELECT earlier, that is renamed to its name later — or that already holds the name
    `table` had before this file renamed it aside (`RENAME TO x_old`). SQLite cannot alter most
    things in place, so Prisma and hand-written migrations rebuild tables these ways."""
    for statement in ctx.earlier_statements:
        for action in statement.actions:
            if isinstance(action, RenameTable) and same_name(ctx, action.new_name, table.name):
                copy = ctx.table(Name(action.table.name, table.schema))
                if copy is not None and copy is not table and ctx.is_new(copy):
                    if any(_copies_into(earlier, copy, table, ctx) for earlier in ctx.earlier_statements):
                        return True
    for later in ctx.later_statements:
        for action in later.actions:
            if not isinstance(action, RenameTable) or not same_name(ctx, action.new_name, table.name):
                continue
            copy = ctx.table(action.table)
            if copy is None or not ctx.is_new(copy):
                continue
            if any(_copies_into(statement, copy, table, ctx) for statement in ctx.earlier_statements):
                return True
    return False


def _copies_into(statement: Statement, copy: Table, source: Table, ctx: StatementContext) -> bool:
    for action in statement.actions:
        if (
            isinstance(action, DataChange)
            and action.op == "insert"
            and action.from_query
            and action.table is not None
            and ctx.table(action.table) is copy
        ):
            return any(same_name(ctx, name, source.name) for name in tables_read(statement))
    return False


def tables_read(statement: Statement) -> set[str]:
    """Names of the tables a statement mentions (unqualified), from the parser's tree."""
    node = statement.node
    if isinstance(node, dict):  # pglast JSON: every table reference is a RangeVar
        names: set[str] = set()
        stack: list = [node]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                relname = item.get("relname")
                if isinstance(relname, str):
                    names.add(relname)
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
        return names
    from sqlglot import exp

    if isinstance(node, exp.Expression):
        return {table.name for table in node.find_all(exp.Table)}
    return set()

