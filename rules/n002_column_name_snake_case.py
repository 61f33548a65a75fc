from linter.context import SchemaContext
from linter.findings import Severity
from linter.keywords import sql_name
from linter.rule import Doc, Example, Rule
from linter.schema import Schema
from linter.text import is_snake_case, to_snake_case


class ColumnNameSnakeCase(Rule):
    id = "N002"
    name = "column-name-snake-case"
    severity = Severity.WARNING
    summary = "A column name is not snake_case (Prisma: the @map name, else the field name)."
    prisma = True
    doc = Doc(
        what="A column whose name does not match `^[a-z][a-z0-9_]*$`. For SQL the schema after the whole "
        "migration set is judged, at the statement that last named the column; for Prisma the column name "
        "is the field's `@map` name, else the field name.",
        why="Mixed-case names must be double-quoted in every PostgreSQL query forever (`\"createdAt\"`), and "
        "one table with camelCase among snake_case ones makes every query a guess.",
        instead='Name columns in snake_case. In Prisma keep camelCase fields and map them: `createdAt DateTime '
        '@map("created_at")`.',
        bad=Example('CREATE TABLE users (\n  id bigint PRIMARY KEY,\n  "createdAt" timestamptz NOT NULL\n);\n', expect=((3, 3),)),
        good=Example("CREATE TABLE users (\n  id bigint PRIMARY KEY,\n  created_at timestamptz NOT NULL\n);\n"),
    )

    def check_schema(self, schema: Schema, ctx: SchemaContext) -> None:
        for table in schema.tables.values():
            for column in table.columns.values():
                if is_snake_case(column.name):
                    continue
                span = column.span or table.span
                if span is None:
                    continue
                suggestion = to_snake_case(column.name)
                if ctx.from_prisma and column.source is not None:
                    mapped = column.source.attribute("map")
                    if mapped is not None:
                        span = mapped.span
                        fix = f'change it to @map("{suggestion}")'
                    else:
                        span = column.source.name_span
                        fix = f'add @map("{suggestion}") to the field (the Prisma field name can stay as it is)'
                else:
                    fix = f"ALTER TABLE {sql_name(table.name, schema.dialect)} RENAME COLUMN {sql_name(column.name, schema.dialect)} TO {sql_name(suggestion, schema.dialect)}; (with expand/contract if code reads it)"
                ctx.report(span, f'column "{table.name}.{column.name}" is not snake_case; use "{suggestion}"', fix=fix)
