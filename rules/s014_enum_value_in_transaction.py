from __future__ import annotations

from typing import Any

from linter import actions as a
from linter.context import StatementContext
from linter.findings import Severity
from linter.rule import Doc, Example, Rule
from rules.s012_lock_timeout_missing import _Memo, qualified, transaction_groups

_GROUPS = _Memo()
# Per statement of the file, its string constants, read when first needed: a file that adds
# many values in one transaction would otherwise walk every later statement once per value.
_LITERALS = _Memo()


class EnumValueInTransaction(Rule):
    id = "S014"
    name = "enum-value-in-transaction"
    severity = Severity.ERROR
    summary = "ALTER TYPE … ADD VALUE used in its own transaction, or inside a transaction before PostgreSQL 12."
    dialects = frozenset({"postgresql"})
    actions = (a.AddEnumValue,)
    doc = Doc(
        what="`ALTER TYPE … ADD VALUE 'x'` followed, in the same transaction, by a statement that uses the "
        "literal `'x'`; or, on PostgreSQL < 12 (`pg-version`), `ADD VALUE` inside a transaction at all. The "
        "migration tool's transaction decides what \"same transaction\" means (Prisma and golang-migrate: "
        "a multi-statement file; dbmate, Flyway, Diesel: the whole file; plain folders: BEGIN … COMMIT). An "
        "enum created in the same file is exempt (its new values are usable at once).",
        why='PostgreSQL ≥ 12 refuses to use a new enum value before the transaction that added it commits '
        '("unsafe use of new value"); PostgreSQL < 12 refuses ADD VALUE in a transaction block altogether. '
        "Either way the migration fails at deploy time.",
        instead="Add the value in one migration and use it in a later one (or, where the tool allows, put a "
        "COMMIT between them); before PostgreSQL 12, run ADD VALUE in a migration its tool runs outside a "
        "transaction.",
        bad=Example(
            "BEGIN;\nALTER TYPE status ADD VALUE 'archived';\nUPDATE orders SET status = 'archived' WHERE closed;\nCOMMIT;\n",
            before=(
                "CREATE TYPE status AS ENUM ('open', 'closed');\n"
                "CREATE TABLE orders (id bigint PRIMARY KEY, status status, closed boolean);\n",
            ),
            expect=((2, 1),),
        ),
        good=Example(
            "BEGIN;\nALTER TYPE status ADD VALUE 'archived';\nCOMMIT;\nUPDATE orders SET status = 'archived' WHERE closed;\n",
            before=(
                "CREATE TYPE status AS ENUM ('open', 'closed');\n"
                "CREATE TABLE orders (id bigint PRIMARY KEY, status status, closed boolean);\n",
            ),
        ),
    )

    def check_action(self, action: a.AddEnumValue, ctx: StatementContext) -> None:
        statement = ctx.statement
        if statement is None or not statement.in_transaction:
            return
        enum = ctx.schema.enum(action.enum)
        if enum is not None and enum.created.migration is ctx.migration:
            return  # created in this file: its values are usable within the transaction
        name = str(action.enum)
        lock = f'EXCLUSIVE on type "{name}": blocks other ADD VALUE on it; tables using the type are not locked, until commit'
        if ctx.settings.pg_version < 12:
            ctx.report(
                action.span,
                f"ALTER TYPE {name} ADD VALUE cannot run inside a transaction block before PostgreSQL 12: the migration fails",
                lock=lock,
                fix="move the statement into a migration its tool runs outside a transaction (Prisma, golang-migrate: "
                f"a file holding only it; dbmate: `-- migrate:up transaction:false`):\n{statement.text};",
            )
            return
        groups = _GROUPS.get(ctx.statements, transaction_groups)
        literals = _LITERALS.get(ctx.statements, lambda statements: [None] * len(statements))
        group = groups[ctx.position]
        for offset, later in enumerate(ctx.later_statements, start=ctx.position + 1):
            if groups[offset] != group:
                break
            if literals[offset] is None:
                literals[offset] = _string_constants(later.node)
            if action.value in literals[offset]:
                line = later.span.file.position(later.span.start).line
                ctx.report(
                    action.span,
                    f"enum value '{action.value}' of \"{name}\" is used at line {line} in the transaction that adds it: "
                    '"unsafe use of new value", the migration fails',
                    lock=lock,
                    fix=f"add the value in one migration and use it in a later one:\n"
                    f"ALTER TYPE {qualified(action.enum)} ADD VALUE IF NOT EXISTS '{action.value.replace(chr(39), chr(39) * 2)}';\n"
                    f"-- in a later migration:\n{later.text};",
                )
                return


def _string_constants(node: Any) -> set[str]:
    """The string constants a pglast JSON tree holds (not identifiers or comments)."""
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            const = item.get("A_Const")
            if isinstance(const, dict):
                value = (const.get("sval") or {}).get("sval")
                if isinstance(value, str):
                    found.add(value)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found
