from linter.context import SchemaContext
from linter.findings import Severity
from linter.keywords import sql_name
from linter.rule import Doc, Example, Option, Rule
from linter.schema import POSTGRESQL, Schema
from rules.c0_columns import applies, exempt


class UndocumentedTable(Rule):
    id = "C009"
    name = "undocumented-table"
    severity = Severity.INFO
    default_on = False
    summary = "A table has no `COMMENT ON TABLE` (Prisma: no `///` doc comment on the model)."
    prisma = True
    dialects = frozenset({POSTGRESQL})
    options = {"exempt": Option(["_prisma_migrations", "schema_migrations"], "table names (globs) that need no comment")}
    doc = Doc(
        what="A PostgreSQL table without a comment after the whole migration set is replayed (`COMMENT ON TABLE`), or "
        "a Prisma model without a `///` doc comment. Prisma's implicit many-to-many join tables are left alone.",
        why="Comments travel with the schema into every client, `\\d+`, ER diagram and data catalog; the reason a "
        "table exists is otherwise only in the head of whoever wrote the migration.",
        instead="`COMMENT ON TABLE orders IS '…';` in the migration that creates it; in Prisma a `///` line above `model`.",
        bad=Example("CREATE TABLE orders (\n  id bigint PRIMARY KEY\n);\n", expect=((1, 1),)),
        good=Example("CREATE TABLE orders (\n  id bigint PRIMARY KEY\n);\nCOMMENT ON TABLE orders IS 'One row per checkout.';\n"),
    )

    def check_schema(self, schema: Schema, ctx: SchemaContext) -> None:
        if not applies(schema, self.dialects):
            return
        globs = ctx.options["exempt"]
        for table in schema.tables.values():
            if (table.comment or "").strip() or table.span is None or exempt(table, globs):
                continue
            if ctx.from_prisma and getattr(table.source, "kind", None) != "model":
                continue  # an implicit many-to-many join table: nothing to write the comment on
            fix = "add a /// line above the model" if ctx.from_prisma else f"COMMENT ON TABLE {sql_name(table.name, schema.dialect)} IS '…';"
            ctx.report(table.span, f'table "{table.name}" has no comment saying what it holds', fix=fix)
