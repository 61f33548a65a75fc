from linter.context import SchemaContext
from linter.findings import Severity
from linter.keywords import sql_name
from linter.rule import Doc, Example, Rule
from linter.schema import MYSQL, POSTGRESQL, Schema
from rules.c0_columns import applies, base_type, column_span, columns


class UndocumentedEscapeHatch(Rule):
    id = "C010"
    name = "undocumented-escape-hatch"
    severity = Severity.INFO
    summary = "A json/jsonb or array column has no comment saying why it is not relational."
    prisma = True
    dialects = frozenset({POSTGRESQL, MYSQL})
    doc = Doc(
        what="A `json`/`jsonb` column or an array column (Prisma `Json` fields and `[]` scalar lists) with no column "
        "comment (`COMMENT ON COLUMN`, MySQL `COMMENT '…'`, Prisma `///` on the field).",
        why="Schemaless columns opt out of types, constraints and foreign keys; without a note on what shape they hold "
        "and why they are not columns or tables, they grow into undocumented second schemas.",
        instead="Say what the column holds and why: `COMMENT ON COLUMN events.payload IS 'Raw webhook body, kept for replay';` "
        "(Prisma: a `///` comment on the field) — or model the data as columns and tables.",
        bad=Example("CREATE TABLE events (\n  id bigint PRIMARY KEY,\n  payload jsonb NOT NULL\n);\n", expect=((3, 3),)),
        good=Example(
            "CREATE TABLE events (\n  id bigint PRIMARY KEY,\n  payload jsonb NOT NULL\n);\n"
            "COMMENT ON COLUMN events.payload IS 'Raw webhook body, kept verbatim for replays.';\n"
        ),
    )

    def check_schema(self, schema: Schema, ctx: SchemaContext) -> None:
        if not applies(schema, self.dialects):
            return
        for table, column in columns(schema):
            if (column.comment or "").strip():
                continue
            json = base_type(column) in ("json", "jsonb")
            if not (json or column.is_array):
                continue
            span = column_span(table, column)
            if span is None:
                continue
            what = "JSON" if json else "array"
            fix = "add a /// comment on the field saying what it holds" if column.source is not None else (
                f"COMMENT ON COLUMN {sql_name(table.name, schema.dialect)}.{sql_name(column.name, schema.dialect)} IS '…';" if schema.dialect == POSTGRESQL else "add COMMENT '…' to the column"
            )
            ctx.report(span, f'{what} column "{table.name}.{column.name}" has no comment saying what it holds and why', fix=fix)
