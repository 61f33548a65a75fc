from linter.actions import AddColumn, AddConstraint, CreateIndex, DropColumn, DropConstraint, DropIndex, DropTable
from linter.context import StatementContext
from linter.findings import Severity
from linter.rule import Doc, Example, Rule
from linter.schema import Check, ForeignKey, Index, Table
from rules.d001_drop_table import same_name, shown

# PostgreSQL's generated constraint names, for tables the history never created.
_SUFFIX_KINDS = (("_fkey", "foreign"), ("_key", "unique"), ("_check", "check"))
_KIND_WORDS = {"foreign": "foreign key", "unique": "unique constraint", "check": "check constraint"}


class DropConstraintRule(Rule):
    id = "D010"
    name = "drop-constraint"
    severity = Severity.WARNING
    summary = "Dropping a foreign key, unique or check constraint weakens the data's integrity."
    actions = (DropConstraint, DropIndex)
    doc = Doc(
        what="`DROP CONSTRAINT` of a foreign key, unique or check constraint (MySQL `DROP FOREIGN KEY`, `DROP "
        "CHECK`), and `DROP INDEX` of a unique index — the form Prisma gives `@unique` in PostgreSQL, and how MySQL "
        "and SQLite drop a unique key. The name is resolved against the schema the history built; for a table the "
        "history never created, PostgreSQL's generated suffixes (`_fkey`, `_key`, `_check`) tell. Silent when "
        "the constraint or its table is new in this migration or change, when the same migration adds the same "
        "kind of constraint back on the same columns (a rename or a change of ON DELETE), and when it drops one "
        "of the constrained columns or the table later (D002 / D001 judge that). Primary keys are not covered: "
        "replacing one is the usual reason to drop it.",
        why="The database stops rejecting orphans, duplicates or invalid values; rows written meanwhile may make "
        "restoring the constraint impossible without cleaning data first.",
        instead="Make sure the application enforces the rule or that it is really obsolete; to change a "
        "constraint, add the new one first (NOT VALID, then VALIDATE) and drop the old one afterwards.",
        bad=Example(
            "ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey;\n",
            before=(
                "CREATE TABLE customers (id bigint PRIMARY KEY);\n"
                "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id));\n",
            ),
            expect=((1, 20),),
        ),
        good=Example(
            "ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey,\n"
            "  ADD CONSTRAINT orders_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) "
            "ON DELETE CASCADE;\n",
            before=(
                "CREATE TABLE customers (id bigint PRIMARY KEY);\n"
                "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id));\n",
            ),
        ),
    )

    def check_action(self, action: DropConstraint | DropIndex, ctx: StatementContext) -> None:
        if isinstance(action, DropIndex):
            for ref in action.indexes:
                found = self._unique_index(action, ref, ctx)
                if found is not None:
                    self._judge(action, found[0], found[1], "unique", ctx)
            return
        table = ctx.table(action.table)
        if table is None:
            kind = action.kind or next((k for suffix, k in _SUFFIX_KINDS if action.name.endswith(suffix)), None)
            if kind in _KIND_WORDS and not action.if_exists:
                self._report(action, str(action.table), action.name, kind, ctx)
            return
        if ctx.is_new(table):
            return
        constraint, kind = _resolve(table, action.name)
        if constraint is None:
            return  # not one the history knows (or a primary key): nothing to say about its kind
        self._judge(action, table, constraint, kind, ctx)

    def _unique_index(self, action: DropIndex, ref, ctx: StatementContext) -> tuple[Table, Index] | None:
        if action.table is not None:  # MySQL: DROP INDEX name ON table
            table = ctx.table(action.table)
            index = table.indexes.get(ref.name) if table is not None else None
            found = (table, index) if table is not None and index is not None else None
        else:
            found = ctx.schema.find_index(ref)
        if found is None or not found[1].unique or found[1].constraint == "primary":
            return None
        return found

    def _judge(self, action, table: Table, constraint: ForeignKey | Check | Index, kind: str, ctx) -> None:
        if ctx.is_new(table) or ctx.is_new(constraint):
            return
        name = constraint.name or ""
        if _replaced_or_dropped_later(action, table, name, kind, list(constraint.columns), ctx):
            return
        self._report(action, shown(table), name, kind, ctx)

    def _report(self, action, table: str, name: str, kind: str, ctx: StatementContext) -> None:
        word = _KIND_WORDS[kind]
        ctx.report(
            action.span,
            f'dropping {word} "{name}" of "{table}" lets rows that break it in',
            fix=f"drop {word} {name} only once the application enforces the rule or it is obsolete; to change it, "
            f"add the new constraint first (NOT VALID, then VALIDATE CONSTRAINT in a later migration) and drop "
            f"{name} afterwards",
        )


def _resolve(table: Table, name: str) -> tuple[ForeignKey | Check | Index | None, str]:
    if name in table.foreign_keys:
        return table.foreign_keys[name], "foreign"
    if name in table.checks:
        return table.checks[name], "check"
    index = table.indexes.get(name)
    if index is not None and index.unique and index.constraint != "primary":
        return index, "unique"
    return None, ""


def _later_actions(current, ctx: StatementContext):
    """The actions after `current`: the rest of its own statement (one ALTER TABLE may drop and
    add), then the later statements of the file."""
    if ctx.statement is not None:
        own = ctx.statement.actions
        at = next((n for n, action in enumerate(own) if action is current), len(own))
        yield from own[at + 1 :]
    for statement in ctx.later_statements:
        yield from statement.actions


def _replaced_or_dropped_later(
    current, table: Table, name: str, kind: str, columns: list[str], ctx: StatementContext
) -> bool:
    """Whether a later action of this migration adds the same kind of constraint back (same name
    or same columns), or drops the table or one of the constrained columns."""
    folded = [column.lower() for column in columns]

    def same_columns(other: list[str]) -> bool:
        return bool(folded) and [column.lower() for column in other] == folded

    for action in _later_actions(current, ctx):
        if isinstance(action, DropTable) and any(_is(ctx, ref, table) for ref in action.tables):
            return True
        if isinstance(action, (DropColumn, AddConstraint, CreateIndex, AddColumn)):
            target = action.index.table if isinstance(action, CreateIndex) else action.table
            if not _is(ctx, target, table):
                continue
        if isinstance(action, DropColumn) and action.column.lower() in folded:
            return True
        if isinstance(action, CreateIndex) and kind == "unique" and action.index.unique:
            if (action.index.name and same_name(ctx, action.index.name, name)) or same_columns(action.index.columns):
                return True
        if isinstance(action, AddConstraint) and _kind_of(action.constraint) == kind:
            added = action.constraint
            if (added.name and same_name(ctx, added.name, name)) or same_columns(list(getattr(added, "columns", []))):
                return True
        if isinstance(action, AddColumn) and any(_kind_of(c) == kind for c in action.constraints):
            if folded == [action.column.name.lower()]:
                return True
    return False


def _is(ctx: StatementContext, ref, table: Table) -> bool:
    return ref is not None and ctx.table(ref) is table


def _kind_of(constraint) -> str:
    if isinstance(constraint, ForeignKey):
        return "foreign"
    if isinstance(constraint, Check):
        return "check"
    if isinstance(constraint, Index) and constraint.unique and constraint.constraint != "primary":
        return "unique"
    return ""
