"""S004: ADD COLUMN that makes PostgreSQL rewrite the whole table."""

from __future__ import annotations

import re
from typing import ClassVar

from linter.actions import AddColumn
from linter.context import StatementContext
from linter.findings import Severity
from linter.locks import Lock
from linter.rule import Doc, Example, Option, Rule
from linter.schema import Column, Domain
from rules.s001_add_required_column import filled_with, refused
from rules.s002_set_not_null import ident, table_sql

# Built-in and common extension functions marked VOLATILE: a default calling one is evaluated
# for every existing row, so PostgreSQL rewrites the table. now(), CURRENT_TIMESTAMP,
# transaction_timestamp() and statement_timestamp() are STABLE: evaluated once, no rewrite.
_VOLATILE = (
    "random",
    "gen_random_uuid",
    "gen_random_bytes",
    "uuid_generate_v1",
    "uuid_generate_v1mc",
    "uuid_generate_v4",
    "uuid_generate_v7",
    "uuidv4",
    "uuidv7",
    "clock_timestamp",
    "timeofday",
    "nextval",
    "random_normal",
    "txid_current",
    "pg_current_xact_id",
)
_CALL = re.compile(r"([A-Za-z_][A-Za-z0-9_$]*)\s*\(")
_NULL = re.compile(r"\(*\s*null\s*\)*(\s*::.*)?", re.IGNORECASE)


def _volatile_call(default: str, volatile: frozenset[str]) -> str | None:
    for match in _CALL.finditer(_without_literals(default)):
        name = match.group(1).lower()
        if name in volatile:
            return name
    return None


def _without_literals(text: str) -> str:
    """The text with string literals blanked, so `'random(x)'` is not a call."""
    return re.sub(r"'(?:[^']|'')*'", "''", text)


def _rewrite_reason(column: Column, domains: list[Domain], pg_version: int, volatile: frozenset[str]) -> str | None:
    if column.generated is not None:
        return "a stored generated column is computed for every existing row"
    if column.identity is not None:
        return "an identity column numbers every existing row"
    constrained = next((domain for domain in domains if domain.constrained), None)
    if constrained is not None:
        return f'every existing row is written to check the constraints of domain "{constrained.spelled}"'
    default = filled_with(column, domains)
    if default is None or _NULL.fullmatch(default.strip()):
        return None
    if "nextval(" in default.lower().replace(" ", ""):
        return "a serial column numbers every existing row"
    called = _volatile_call(default, volatile)
    if called is not None:
        return f"the volatile default {called}() is evaluated for every existing row"
    if pg_version < 11:
        return f"before PostgreSQL 11 any non-null default is written into every existing row (PostgreSQL {pg_version})"
    return None


class RewriteOnAddColumn(Rule):
    id = "S004"
    name = "rewrite-on-add-column"
    severity = Severity.WARNING
    summary = "ADD COLUMN with a volatile default, a generated/serial/identity value rewrites the whole table."
    dialects = frozenset({"postgresql"})
    actions = (AddColumn,)
    options: ClassVar[dict[str, Option]] = {
        "volatile-functions": Option(
            [], "more function names (for example your own VOLATILE functions) whose use as a default rewrites"
        )
    }
    doc = Doc(
        what="`ADD COLUMN` on a table that existed before this migration with a volatile default "
        "(`random()`, `gen_random_uuid()`, `uuid_generate_v4()`, `clock_timestamp()`, `nextval(…)`, …), a "
        "stored generated column, or a serial/identity column; before PostgreSQL 11 (`pg-version`) any "
        "non-null default. Constant and stable defaults (`now()`, `CURRENT_TIMESTAMP`) are free from 11. A "
        "column of a domain takes the domain's default, and a domain with CHECK or NOT NULL constraints makes "
        "PostgreSQL write every row to check them.",
        why="PostgreSQL computes the value for every existing row and rewrites the table and all its indexes "
        "while holding ACCESS EXCLUSIVE: no reads or writes until the rewrite ends.",
        instead="Add the column without the default (or with a constant one), set the default for new rows "
        "with `ALTER COLUMN … SET DEFAULT`, and backfill existing rows in batches.",
        bad=Example(
            "ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();\n",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY);\n",),
            expect=((1, 20),),
        ),
        good=Example(
            "ALTER TABLE orders ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();\n",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY);\n",),
        ),
    )

    def check_action(self, action: AddColumn, ctx: StatementContext) -> None:
        column = action.column
        domains = ctx.schema.domains_of(column.type)
        if column.default is None and column.generated is None and column.identity is None and not domains:
            return
        if ctx.is_new_table(action.table):
            return
        table = ctx.table(action.table)
        if action.if_not_exists and table is not None and table.column(column.name) is not None:
            return
        if refused(column, domains):
            return  # nothing is rewritten: the statement fails (S001)
        volatile = frozenset(_VOLATILE) | {str(name).lower() for name in ctx.options.get("volatile-functions", [])}
        reason = _rewrite_reason(column, domains, ctx.settings.pg_version, volatile)
        if reason is None:
            return
        name = str(action.table)
        ctx.report(
            action.span,
            f'ADD COLUMN "{column.name}" rewrites existing table "{name}": {reason}',
            lock=Lock.ACCESS_EXCLUSIVE.on(name, "for the whole table rewrite and until commit"),
            fix=_fix(action, column, domains),
        )


def _fix(action: AddColumn, column: Column, domains: list[Domain]) -> str:
    t, c = table_sql(action.table), ident(column.name)
    if domains and (column.default is None or any(domain.constrained for domain in domains)):
        return (
            "add a column of the domain's base type instead, which rewrites nothing, and backfill it in batches "
            "(a table CHECK, added NOT VALID and then validated, can hold what the domain checks):\n"
            f"ALTER TABLE {t} ADD COLUMN {c} {domains[-1].base_type};\n"
            f"UPDATE {t} SET {c} = … WHERE …;  -- in batches"
        )
    if column.generated is not None or column.identity is not None or "nextval(" in (column.default or ""):
        value = f"GENERATED ALWAYS AS {column.generated} STORED" if column.generated else "a serial/identity value"
        return (
            "add a plain nullable column, fill it in batches, and keep it filled for new rows (trigger or "
            f"application) instead of {value}:\n"
            f"ALTER TABLE {t} ADD COLUMN {c} {column.type};\n"
            f"UPDATE {t} SET {c} = … WHERE …;  -- in batches"
        )
    return (
        "add the column without the default, give new rows the default, then backfill existing rows in batches:\n"
        f"ALTER TABLE {t} ADD COLUMN {c} {column.type};\n"
        f"ALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT {column.default};\n"
        f"UPDATE {t} SET {c} = {column.default} WHERE {c} IS NULL AND …;  -- in batches"
        + ("\n-- then make it NOT NULL with a validated CHECK (see S002)" if not column.nullable else "")
    )
