"""S008, and what S009 shares with it: a constraint that checks every existing row while the
table is locked, and the NOT VALID + VALIDATE sequence that replaces it."""

from __future__ import annotations

from linter import actions as a
from linter.context import StatementContext
from linter.findings import Edit, Severity
from linter.migrations import TxMode
from linter.locks import Lock
from linter.naming import check_name, foreign_key_name
from linter.rule import Doc, Example, Rule
from linter.schema import Check, ForeignKey
from rules.s012_lock_timeout_missing import ident, qualified

_LATER = "-- in a later migration (its own transaction): checks the rows without blocking writes\n"


def validating(action: a.Action, kind: type) -> list[ForeignKey | Check]:
    """The constraints of `kind` the action adds that PostgreSQL validates on the spot."""
    if isinstance(action, a.AddConstraint):
        return [action.constraint] if isinstance(action.constraint, kind) and not action.not_valid else []
    if isinstance(action, a.AddColumn):
        return [item for item in action.constraints if isinstance(item, kind)]
    return []


def constraint_name(item: ForeignKey | Check, action: a.Action, ctx: StatementContext) -> str:
    """The name as written, or the one PostgreSQL will generate."""
    if item.name:
        return item.name
    table = ctx.table(action.table)
    taken = (lambda name: name in table.constraint_names()) if table is not None else (lambda name: False)
    if isinstance(item, ForeignKey):
        return foreign_key_name("postgresql", action.table.name, item.columns, taken, 0)
    return check_name("postgresql", action.table.name, item.columns, taken)


def column_without(action: a.AddColumn, item: ForeignKey | Check) -> str:
    """`ADD COLUMN …` as written, without the inline constraint that validates."""
    column, text = action.column, action.span.file.text
    if column.span is None or item.span is None or not column.span.start <= item.span.start <= column.span.end:
        return f"{ident(column.name)} {column.type}"
    kept = text[column.span.start : item.span.start] + text[item.span.end : column.span.end]
    return " ".join(kept.split())


def not_valid_sequence(action: a.Action, item: ForeignKey | Check, definition: str, ctx: StatementContext) -> str:
    """The NOT VALID + VALIDATE statements that add `item` without a long lock."""
    table = qualified(action.table)
    name = ident(constraint_name(item, action, ctx))
    steps = []
    if isinstance(action, a.AddColumn):
        steps.append(f"ALTER TABLE {table} ADD COLUMN {column_without(action, item)};")
    steps.append(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition} NOT VALID;")
    return "\n".join(steps) + "\n" + _LATER + f"ALTER TABLE {table} VALIDATE CONSTRAINT {name};"


def not_valid_edits(action: a.Action, item: ForeignKey | Check, ctx: StatementContext) -> tuple[Edit, ...]:
    """For --fix: `NOT VALID` on the sub-command and a VALIDATE statement right after it.

    Only where every statement runs in its own transaction (the tool does not wrap the file):
    inside one transaction the VALIDATE would scan under the lock the ADD still holds, and
    nothing would be gained. An ADD COLUMN … REFERENCES has no NOT VALID form: advice only."""
    statement, migration = ctx.statement, ctx.migration
    if not isinstance(action, a.AddConstraint) or statement is None or migration is None:
        return ()
    if statement.in_transaction or migration.tx is not TxMode.NONE:
        return ()
    file = statement.span.file
    text = file.text
    after = statement.span.end
    while after < len(text) and text[after] in " \t":
        after += 1
    terminator = ";" if after < len(text) and text[after] == ";" else ""
    insert_at = after + 1 if terminator else statement.span.end
    newline = "\r\n" if "\r\n" in text else ("\r" if "\r" in text else "\n")
    name = ident(constraint_name(item, action, ctx))
    validate = f"ALTER TABLE {qualified(action.table)} VALIDATE CONSTRAINT {name};"
    return (
        Edit(file.path, action.span.end, action.span.end, " NOT VALID"),
        Edit(file.path, insert_at, insert_at, ("" if terminator else ";") + newline + validate),
    )


def _references(item: ForeignKey) -> str:
    columns = ", ".join(ident(column) for column in item.columns)
    text = f"FOREIGN KEY ({columns}) REFERENCES {qualified(item.ref_table)}"
    if item.ref_columns:
        text += " (" + ", ".join(ident(column) for column in item.ref_columns) + ")"
    if item.on_delete and item.on_delete != "no action":
        text += f" ON DELETE {item.on_delete.upper()}"
    if item.on_update and item.on_update != "no action":
        text += f" ON UPDATE {item.on_update.upper()}"
    return text


class AddForeignKeyValidating(Rule):
    id = "S008"
    name = "add-foreign-key-validating"
    severity = Severity.WARNING
    summary = "A foreign key added to an existing table without NOT VALID checks every row under lock."
    dialects = frozenset({"postgresql"})
    actions = (a.AddConstraint, a.AddColumn)
    doc = Doc(
        what="`ALTER TABLE … ADD [CONSTRAINT …] FOREIGN KEY` without `NOT VALID`, or `ADD COLUMN … REFERENCES`, "
        "on a table that existed before this migration. Tables created earlier in the same file or in the "
        "change are exempt.",
        why="Adding a foreign key takes SHARE ROW EXCLUSIVE on both the table and the table it references, and "
        "holds it while every existing row is checked: inserts, updates and deletes on both tables wait "
        "for the whole scan (with ADD COLUMN, the table's own lock is ACCESS EXCLUSIVE: reads wait too).",
        instead="Add the constraint `NOT VALID` (instant: only new rows are checked), then run `ALTER TABLE … "
        "VALIDATE CONSTRAINT` in a later migration, in its own transaction: validation takes only SHARE "
        "UPDATE EXCLUSIVE, so reads and writes go on while it scans.",
        bad=Example(
            "ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey\n"
            "  FOREIGN KEY (customer_id) REFERENCES customers (id);\n",
            before=(
                "CREATE TABLE customers (id bigint PRIMARY KEY);\n"
                "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);\n",
            ),
            expect=((1, 20),),
        ),
        good=Example(
            "ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey\n"
            "  FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;\n",
            before=(
                "CREATE TABLE customers (id bigint PRIMARY KEY);\n"
                "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);\n",
            ),
        ),
    )

    def check_action(self, action: a.AddConstraint | a.AddColumn, ctx: StatementContext) -> None:
        found = validating(action, ForeignKey)
        if not found or ctx.is_new_table(action.table):
            return
        item = found[0]
        table, referenced = str(action.table), str(item.ref_table)
        both = f'"{table}"' if referenced == table else f'"{table}" and "{referenced}"'
        if isinstance(action, a.AddColumn):
            lock = (
                f'{Lock.ACCESS_EXCLUSIVE.mode} on "{table}" (blocks reads and writes) and '
                f'{Lock.SHARE_ROW_EXCLUSIVE.mode} on "{referenced}" (blocks its writes), '
                f'while every row of "{table}" is checked and until commit'
            )
            if referenced == table:
                lock = Lock.ACCESS_EXCLUSIVE.on(table, "while every row is checked and until commit")
        else:
            lock = (
                f"{Lock.SHARE_ROW_EXCLUSIVE.mode} on {both}: {Lock.SHARE_ROW_EXCLUSIVE.blocks}"
                f'{", on both" if referenced != table else ""}, while every row of "{table}" is checked and until commit'
            )
        ctx.report(
            action.span,
            f'foreign key on existing table "{table}" is validated at once: writes to {both} wait while every row is checked',
            lock=lock,
            fix="add the foreign key NOT VALID, then validate it in a later migration:\n"
            + not_valid_sequence(action, item, _references(item), ctx),
            edits=not_valid_edits(action, item, ctx),
        )
