"""S011: ALTER COLUMN … TYPE that rewrites the table."""

from __future__ import annotations

import re

from linter.actions import AlterColumnType, SetVariable, Statement
from linter.context import StatementContext
from linter.findings import Severity
from linter.locks import Lock
from linter.pgtypes_compat import ZERO_OFFSET_ZONES, could_be_free, rewrites_table
from linter.rule import Doc, Example, Rule
from rules.s002_set_not_null import ident, table_sql

_CAST_OF_COLUMN = re.compile(r"\(*\s*(?P<col>\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)\s*\)*\s*(::.*)?", re.DOTALL)


def using_keeps_value(using: str | None, column: str) -> bool:
    """Whether a USING expression is just the column (or the column cast to the new type), which
    PostgreSQL treats like no USING at all."""
    if using is None:
        return True
    match = _CAST_OF_COLUMN.fullmatch(using.strip())
    if match is None:
        return False
    written = match["col"]
    name = written[1:-1].replace('""', '"') if written.startswith('"') else written.lower()
    return name == column


class _UtcMemo:
    """Per file, whether a zero-offset session time zone is in force at each statement; computed
    once while the engine walks the file (the rule is called per action)."""

    __slots__ = ("statements", "value")

    def __init__(self) -> None:
        self.statements: list[Statement] | None = None
        self.value: list[bool] = []

    def get(self, statements: list[Statement]) -> list[bool]:
        if self.statements is not statements:
            self.statements = statements
            utc = False
            self.value = []
            for statement in statements:
                self.value.append(utc)
                for action in statement.actions:
                    if isinstance(action, SetVariable) and action.name == "timezone":
                        utc = (action.value or "").strip().lower() in ZERO_OFFSET_ZONES
        return self.value


_UTC = _UtcMemo()


def utc_session(ctx: StatementContext) -> bool:
    """PostgreSQL 12+ with `SET timezone = 'UTC'` (or another zero-offset zone) earlier in the file."""
    if ctx.settings.pg_version < 12 or not ctx.statements:
        return False
    in_force = _UTC.get(ctx.statements)
    return ctx.position < len(in_force) and in_force[ctx.position]


class AlterColumnTypeRewrite(Rule):
    id = "S011"
    name = "alter-column-type"
    severity = Severity.ERROR
    summary = "ALTER COLUMN … TYPE that rewrites an existing table under ACCESS EXCLUSIVE."
    dialects = frozenset({"postgresql"})
    actions = (AlterColumnType,)
    doc = Doc(
        what="`ALTER COLUMN … TYPE` on a table that existed before this migration, unless the change is binary "
        "compatible: varchar(n) to a longer varchar, varchar or text, text to unlimited varchar, numeric(p,s) "
        "to a larger precision at the same scale or to unconstrained numeric, cidr to inet, a wider "
        "timestamp/time/interval/bit varying precision. `timestamp` to `timestamptz` (and back) counts as a "
        "rewrite unless the file sets a zero-offset time zone first (`SET timezone = 'UTC'`) and `pg-version` "
        "is 12 or later: the server's default time zone cannot be known. When the column's current type is unknown, only target types no change reaches for free "
        "are reported.",
        why="PostgreSQL rewrites every row and rebuilds every index of the table while holding ACCESS "
        "EXCLUSIVE: no reads or writes for the whole rewrite.",
        instead="Expand and contract: add a new column of the new type, keep it in sync for new writes "
        "(trigger or application), backfill it in batches, switch readers over, then drop the old column "
        "(or swap names in one short transaction).",
        bad=Example(
            "ALTER TABLE orders ALTER COLUMN quantity TYPE bigint;\n",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY, quantity integer);\n",),
            expect=((1, 20),),
        ),
        good=Example(
            "ALTER TABLE orders ALTER COLUMN note TYPE varchar(500);\n",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY, note varchar(200));\n",),
        ),
    )

    def check_action(self, action: AlterColumnType, ctx: StatementContext) -> None:
        if ctx.is_new_table(action.table):
            return
        table = ctx.table(action.table)
        column = table.column(action.column) if table is not None else None
        keeps = using_keeps_value(action.using, action.column)
        name = str(action.table)
        if column is None:
            if keeps and could_be_free(action.type):
                return  # the current type is unknown and may well reach this one for free
            change = f"to {action.type}"
        else:
            if not rewrites_table(column.type, action.type, keeps, utc_session(ctx)):
                return
            change = f"{column.type} → {action.type}"
        t, old, new = table_sql(action.table), ident(action.column), ident(f"{action.column}_new")
        ctx.report(
            action.span,
            f'ALTER COLUMN "{action.column}" TYPE rewrites existing table "{name}" ({change})',
            lock=Lock.ACCESS_EXCLUSIVE.on(name, "for the whole table rewrite and until commit"),
            fix="expand and contract over several migrations instead of rewriting in place:\n"
            f"ALTER TABLE {t} ADD COLUMN {new} {action.type};\n"
            f"-- keep {new} in sync for new writes (trigger or application), then backfill in batches:\n"
            f"UPDATE {t} SET {new} = {action.using or old} WHERE {new} IS NULL AND …;\n"
            f"-- switch readers to {new}; then, in one short transaction:\n"
            f"ALTER TABLE {t} RENAME COLUMN {old} TO {ident(action.column + '_old')};\n"
            f"ALTER TABLE {t} RENAME COLUMN {new} TO {old};",
        )
