import re

from linter.context import SchemaContext
from linter.conventions import judged_tables
from linter.findings import Edit, Severity
from linter.keywords import sql_name
from linter.rule import Doc, Example, Option, Rule
from linter.schema import POSTGRESQL, Schema

_PRECISION = re.compile(r"^timestamp\((\d+)\)")
# `timestamp`, `timestamp(3)`, `timestamp without time zone`, `timestamp(3) without time zone`,
# and arrays of them; not `timestamp(3) with time zone`.
_WITHOUT_ZONE = re.compile(r"^timestamp(?:\(\d+\))?(?: without time zone)?(?:\[\])*$")


class PreferTimestamptz(Rule):
    id = "T002"
    name = "prefer-timestamptz"
    severity = Severity.WARNING
    summary = "A PostgreSQL column is `timestamp` without time zone (Prisma: DateTime without @db.Timestamptz)."
    prisma = True
    dialects = frozenset({POSTGRESQL})
    options = {"exempt": Option([], "globs of table names (`audit_*`, `archive.*`) to leave alone")}
    doc = Doc(
        what="A PostgreSQL column typed `timestamp` / `timestamp without time zone` (arrays too), judged on the "
        "schema after the whole migration set. In a Prisma schema on PostgreSQL: a `DateTime` field without "
        "`@db.Timestamptz` — Prisma's default is `timestamp(3)` without time zone.",
        why="`timestamp` stores a wall-clock reading with no zone: the same instant reads differently depending on "
        "the session's `TimeZone`, daylight-saving changes make hours repeat or vanish, and comparing with "
        "`now()` silently converts. `timestamptz` stores the instant and costs the same 8 bytes.",
        instead="Use `timestamptz` (Prisma: `DateTime @db.Timestamptz(3)`). Converting an existing column rewrites "
        "the table: `ALTER COLUMN … TYPE timestamptz USING … AT TIME ZONE 'UTC'` (say which zone the stored "
        "values meant).",
        bad=Example("CREATE TABLE events (\n  id bigint PRIMARY KEY,\n  happened_at timestamp NOT NULL\n);\n", expect=((3, 3),)),
        good=Example("CREATE TABLE events (\n  id bigint PRIMARY KEY,\n  happened_at timestamptz NOT NULL\n);\n"),
    )

    def check_schema(self, schema: Schema, ctx: SchemaContext) -> None:
        if schema.dialect != POSTGRESQL:
            return
        for table in judged_tables(schema, ctx):
            for column in table.columns.values():
                if not _WITHOUT_ZONE.match(column.type):
                    continue
                message = f'column "{table.name}.{column.name}" is {column.type}: it stores no time zone'
                field = column.source
                if field is None or field.type is None:
                    span = column.span or table.span
                    if span is not None:
                        ctx.report(
                            span,
                            message,
                            fix=f"ALTER TABLE {sql_name(table.name, schema.dialect)} "
                            f"ALTER COLUMN {sql_name(column.name, schema.dialect)} TYPE timestamptz "
                            f"USING {sql_name(column.name, schema.dialect)} AT TIME ZONE 'UTC';",
                        )
                    continue
                match = _PRECISION.match(column.type)
                wanted = f"@db.Timestamptz({match.group(1)})" if match else "@db.Timestamptz"
                native = next((a for a in field.attributes if a.name.startswith("db.")), None)
                if native is not None:
                    edits = (Edit(native.span.path, native.span.start, native.span.end, wanted),)
                    ctx.report(native.span, message, fix=f"change it to {wanted}", edits=edits)
                else:
                    end = field.type.span.end
                    edits = (Edit(field.type.span.path, end, end, f" {wanted}"),)
                    ctx.report(field.name_span, message, fix=f"add {wanted} to the field", edits=edits)
