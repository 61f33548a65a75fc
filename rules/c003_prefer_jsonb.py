from linter.context import SchemaContext
from linter.findings import Edit, Severity
from linter.keywords import sql_name
from linter.rule import Doc, Example, Rule
from linter.schema import POSTGRESQL, Schema
from rules.c0_columns import applies, base_type, column_span, columns, native_attribute


class PreferJsonb(Rule):
    id = "C003"
    name = "prefer-jsonb"
    severity = Severity.WARNING
    summary = "A PostgreSQL column is `json` rather than `jsonb` (Prisma `Json @db.Json`)."
    prisma = True
    dialects = frozenset({POSTGRESQL})
    doc = Doc(
        what="A PostgreSQL column of type `json` (or `json[]`); in Prisma, a `Json` field marked `@db.Json`.",
        why="`json` stores the text as written and reparses it on every access; it has no equality operator (so no "
        "DISTINCT, GROUP BY or UNIQUE on it) and no GIN indexing or containment operators.",
        instead="Use `jsonb` (in Prisma, drop `@db.Json`: `Json` is `jsonb` by default). Keep `json` only when key order "
        "or duplicate keys must survive, and say so in a comment.",
        bad=Example("CREATE TABLE events (\n  id bigint PRIMARY KEY,\n  payload json NOT NULL\n);\n", expect=((3, 3),)),
        good=Example("CREATE TABLE events (\n  id bigint PRIMARY KEY,\n  payload jsonb NOT NULL\n);\n"),
    )

    def check_schema(self, schema: Schema, ctx: SchemaContext) -> None:
        if not applies(schema, self.dialects):
            return
        for table, column in columns(schema):
            if base_type(column) != "json":
                continue
            message = f'column "{table.name}.{column.name}" is json; jsonb is indexable, comparable and faster to read'
            attribute = native_attribute(column)
            if attribute is not None:
                text = attribute.span.file.text
                start = attribute.span.start
                while start > 0 and text[start - 1] in " \t":
                    start -= 1
                edits = (Edit(attribute.span.path, start, attribute.span.end, ""),)
                ctx.report(attribute.span, message, fix="remove @db.Json (Json is jsonb by default)", edits=edits)
                continue
            span = column_span(table, column)
            if span is not None:
                ctx.report(span, message, fix=f"ALTER TABLE {sql_name(table.name, schema.dialect)} ALTER COLUMN {sql_name(column.name, schema.dialect)} TYPE jsonb;")
