from linter.context import SchemaContext
from linter.conventions import add_to_model, find_column, is_link_table, judged_tables, model_block, uses_column_maps
from linter.findings import Severity
from linter.keywords import sql_name
from linter.rule import Doc, Example, Option, Rule
from linter.schema import POSTGRESQL, SQLITE, Schema


class RequireTimestamps(Rule):
    id = "T001"
    name = "require-timestamps"
    severity = Severity.ERROR
    summary = "A table lacks created_at or updated_at (names configurable)."
    prisma = True
    options = {
        "columns": Option(["created_at", "updated_at"], "the timestamp columns every table must have"),
        "accept-camel-case": Option(True, "a camelCase column (`createdAt`) counts for its snake_case name"),
        "exempt-link-tables": Option(
            True,
            "leave alone tables that only link others: two or more foreign keys, and no column besides "
            "theirs, the primary key's and the timestamps (Prisma's implicit many-to-many tables too)",
        ),
        "exempt": Option([], "globs of table names (`audit_*`, `archive.*`) to leave alone"),
    }
    doc = Doc(
        what="A table without every column of the `columns` option (`created_at` and `updated_at` by default), "
        "judged on the schema after the whole migration set, at the table's `CREATE TABLE` (Prisma: the `model` "
        "line). Prisma fields count by their column name (`@map`), and with `accept-camel-case` (the default) "
        "an unmapped `createdAt` counts too. Migration tools' own tables (`_prisma_migrations`, "
        "`schema_migrations`, `flyway_schema_history`, …), link tables and the `exempt` globs are left alone.",
        why="Without them nobody can answer \"when did this row appear, when did it last change?\" — the first "
        "question of every incident, every data fix and every incremental export.",
        instead="Add both columns, `NOT NULL DEFAULT now()`, and keep `updated_at` current (a trigger, or "
        "Prisma's `@updatedAt`).",
        bad=Example(
            "CREATE TABLE invoices (\n  id bigint PRIMARY KEY,\n  total numeric(19,4) NOT NULL,\n"
            "  created_at timestamptz NOT NULL DEFAULT now()\n);\n",
            expect=((1, 1),),
        ),
        good=Example(
            "CREATE TABLE invoices (\n  id bigint PRIMARY KEY,\n  total numeric(19,4) NOT NULL,\n"
            "  created_at timestamptz NOT NULL DEFAULT now(),\n  updated_at timestamptz NOT NULL DEFAULT now()\n);\n"
        ),
    )

    def check_schema(self, schema: Schema, ctx: SchemaContext) -> None:
        if schema.dialect not in self.dialects:
            return
        wanted: list[str] = ctx.options["columns"]
        camel = ctx.options["accept-camel-case"]
        for table in judged_tables(schema, ctx):
            found = {name: find_column(table, name, camel) for name in wanted}
            missing = [name for name, column in found.items() if column is None]
            if not missing:
                continue
            present = [column.name for column in found.values() if column is not None]
            if ctx.options["exempt-link-tables"] and is_link_table(table, present):
                continue
            assert table.span is not None
            listed = " and ".join(f'"{name}"' for name in missing)
            message = f'table "{table.name}" has no {listed} column{"s" if len(missing) > 1 else ""}'
            block = model_block(table)
            if block is None:
                columns = [f"{sql_name(name, schema.dialect)} {_sql_type(schema)} NOT NULL DEFAULT {_sql_now(schema)}" for name in missing]
                if schema.dialect == SQLITE:  # ADD COLUMN refuses a default that is not a constant
                    listed = ", ".join(f"`{column}`" for column in columns)
                    fix = f"rebuild the table with {listed} (SQLite cannot add a column whose default reads the clock)"
                else:
                    fix = f"ALTER TABLE {sql_name(table.name, schema.dialect)} {', '.join(f'ADD COLUMN {column}' for column in columns)};"
                ctx.report(table.span, message, fix=fix)
                continue
            lines = [_prisma_field(name, schema, block) for name in missing]
            edits = add_to_model(block, lines, after_fields=True)
            ctx.report(table.span, message, fix="add " + "; ".join(f"`{line}`" for line in lines), edits=edits)


def _sql_type(schema: Schema) -> str:
    return {"postgresql": "timestamptz", "mysql": "datetime(3)"}.get(schema.dialect or "", "datetime")


def _sql_now(schema: Schema) -> str:
    return {"postgresql": "now()", "mysql": "CURRENT_TIMESTAMP(3)"}.get(schema.dialect or "", "CURRENT_TIMESTAMP")


def _prisma_field(column: str, schema: Schema, block) -> str:
    """The Prisma field that creates a timestamp column, in the model's own style."""
    words = column.split("_")
    field = words[0] + "".join(word.capitalize() for word in words[1:])
    maintained = "@updatedAt" if any(word in column for word in ("updated", "modified", "changed")) else "@default(now())"
    parts = [field, "DateTime", maintained]
    if schema.dialect == POSTGRESQL:
        parts.append("@db.Timestamptz(6)")
    if field != column and uses_column_maps(block):
        parts.append(f'@map("{column}")')
    return " ".join(parts)
