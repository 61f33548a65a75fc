from __future__ import annotations

from linter import actions as a
from linter.context import StatementContext
from linter.findings import Severity
from linter.locks import Lock
from linter.naming import index_name, primary_key_name
from linter.rule import Doc, Example, Rule
from linter.schema import Index, PrimaryKey
from rules.s008_add_foreign_key_validating import column_without
from rules.s012_lock_timeout_missing import ident, qualified


def _unique(action: a.Action) -> list[Index | PrimaryKey]:
    """The UNIQUE / PRIMARY KEY constraints the action builds an index for."""
    if isinstance(action, a.AddConstraint):
        if action.using_index:
            return []
        item = action.constraint
        if isinstance(item, PrimaryKey) or (isinstance(item, Index) and item.constraint in ("unique", "primary")):
            return [item]
        return []
    if isinstance(action, a.AddColumn):
        return [
            item
            for item in action.constraints
            if isinstance(item, PrimaryKey) or (isinstance(item, Index) and item.constraint in ("unique", "primary"))
        ]
    return []


class AddUniqueBlocking(Rule):
    id = "S010"
    name = "add-unique-blocking"
    severity = Severity.WARNING
    summary = "ADD CONSTRAINT UNIQUE / PRIMARY KEY on an existing table builds its index under ACCESS EXCLUSIVE."
    dialects = frozenset({"postgresql"})
    actions = (a.AddConstraint, a.AddColumn)
    doc = Doc(
        what="`ALTER TABLE … ADD [CONSTRAINT …] UNIQUE (…)` or `PRIMARY KEY (…)` without `USING INDEX`, or `ADD "
        "COLUMN … UNIQUE` / `PRIMARY KEY`, on a table that existed before this migration. Tables created "
        "earlier in the same file or in the change are exempt.",
        why="The constraint's index is built inside the ALTER TABLE, under an ACCESS EXCLUSIVE lock: every read "
        "and write of the table waits until the whole table has been scanned and sorted.",
        instead="Build the index first with `CREATE UNIQUE INDEX CONCURRENTLY` (in a migration its tool runs "
        "outside a transaction), then attach it: `ALTER TABLE … ADD CONSTRAINT name UNIQUE USING INDEX name` "
        "(or `PRIMARY KEY USING INDEX`, once its columns are NOT NULL), which is instant.",
        bad=Example(
            "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);\n",
            before=("CREATE TABLE users (id bigint PRIMARY KEY, email text);\n",),
            expect=((1, 19),),
        ),
        good=Example(
            "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;\n",
            before=(
                "CREATE TABLE users (id bigint PRIMARY KEY, email text);\n",
                "CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);\n",
            ),
        ),
    )

    def check_action(self, action: a.AddConstraint | a.AddColumn, ctx: StatementContext) -> None:
        found = _unique(action)
        if not found or ctx.is_new_table(action.table):
            return
        item = found[0]
        primary = isinstance(item, PrimaryKey) or item.constraint == "primary"
        kind = "PRIMARY KEY" if primary else "UNIQUE"
        table = str(action.table)
        ctx.report(
            action.span,
            f'{kind} constraint on existing table "{table}" builds its index while reads and writes of the table wait',
            lock=Lock.ACCESS_EXCLUSIVE.on(table, "until the index is built and the transaction commits"),
            fix=f"build the index concurrently, then attach it:\n{_sequence(action, item, kind, ctx)}",
        )


def _sequence(action: a.AddConstraint | a.AddColumn, item: Index | PrimaryKey, kind: str, ctx: StatementContext) -> str:
    table = qualified(action.table)
    existing = ctx.table(action.table)
    taken = (lambda name: name in existing.constraint_names()) if existing is not None else (lambda name: False)
    if isinstance(item, PrimaryKey):
        columns = item.columns
        name = item.name or primary_key_name("postgresql", action.table.name, taken)
    else:
        columns = [element.text for element in item.elements]
        name = item.name or index_name("postgresql", action.table.name, item, taken)
    steps = []
    if isinstance(action, a.AddColumn):
        steps.append(f"ALTER TABLE {table} ADD COLUMN {column_without(action, item)};")
    listed = ", ".join(ident(column) for column in columns)
    steps.append(
        "-- in a migration its tool runs outside a transaction:\n"
        f"CREATE UNIQUE INDEX CONCURRENTLY {ident(name)} ON {table} ({listed});"
    )
    if kind == "PRIMARY KEY":
        steps.append(f"-- then, once {listed} {'is' if len(columns) == 1 else 'are'} NOT NULL:")
    steps.append(f"ALTER TABLE {table} ADD CONSTRAINT {ident(name)} {kind} USING INDEX {ident(name)};")
    return "\n".join(steps)
