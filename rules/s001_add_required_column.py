from linter.actions import AddColumn
from linter.context import StatementContext
from linter.findings import Severity
from linter.locks import Lock
from linter.rule import Doc, Example, Rule
from linter.schema import Column, Domain
from rules.s002_set_not_null import ident, not_null_recipe, table_sql


def filled_with(column: Column, domains: list[Domain]) -> str | None:
    """What fills the existing rows of a column being added: its default, else that of its
    domain (or of the domain that one is over, `Schema.domains_of`), as the server fills them."""
    if column.default is not None:
        return column.default
    return next((domain.default for domain in domains if domain.default is not None), None)


def refused(column: Column, domains: list[Domain]) -> bool:
    """Whether the server cannot add the column to a table with rows: NULL where the column or
    its domain refuses NULL."""
    if column.identity is not None or column.generated is not None or filled_with(column, domains) is not None:
        return False
    return not column.nullable or any(domain.not_null for domain in domains)


class AddRequiredColumn(Rule):
    id = "S001"
    name = "add-required-column"
    severity = Severity.ERROR
    summary = "ADD COLUMN … NOT NULL without a default on an existing table fails as soon as the table has a row."
    dialects = frozenset({"postgresql"})
    actions = (AddColumn,)
    doc = Doc(
        what="`ALTER TABLE … ADD COLUMN … NOT NULL` (or PRIMARY KEY) with no `DEFAULT`, identity or generated "
        "value, on a table that existed before this migration. Tables created earlier in the same file or in "
        "the change are exempt; so are serial columns (their default is `nextval`). A column of a domain takes "
        "the domain's default and NOT NULL.",
        why="Existing rows get NULL in the new column, which the NOT NULL constraint refuses: the migration "
        "fails on any non-empty table (typically only in production, where the table has rows).",
        instead="Add the column nullable, backfill it in batches, then prove NOT NULL with a validated CHECK "
        "and `SET NOT NULL` (PostgreSQL 12+). If one constant value suits every existing row, `ADD COLUMN … "
        "NOT NULL DEFAULT <constant>` is also safe (no rewrite from PostgreSQL 11).",
        bad=Example(
            "ALTER TABLE orders ADD COLUMN customer_id bigint NOT NULL;\n",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY);\n",),
            expect=((1, 20),),
        ),
        good=Example(
            "ALTER TABLE orders ADD COLUMN customer_id bigint;\n",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY);\n",),
        ),
    )

    def check_action(self, action: AddColumn, ctx: StatementContext) -> None:
        column = action.column
        if column.default is not None or column.identity or column.generated:
            return
        domains = ctx.schema.domains_of(column.type)
        if not refused(column, domains):
            return
        if ctx.is_new_table(action.table):
            return
        table = ctx.table(action.table)
        if action.if_not_exists and table is not None and table.column(column.name) is not None:
            return  # the column is already there: PostgreSQL adds nothing
        name = str(action.table)
        t, c = table_sql(action.table), ident(column.name)
        if not column.nullable:
            required = "NOT NULL"
            fix = (
                "add it nullable, backfill, then constrain, each step in its own migration:\n"
                f"ALTER TABLE {t} ADD COLUMN {c} {column.type};\n"
                f"UPDATE {t} SET {c} = … WHERE …;  -- in batches\n"
                + not_null_recipe(action.table, column.name, ctx.settings.pg_version)
            )
        else:  # the domain refuses NULL: only a default can fill the existing rows
            required_by = next(domain for domain in domains if domain.not_null)
            required = f'of NOT NULL domain "{required_by.spelled}"'
            fix = f"give it a default that suits the existing rows:\nALTER TABLE {t} ADD COLUMN {c} {column.type} DEFAULT …;"
        ctx.report(
            action.span,
            f'ADD COLUMN "{column.name}" {required} without a default fails on existing table "{name}" once it has rows',
            lock=Lock.ACCESS_EXCLUSIVE.on(name, "until commit"),
            fix=fix,
        )
