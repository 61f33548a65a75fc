import re

from linter.context import SchemaContext
from linter.findings import Severity
from linter.keywords import sql_name
from linter.rule import Doc, Example, Rule
from linter.schema import POSTGRESQL, Column, Schema
from rules.c0_columns import applies, column_span, columns, insert_after_type, is_text, native_attribute, replace_span

_UUID_FUNCTION = re.compile(r"\b(gen_random_uuid|uuid_generate_v[1-7]\w*|uuidv[47]|uuid_generate_v1mc)\s*\(", re.IGNORECASE)


class UuidStoredAsText(Rule):
    id = "C012"
    name = "uuid-stored-as-text"
    severity = Severity.WARNING
    summary = "A UUID is stored in a text column (Prisma `String @default(uuid())` without `@db.Uuid`)."
    prisma = True
    dialects = frozenset({POSTGRESQL})
    doc = Doc(
        what="On PostgreSQL, a Prisma `String` field defaulted by `uuid()` (or a `dbgenerated` uuid function) without "
        "`@db.Uuid`; in SQL, a `text`/`varchar` column whose default calls a uuid function (`gen_random_uuid()`, "
        "`uuid_generate_v4()`).",
        why="As text a UUID takes 37 bytes instead of 16, indexes on it are more than twice as large and slower to "
        "compare, and nothing stops a malformed value from being stored.",
        instead="Use the `uuid` type: `id uuid DEFAULT gen_random_uuid()`, in Prisma `String @id @default(uuid()) @db.Uuid`.",
        bad=Example("CREATE TABLE users (\n  id text PRIMARY KEY DEFAULT gen_random_uuid()::text\n);\n", expect=((2, 3),)),
        good=Example("CREATE TABLE users (\n  id uuid PRIMARY KEY DEFAULT gen_random_uuid()\n);\n"),
    )

    def check_schema(self, schema: Schema, ctx: SchemaContext) -> None:
        if not applies(schema, self.dialects):
            return
        for table, column in columns(schema):
            if not is_text(column, schema.dialect) or not _uuid_defaulted(column):
                continue
            message = f'column "{table.name}.{column.name}" stores UUIDs as {column.type}; use the uuid type'
            if column.source is not None:
                attribute = native_attribute(column)
                if attribute is not None:
                    edits = replace_span(attribute.span, "@db.Uuid")
                    ctx.report(attribute.span, message, fix=f"replace @{attribute.name} with @db.Uuid", edits=edits)
                else:
                    span = column_span(table, column)
                    assert span is not None
                    ctx.report(span, message, fix="add @db.Uuid to the field", edits=insert_after_type(column, "@db.Uuid"))
                continue
            span = column_span(table, column)
            if span is not None:
                ctx.report(span, message, fix=f"ALTER TABLE {sql_name(table.name, schema.dialect)} ALTER COLUMN {sql_name(column.name, schema.dialect)} TYPE uuid USING {sql_name(column.name, schema.dialect)}::uuid;")


def _uuid_defaulted(column: Column) -> bool:
    if column.default is not None and _UUID_FUNCTION.search(column.default):
        return True
    field = column.source
    if field is None:
        return False
    from linter.prisma.ast import FunctionValue  # only a Prisma column gets here

    default = field.attribute("default")
    value = default.value("value", 0) if default is not None else None
    return isinstance(value, FunctionValue) and value.name == "uuid"
