"""S002, and the safe NOT NULL recipe that S001 and S003 quote too."""

from __future__ import annotations

from linter.actions import SetNotNull
from linter.context import StatementContext
from linter.findings import Severity
from linter.keywords import sql_name
from linter.locks import Lock
from linter.rule import Doc, Example, Rule
from linter.schema import POSTGRESQL, Check, Name, Table


def ident(name: str) -> str:
    """A name as PostgreSQL must spell it (`sql_name`): quoted unless it is plain lower-case and
    no keyword (`"User"`, `"offset"`)."""
    return sql_name(name, POSTGRESQL)


def table_sql(name: Name) -> str:
    return f"{ident(name.schema)}.{ident(name.name)}" if name.schema else ident(name.name)


def not_null_recipe(table: Name, column: str, pg_version: int) -> str:
    """The steps that make `column` NOT NULL without a long ACCESS EXCLUSIVE scan."""
    check = ident(f"{table.name}_{column}_not_null"[:63])
    t, c = table_sql(table), ident(column)
    steps = [
        f"ALTER TABLE {t} ADD CONSTRAINT {check} CHECK ({c} IS NOT NULL) NOT VALID;",
        f"ALTER TABLE {t} VALIDATE CONSTRAINT {check};  -- in a later transaction: reads and writes continue",
    ]
    if pg_version >= 12:
        steps += [
            f"ALTER TABLE {t} ALTER COLUMN {c} SET NOT NULL;  -- PostgreSQL 12+ trusts the validated CHECK: no scan",
            f"ALTER TABLE {t} DROP CONSTRAINT {check};",
        ]
    else:
        steps.append(
            "-- before PostgreSQL 12, SET NOT NULL always scans: keep the validated CHECK instead of SET NOT NULL"
        )
    return "\n".join(steps)


def has_validated_not_null_check(table: Table | None, column: str) -> bool:
    if table is None:
        return False
    return any(
        isinstance(check, Check) and check.validated and check.not_null_column == column
        for check in table.checks.values()
    )


class SetNotNullScan(Rule):
    id = "S002"
    name = "set-not-null"
    severity = Severity.WARNING
    summary = "SET NOT NULL on an existing table scans it under an ACCESS EXCLUSIVE lock."
    dialects = frozenset({"postgresql"})
    actions = (SetNotNull,)
    doc = Doc(
        what="`ALTER COLUMN … SET NOT NULL` on a table that existed before this migration, unless the column "
        "is already NOT NULL or (PostgreSQL 12 and later) a validated `CHECK (col IS NOT NULL)` already proves "
        "it. Tables created earlier in the same file or in the change are exempt.",
        why="PostgreSQL checks every row for NULLs while holding ACCESS EXCLUSIVE: no reads or writes of the "
        "table until the full scan ends.",
        instead="Add `CHECK (col IS NOT NULL) NOT VALID`, `VALIDATE CONSTRAINT` it in a later transaction "
        "(SHARE UPDATE EXCLUSIVE: traffic continues), then `SET NOT NULL` (PostgreSQL 12+ skips the scan "
        "because of the validated check) and drop the check.",
        bad=Example(
            "ALTER TABLE orders ALTER COLUMN note SET NOT NULL;\n",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY, note text);\n",),
            expect=((1, 20),),
        ),
        good=Example(
            "ALTER TABLE orders ALTER COLUMN note SET NOT NULL;\nALTER TABLE orders DROP CONSTRAINT orders_note_not_null;\n",
            before=(
                "CREATE TABLE orders (id bigint PRIMARY KEY, note text);\n",
                "ALTER TABLE orders ADD CONSTRAINT orders_note_not_null CHECK (note IS NOT NULL) NOT VALID;\n",
                "ALTER TABLE orders VALIDATE CONSTRAINT orders_note_not_null;\n",
            ),
        ),
    )

    def check_action(self, action: SetNotNull, ctx: StatementContext) -> None:
        if ctx.is_new_table(action.table):
            return
        table = ctx.table(action.table)
        column = table.column(action.column) if table is not None else None
        if column is not None and not column.nullable:
            return  # already NOT NULL: PostgreSQL does nothing
        version = ctx.settings.pg_version
        if version >= 12 and has_validated_not_null_check(table, action.column):
            return
        name = str(action.table)
        ctx.report(
            action.span,
            f'SET NOT NULL on "{name}.{action.column}" scans existing table "{name}" while blocking reads and writes',
            lock=Lock.ACCESS_EXCLUSIVE.on(name, "for a full scan of the table and until commit"),
            fix="prove it with a validated CHECK first, each step in its own transaction:\n"
            + not_null_recipe(action.table, action.column, version),
        )
