from __future__ import annotations

from linter import actions as a
from linter.context import StatementContext
from linter.findings import Severity
from linter.locks import Lock
from linter.rule import Doc, Example, Rule
from linter.schema import Check
from rules.s008_add_foreign_key_validating import not_valid_edits, not_valid_sequence, validating


class AddCheckValidating(Rule):
    id = "S009"
    name = "add-check-validating"
    severity = Severity.WARNING
    summary = "A CHECK constraint added to an existing table without NOT VALID scans it under ACCESS EXCLUSIVE."
    dialects = frozenset({"postgresql"})
    actions = (a.AddConstraint, a.AddColumn)
    doc = Doc(
        what="`ALTER TABLE … ADD [CONSTRAINT …] CHECK (…)` without `NOT VALID`, or `ADD COLUMN … CHECK (…)`, on a "
        "table that existed before this migration. Tables created earlier in the same file or in the change "
        "are exempt.",
        why="Adding a CHECK constraint takes ACCESS EXCLUSIVE on the table and holds it while every existing "
        "row is checked: all reads and writes of the table wait for the whole scan.",
        instead="Add the constraint `NOT VALID` (instant: only new rows are checked), then run `ALTER TABLE … "
        "VALIDATE CONSTRAINT` in a later migration, in its own transaction: validation takes only SHARE "
        "UPDATE EXCLUSIVE, so reads and writes go on while it scans.",
        bad=Example(
            "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);\n",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);\n",),
            expect=((1, 20),),
        ),
        good=Example(
            "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID;\n",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);\n",),
        ),
    )

    def check_action(self, action: a.AddConstraint | a.AddColumn, ctx: StatementContext) -> None:
        found = validating(action, Check)
        if not found or ctx.is_new_table(action.table):
            return
        item = found[0]
        table = str(action.table)
        ctx.report(
            action.span,
            f'CHECK constraint on existing table "{table}" is validated at once: reads and writes wait while every row is checked',
            lock=Lock.ACCESS_EXCLUSIVE.on(table, "while every row is checked and until commit"),
            fix="add the CHECK NOT VALID, then validate it in a later migration:\n"
            + not_valid_sequence(action, item, f"CHECK {_parenthesized(item.expression)}", ctx),
            edits=not_valid_edits(action, item, ctx),
        )


def _parenthesized(expression: str) -> str:
    """The expression inside one pair of parentheses, as CHECK needs them."""
    text = expression.strip()
    if text.startswith("(") and text.endswith(")"):
        depth = 0
        for position, char in enumerate(text):
            depth += char == "("
            depth -= char == ")"
            if depth == 0:
                if position == len(text) - 1:
                    return text
                break
    return f"({text})"
