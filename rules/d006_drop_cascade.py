from linter.actions import (
    CreateSchema,
    DropColumn,
    DropConstraint,
    DropDomain,
    DropIndex,
    DropSchema,
    DropTable,
    DropType,
    DropView,
    Opaque,
)
from linter.context import StatementContext
from linter.findings import Severity
from linter.rule import Doc, Example, Rule
from linter.schema import Name, Origin

_DROPS = (DropTable, DropIndex, DropType, DropDomain, DropView, DropColumn, DropConstraint)


class DropCascadeRule(Rule):
    id = "D006"
    name = "drop-cascade"
    severity = Severity.ERROR
    summary = "DROP SCHEMA / DROP DATABASE, or a DROP … CASCADE that silently takes dependent objects with it."
    actions = (DropSchema, Opaque, *_DROPS)
    doc = Doc(
        what="`DROP SCHEMA` and `DROP DATABASE` (MySQL's `DROP SCHEMA` is `DROP DATABASE`), and any `DROP … "
        "CASCADE` (tables, columns, constraints, indexes, types, views, sequences, functions, …). Objects created "
        "earlier in the same migration or by a migration new in the change are exempt (for a schema: created "
        "earlier in the same migration), and so is `IF EXISTS` of a schema or object the migration history never "
        "created.",
        why="CASCADE drops whatever depends on the object — views, foreign keys, columns of a dropped type, "
        "defaults using a sequence — and none of it is written in the migration, so the review never sees it; a "
        "dropped schema or database takes every table in it.",
        instead="Drop the dependent objects explicitly, by name, in reviewed statements, and then the object "
        "itself without CASCADE, after deployed code stopped using all of them.",
        bad=Example(
            "DROP TABLE customers CASCADE;\n",
            before=("CREATE TABLE customers (id bigint PRIMARY KEY);\n",),
            expect=((1, 1),),
        ),
        good=Example(
            "CREATE TABLE scratch (id bigint PRIMARY KEY);\nDROP TABLE scratch CASCADE;\n",
        ),
    )

    def check_action(self, action, ctx: StatementContext) -> None:
        if isinstance(action, DropSchema):
            self._drop_schema(action, ctx)
        elif isinstance(action, Opaque):
            self._opaque(action, ctx)
        elif action.cascade and not _all_new(action, ctx):
            what = _what(action)
            ctx.report(
                action.span,
                f"{what} … CASCADE also drops every object that depends on it, unseen by the review",
                fix=f"find the dependent objects (views, foreign keys, defaults, columns of the type), drop each by "
                f"name in a reviewed statement, then repeat the {what} without CASCADE so it fails if anything was "
                "missed",
            )

    def _drop_schema(self, action: DropSchema, ctx: StatementContext) -> None:
        created_here = {
            earlier.schema for statement in ctx.earlier_statements for earlier in statement.actions if isinstance(earlier, CreateSchema)
        }
        doomed = [
            name
            for name in action.schemas
            if name not in created_here and (name in ctx.schema.schemas or not action.if_exists)
        ]
        if not doomed:
            return
        keyword = "DROP DATABASE" if ctx.dialect == "mysql" else "DROP SCHEMA"
        names = ", ".join(f'"{name}"' for name in doomed)
        ctx.report(
            action.span,
            f"{keyword} {names} drops every table, type and function in it",
            fix=f"move or drop the objects of {names} one by one in reviewed migrations after deployed code stopped "
            f"using them, then drop the empty schema without CASCADE",
        )

    def _opaque(self, action: Opaque, ctx: StatementContext) -> None:
        statement = ctx.statement
        node = statement.node if statement is not None else None
        if not isinstance(node, dict):
            return
        if statement.kind == "DropdbStmt":
            database = node.get("dbname", "")
            ctx.report(
                action.span,
                f'DROP DATABASE "{database}" drops every schema and table in it',
                fix="a migration should not drop a database: retire it by hand after backing it up and confirming "
                "nothing connects to it",
            )
        elif statement.kind == "DropStmt" and node.get("behavior") == "DROP_CASCADE":
            kind = str(node.get("removeType", "OBJECT_")).removeprefix("OBJECT_").replace("_", " ")
            ctx.report(
                action.span,
                f"DROP {kind} … CASCADE also drops every object that depends on it, unseen by the review",
                fix=f"find what depends on the {kind.lower()} (defaults, triggers, views), drop or change each by "
                f"name in a reviewed statement, then drop the {kind.lower()} without CASCADE",
            )


def _what(action) -> str:
    if isinstance(action, DropTable):
        return f"DROP TABLE {', '.join(map(str, action.tables))}"
    if isinstance(action, DropIndex):
        return f"DROP INDEX {', '.join(map(str, action.indexes))}"
    if isinstance(action, DropType):
        return f"DROP TYPE {', '.join(map(str, action.types))}"
    if isinstance(action, DropDomain):
        return f"DROP DOMAIN {', '.join(map(str, action.domains))}"
    if isinstance(action, DropView):
        return f"DROP {'MATERIALIZED ' if action.materialized else ''}VIEW {', '.join(map(str, action.views))}"
    if isinstance(action, DropColumn):
        return f"ALTER TABLE {action.table} DROP COLUMN {action.column}"
    return f"ALTER TABLE {action.table} DROP CONSTRAINT {action.name}"


def _all_new(action, ctx: StatementContext) -> bool:
    """Whether everything the statement drops was made in this migration or change (or, with IF
    EXISTS, is unknown to the history: nothing to drop)."""
    if isinstance(action, DropTable):
        return all(_new_or_absent(ctx.table(ref), action.if_exists, ctx) for ref in action.tables)
    if isinstance(action, DropIndex):
        found = [ctx.schema.find_index(ref) for ref in action.indexes]
        return all(
            (pair is None and action.if_exists) or (pair is not None and (ctx.is_new(pair[0]) or ctx.is_new(pair[1])))
            for pair in found
        )
    if isinstance(action, DropType):
        return all(_new_or_absent(ctx.schema.enum(ref), action.if_exists, ctx) for ref in action.types)
    if isinstance(action, DropDomain):
        return all(_new_or_absent(ctx.schema.domain(ref), action.if_exists, ctx) for ref in action.domains)
    if isinstance(action, DropView):
        return all(_view_new_or_absent(ref, action.if_exists, ctx) for ref in action.views)
    table = ctx.table(action.table)
    if table is None or ctx.is_new(table):
        return table is not None
    if isinstance(action, DropColumn):
        return _new_or_absent(table.column(action.column), action.if_exists, ctx)
    constraint = table.foreign_keys.get(action.name) or table.checks.get(action.name) or table.indexes.get(action.name)
    if constraint is None and table.primary_key is not None and table.primary_key.name == action.name:
        constraint = table.primary_key
    return _new_or_absent(constraint, action.if_exists, ctx)


def _new_or_absent(obj, if_exists: bool, ctx: StatementContext) -> bool:
    return if_exists if obj is None else ctx.is_new(obj)


def _view_new_or_absent(ref: Name, if_exists: bool, ctx: StatementContext) -> bool:
    origin: Origin | None = ctx.schema.views.get(ctx.schema.key(ref.name, ctx.schema.creation_schema(ref)))
    if origin is None:
        return if_exists
    return origin.migration is ctx.migration or origin.in_change
