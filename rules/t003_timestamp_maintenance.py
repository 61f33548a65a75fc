import re

from linter.context import SchemaContext
from linter.conventions import find_column, judged_tables
from linter.findings import Edit, Severity
from linter.keywords import sql_name
from linter.rule import Doc, Example, Option, Rule
from linter.schema import Column, Schema, Table
from rules.c0_columns import change_column

# What a default says to read the clock at insert time, in every dialect's spelling
# (`now()`, `CURRENT_TIMESTAMP(3)`, `timezone('utc', now())`, SQLite's `datetime('now')`).
_CLOCK_WORDS = (
    "now(",
    "current_timestamp",
    "localtimestamp",
    "statement_timestamp(",
    "transaction_timestamp(",
    "clock_timestamp(",
    "utc_timestamp",
    "'now'",
    "unixepoch(",
    "current_date",
)


def reads_clock(default: str | None) -> bool:
    lowered = (default or "").lower()
    return any(word in lowered for word in _CLOCK_WORDS)


class TimestampMaintenance(Rule):
    id = "T003"
    name = "timestamp-maintenance"
    severity = Severity.WARNING
    summary = "created_at has no now() default, Prisma updatedAt lacks @updatedAt, or a timestamp is nullable."
    prisma = True
    options = {
        "created": Option("created_at", "the column that records when a row was inserted"),
        "updated": Option("updated_at", "the column that records when a row last changed"),
        "accept-camel-case": Option(True, "a camelCase column (`createdAt`) counts for its snake_case name"),
        "exempt": Option([], "globs of table names (`audit_*`, `archive.*`) to leave alone"),
    }
    doc = Doc(
        what="On the schema after the whole migration set: a `created_at` column whose default does not read the "
        "clock (`now()`, `CURRENT_TIMESTAMP`, …); in a Prisma schema, an `updatedAt` field without `@updatedAt`; "
        "and either column nullable. Column names are options; camelCase counts as in T001.",
        why="A timestamp the application must remember to fill is left empty or wrong by the first script, import "
        "or manual fix that forgets; a nullable one makes every \"changed since\" query skip rows silently.",
        instead="`created_at timestamptz NOT NULL DEFAULT now()`, `updated_at` NOT NULL and kept current (Prisma "
        "`@updatedAt`, or a trigger).",
        bad=Example(
            "CREATE TABLE orders (\n  id bigint PRIMARY KEY,\n  created_at timestamptz NOT NULL,\n"
            "  updated_at timestamptz NOT NULL DEFAULT now()\n);\n",
            expect=((3, 3),),
        ),
        good=Example(
            "CREATE TABLE orders (\n  id bigint PRIMARY KEY,\n  created_at timestamptz NOT NULL DEFAULT now(),\n"
            "  updated_at timestamptz NOT NULL DEFAULT now()\n);\n"
        ),
    )

    def check_schema(self, schema: Schema, ctx: SchemaContext) -> None:
        if schema.dialect not in self.dialects:
            return
        camel = ctx.options["accept-camel-case"]
        for table in judged_tables(schema, ctx):
            created = find_column(table, ctx.options["created"], camel)
            updated = find_column(table, ctx.options["updated"], camel)
            if created is not None:
                self._created(table, created, ctx)
            if updated is not None and updated.source is not None:
                self._updated_in_prisma(table, updated, ctx)
            for column in (created, updated):
                if column is not None and column.nullable and not column.is_array:
                    self._nullable(table, column, ctx)

    def _created(self, table: Table, column: Column, ctx: SchemaContext) -> None:
        if reads_clock(column.default):
            return
        message = f'column "{table.name}.{column.name}" has no default that reads the clock'
        field = column.source
        if field is None:
            if column.span is not None:
                postgresql = f"ALTER TABLE {sql_name(table.name, ctx.dialect)} ALTER COLUMN {sql_name(column.name, ctx.dialect)} SET DEFAULT now();"
                fix = change_column(table, column, ctx.dialect, postgresql, default=_current_timestamp(column))
                ctx.report(column.span, message, fix=fix)
            return
        default = field.attribute("default")
        if default is not None:
            ctx.report(default.span, message, fix="change it to @default(now())")
        elif field.type is not None:
            end = field.type.span.end
            edits = (Edit(field.type.span.path, end, end, " @default(now())"),)
            ctx.report(field.name_span, message, fix="add @default(now()) to the field", edits=edits)

    def _updated_in_prisma(self, table: Table, column: Column, ctx: SchemaContext) -> None:
        field = column.source
        if field.has("updatedAt") or field.type is None or field.type.name != "DateTime":
            return
        end = field.type.span.end
        ctx.report(
            field.name_span,
            f'field "{field.name}" of "{table.name}" is not kept current: it has no @updatedAt',
            fix="add @updatedAt to the field",
            edits=(Edit(field.type.span.path, end, end, " @updatedAt"),),
        )

    def _nullable(self, table: Table, column: Column, ctx: SchemaContext) -> None:
        message = f'timestamp column "{table.name}.{column.name}" is nullable'
        field = column.source
        if field is None:
            if column.span is not None:
                postgresql = f"ALTER TABLE {sql_name(table.name, ctx.dialect)} ALTER COLUMN {sql_name(column.name, ctx.dialect)} SET NOT NULL;"
                fix = change_column(table, column, ctx.dialect, postgresql, not_null=True)
                ctx.report(column.span, message, fix=fix)
            return
        if field.type is None:
            return
        mark = field.type.span
        edits = (Edit(mark.path, mark.end - 1, mark.end, ""),) if field.type.optional else ()
        ctx.report(mark.shifted(mark.end - 1, mark.end), message, fix="make the field required (drop the `?`)", edits=edits)


def _current_timestamp(column: Column) -> str:
    """MySQL's clock default for the column, with its fractional-second precision (a
    `datetime(3)` refuses a plain CURRENT_TIMESTAMP)."""
    precision = re.search(r"\((\d+)\)", column.type)
    return f"CURRENT_TIMESTAMP({precision.group(1)})" if precision else "CURRENT_TIMESTAMP"
