from linter.actions import (
    Action,
    AddColumn,
    CreateIndex,
    CreateSchema,
    CreateTable,
    DropColumn,
    DropConstraint,
    DropDomain,
    DropIndex,
    DropSchema,
    DropTable,
    DropType,
    DropView,
)
from linter.context import StatementContext
from linter.findings import Severity
from linter.rule import Doc, Example, Rule

# What each dialect can guard: flagging a statement the database cannot write idempotently
# would leave nothing to do. MySQL 8 has no IF [NOT] EXISTS for CREATE/DROP INDEX, ADD/DROP
# COLUMN or DROP CONSTRAINT (MariaDB has; a MariaDB project is read as MySQL, so it is spared
# rather than told to write what MySQL rejects). PostgreSQL has no CREATE TYPE IF NOT EXISTS.
_GUARDABLE: dict[str, tuple[type[Action], ...]] = {
    "postgresql": (CreateTable, CreateIndex, CreateSchema, AddColumn, DropTable, DropIndex, DropSchema, DropType, DropDomain, DropView, DropColumn, DropConstraint),
    "mysql": (CreateTable, CreateSchema, DropTable, DropSchema, DropView),
}

_WHAT = {
    CreateTable: ("CREATE TABLE", "IF NOT EXISTS"),
    CreateIndex: ("CREATE INDEX", "IF NOT EXISTS"),
    CreateSchema: ("CREATE SCHEMA", "IF NOT EXISTS"),
    AddColumn: ("ADD COLUMN", "IF NOT EXISTS"),
    DropTable: ("DROP TABLE", "IF EXISTS"),
    DropIndex: ("DROP INDEX", "IF EXISTS"),
    DropSchema: ("DROP SCHEMA", "IF EXISTS"),
    DropType: ("DROP TYPE", "IF EXISTS"),
    DropDomain: ("DROP DOMAIN", "IF EXISTS"),
    DropView: ("DROP VIEW", "IF EXISTS"),
    DropColumn: ("DROP COLUMN", "IF EXISTS"),
    DropConstraint: ("DROP CONSTRAINT", "IF EXISTS"),
}


class NonIdempotentDdl(Rule):
    id = "R008"
    name = "non-idempotent-ddl"
    severity = Severity.INFO
    default_on = False
    summary = "CREATE without IF NOT EXISTS, or DROP without IF EXISTS, fails when run twice."
    dialects = frozenset({"postgresql", "mysql"})
    actions = tuple(_WHAT)
    doc = Doc(
        what="A statement that fails when the migration is run a second time: `CREATE TABLE`, `CREATE INDEX`, "
        "`CREATE SCHEMA` or `ALTER TABLE … ADD COLUMN` without `IF NOT EXISTS`; `DROP TABLE`, `DROP INDEX`, "
        "`DROP SCHEMA`, `DROP TYPE`, `DROP DOMAIN`, `DROP VIEW`, `DROP COLUMN` or `DROP CONSTRAINT` without `IF EXISTS`. "
        "Only what the dialect can guard is flagged: PostgreSQL has no `CREATE TYPE IF NOT EXISTS`, and MySQL 8 "
        "has no guard on index, column or constraint statements, so those are not flagged there. Temporary "
        "tables and down migrations are exempt. Off by default: tools that record applied migrations never "
        "run one twice.",
        why="A migration that stops halfway on a database without transactional DDL (MySQL), or one run by hand "
        "or by a tool that does not record what it applied, must be re-run; a bare CREATE or DROP then fails "
        "on what the first run already did.",
        instead="Guard the statement: `CREATE TABLE IF NOT EXISTS …`, `DROP INDEX IF EXISTS …`, "
        "`ALTER TABLE … ADD COLUMN IF NOT EXISTS …`.",
        bad=Example(
            "CREATE TABLE orders (id bigint PRIMARY KEY);\nDROP TABLE old_orders;\n",
            before=("CREATE TABLE old_orders (id bigint PRIMARY KEY);\n",),
            expect=((1, 1), (2, 1)),
        ),
        good=Example(
            "CREATE TABLE IF NOT EXISTS orders (id bigint PRIMARY KEY);\nDROP TABLE IF EXISTS old_orders;\n",
            before=("CREATE TABLE old_orders (id bigint PRIMARY KEY);\n",),
        ),
    )

    def check_action(self, action: Action, ctx: StatementContext) -> None:
        if not isinstance(action, _GUARDABLE.get(ctx.dialect or "", ())):
            return
        if isinstance(action, CreateTable) and action.temporary:
            return  # gone with the session that created it
        guarded = action.if_not_exists if isinstance(action, (CreateTable, CreateIndex, CreateSchema, AddColumn)) else action.if_exists
        if guarded:
            return
        statement, guard = _WHAT[type(action)]
        ctx.report(
            action.span,
            f"{statement} without {guard} fails if the migration runs again",
            fix=f"write {statement} {guard}",
        )
