"""S003: one migration that both expands (adds or backfills a column) and contracts (makes it
NOT NULL or constrains it) on an existing table."""

from __future__ import annotations

from linter import actions as a
from linter.context import StatementContext
from linter.findings import Severity
from linter.locks import Lock, lock_for
from linter.records import Record
from linter.rule import Doc, Example, Rule
from linter.schema import Check, ForeignKey, Index, Name, PrimaryKey, Schema
from rules.s002_set_not_null import ident, not_null_recipe, table_sql


class _Expansion(Record, frozen=True):
    statement: int  # index of the statement in the file
    action: int  # index of the action in that statement
    how: str  # "added" | "backfilled"
    filled: bool  # the column holds values other than NULL afterwards


class _Memo:
    """The expansions of one file, computed once while the engine walks its statements (the
    rule is called per action: rescanning the file each time would be quadratic)."""

    __slots__ = ("statements", "value")

    def __init__(self) -> None:
        self.statements: list[a.Statement] | None = None
        self.value: dict[tuple[str, str], list[_Expansion]] = {}

    def get(self, statements: list[a.Statement], schema: Schema) -> dict[tuple[str, str], list[_Expansion]]:
        if self.statements is not statements:
            self.statements = statements
            self.value = _expansions(statements, schema)
        return self.value


_MEMO = _Memo()


def _key(schema: Schema, table: Name) -> str:
    return schema.table_key(table) or str(table).lower()


def _updated_columns(statement: a.Statement) -> list[str]:
    node = statement.node if isinstance(statement.node, dict) else {}
    names = []
    for target in node.get("targetList") or ():
        name = target.get("ResTarget", {}).get("name") if isinstance(target, dict) else None
        if name:
            names.append(name)
    return names


def _expansions(statements: list[a.Statement], schema: Schema) -> dict[tuple[str, str], list[_Expansion]]:
    found: dict[tuple[str, str], list[_Expansion]] = {}
    for position, statement in enumerate(statements):
        for index, action in enumerate(statement.actions):
            if isinstance(action, a.AddColumn):
                filled = action.column.default is not None or action.column.generated is not None
                entry = _Expansion(position, index, "added", filled)
                found.setdefault((_key(schema, action.table), action.column.name), []).append(entry)
            elif isinstance(action, a.DataChange) and action.op == "update" and action.table is not None:
                for column in _updated_columns(statement):
                    entry = _Expansion(position, index, "backfilled", True)
                    found.setdefault((_key(schema, action.table), column), []).append(entry)
    return found


def _constrained_columns(action: a.Action) -> tuple[list[str], bool]:
    """The columns a contract step constrains, and whether it can fail on all-NULL values
    (NOT NULL, CHECK, PRIMARY KEY can; a foreign key or UNIQUE on NULLs always passes)."""
    if isinstance(action, a.SetNotNull):
        return [action.column], True
    if not isinstance(action, a.AddConstraint) or action.not_valid or action.using_index:
        return [], False
    constraint = action.constraint
    if isinstance(constraint, Check):
        return (constraint.columns or ([constraint.not_null_column] if constraint.not_null_column else [])), True
    if isinstance(constraint, PrimaryKey):
        return list(constraint.columns), True
    if isinstance(constraint, ForeignKey):
        return list(constraint.columns), False
    if isinstance(constraint, Index):
        return constraint.column_names, False
    return [], False


class ExpandAndContractInOne(Rule):
    id = "S003"
    name = "expand-and-contract-in-one"
    severity = Severity.WARNING
    summary = "One migration adds or backfills a column and makes it NOT NULL or constrains it on an existing table."
    dialects = frozenset({"postgresql"})
    actions = (a.SetNotNull, a.AddConstraint)
    doc = Doc(
        what="In one migration file, on a table that existed before it: a column is added (`ADD COLUMN`) or "
        "backfilled (`UPDATE … SET col = …`), and later made NOT NULL or given a validated CHECK or primary key "
        "(or, once it holds values, a foreign key or UNIQUE constraint). Reported at the contract step. "
        "`NOT VALID` constraints and `USING INDEX` are not contract steps; tables created in the same file or "
        "change are exempt.",
        why="The expand, backfill and contract steps each need running code to have caught up with the previous "
        "one; shipped together, the backfill runs under the DDL's locks, old application versions still write "
        "NULLs while the constraint lands, and a failure anywhere rolls back (or half-applies) the whole change.",
        instead="Three releases: add the column nullable (code starts writing it); backfill existing rows in "
        "batches; then add the constraint safely (CHECK … NOT VALID, VALIDATE, SET NOT NULL).",
        bad=Example(
            "ALTER TABLE orders ADD COLUMN region text;\n"
            "UPDATE orders SET region = 'eu' WHERE region IS NULL;\n"
            "ALTER TABLE orders ALTER COLUMN region SET NOT NULL;\n",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY);\n",),
            expect=((3, 20),),
        ),
        good=Example(
            "ALTER TABLE orders ADD COLUMN region text;\n",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY);\n",),
        ),
    )

    def check_action(self, action: a.SetNotNull | a.AddConstraint, ctx: StatementContext) -> None:
        columns, fails_on_null = _constrained_columns(action)
        if not columns or ctx.is_new_table(action.table) or ctx.statement is None:
            return
        expansions = _MEMO.get(ctx.statements, ctx.schema)
        here = next((i for i, x in enumerate(ctx.statement.actions) if x is action), len(ctx.statement.actions))
        key = _key(ctx.schema, action.table)
        for column in columns:
            earlier = [e for e in expansions.get((key, column), ()) if (e.statement, e.action) < (ctx.position, here)]
            if earlier and (fails_on_null or any(e.filled for e in earlier)):
                hows = dict.fromkeys(e.how for e in earlier)  # in file order, once each
                self._report(action, ctx, column, " and ".join(hows))
                return

    def _report(self, action: a.Action, ctx: StatementContext, column: str, how: str) -> None:
        name = str(action.table)
        step = "made NOT NULL" if isinstance(action, a.SetNotNull) else "constrained"
        lock = lock_for(action) or Lock.ACCESS_EXCLUSIVE
        t, c = table_sql(action.table), ident(column)
        ctx.report(
            action.span,
            f'column "{name}.{column}" is {how}, then {step} in the same migration on existing table "{name}": '
            "ship expand, backfill and contract separately",
            lock=lock.on(name, "until commit, over the backfill and the constraint check"),
            fix="split it into three migrations, each released after the code has caught up:\n"
            f"1. ALTER TABLE {t} ADD COLUMN {c} …;  -- nullable, no volatile default\n"
            f"2. UPDATE {t} SET {c} = … WHERE {c} IS NULL AND …;  -- backfill in batches\n"
            "3. then the constraint, validated without a long lock:\n"
            + (
                not_null_recipe(action.table, column, ctx.settings.pg_version)
                if isinstance(action, a.SetNotNull)
                else "ADD CONSTRAINT … NOT VALID, then VALIDATE CONSTRAINT in a later transaction"
            ),
        )
