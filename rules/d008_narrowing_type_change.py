"""D008: a column type change that can lose data or refuse existing values."""

from __future__ import annotations

from linter.actions import AlterColumnType
from linter.context import StatementContext
from linter.findings import Severity
from linter.pgtypes_compat import narrowing
from linter.rule import Doc, Example, Rule


class NarrowingTypeChange(Rule):
    id = "D008"
    name = "narrowing-type-change"
    severity = Severity.ERROR
    summary = "A column type change that can lose data (shorter varchar, bigint → integer, scale down, …)."
    actions = (AlterColumnType,)
    doc = Doc(
        what="`ALTER COLUMN … TYPE` (MySQL `MODIFY`/`CHANGE`) to a type that cannot hold every value of the "
        "column's current type: a shorter varchar or char, text to varchar(n), a smaller integer, signed ↔ "
        "unsigned, numeric with less scale or fewer integer digits, double → real, numeric → integer, "
        "bigint → double or integer → real and numeric → a float (rounded), a number or date written into a "
        "varchar(n) too short for its text (as each server prints it), interval → time, timestamp → date or "
        "time, fewer fractional-second digits; on MySQL also date or datetime → timestamp (1970 to 2038 only) "
        "and date ↔ time. Silent when the current type is unknown, "
        "and for a table or column created in the same change.",
        why="Depending on the database the statement fails halfway through a deploy (PostgreSQL, MySQL strict "
        "mode) or silently truncates or rounds the data (MySQL non-strict, numeric scale): either way existing "
        "values do not survive as they were.",
        instead="Check the data first (`SELECT count(*) … WHERE length(col) > n`, `… WHERE col > 2147483647`), "
        "and prefer keeping the wider type with a CHECK constraint (added NOT VALID, then validated) that "
        "enforces the new limit for new rows.",
        bad=Example(
            "ALTER TABLE orders ALTER COLUMN quantity TYPE integer;\n",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY, quantity bigint);\n",),
            expect=((1, 20),),
        ),
        good=Example(
            "ALTER TABLE orders ALTER COLUMN quantity TYPE bigint;\n",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY, quantity integer);\n",),
        ),
    )

    def check_action(self, action: AlterColumnType, ctx: StatementContext) -> None:
        table = ctx.table(action.table)
        column = table.column(action.column) if table is not None else None
        if table is None or column is None or ctx.is_new(table) or ctx.is_new(column):
            return
        why = narrowing(column.type, action.type, ctx.dialect or "postgresql")
        if why is None:
            return
        name = str(action.table)
        ctx.report(
            action.span,
            f'changing "{name}.{action.column}" from {column.type} to {action.type} can lose data: {why}',
            fix=f"count the rows that do not fit before shipping it; to keep every value, leave {column.type} "
            f"and enforce the new limit for new rows with a CHECK constraint added NOT VALID and validated later",
        )
