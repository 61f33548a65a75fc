from linter.context import SchemaContext
from linter.findings import Severity
from linter.keywords import sql_name
from linter.rule import Doc, Example, Rule
from linter.schema import POSTGRESQL, Schema
from rules.c0_columns import applies, base_type, column_span, columns, native_attribute, replace_span


class BanMoneyType(Rule):
    id = "C002"
    name = "ban-money-type"
    severity = Severity.WARNING
    summary = "A column uses PostgreSQL's `money` type (Prisma `@db.Money`)."
    prisma = True
    dialects = frozenset({POSTGRESQL})
    doc = Doc(
        what="A PostgreSQL column of type `money` (Prisma `Decimal @db.Money`).",
        why="`money` formats and parses by the server's `lc_monetary` setting, so a restore or replica with another "
        "locale reads different amounts; it holds one currency with fixed fractional digits and casts badly.",
        instead="Use `numeric(19,4)` (Prisma `@db.Decimal(19, 4)`) and keep the currency in its own column.",
        bad=Example("CREATE TABLE invoices (\n  id bigint PRIMARY KEY,\n  amount money NOT NULL\n);\n", expect=((3, 3),)),
        good=Example("CREATE TABLE invoices (\n  id bigint PRIMARY KEY,\n  amount numeric(19,4) NOT NULL\n);\n"),
    )

    def check_schema(self, schema: Schema, ctx: SchemaContext) -> None:
        if not applies(schema, self.dialects):
            return
        for table, column in columns(schema):
            if base_type(column) != "money":
                continue
            message = f'column "{table.name}.{column.name}" has type money, which depends on the server locale'
            attribute = native_attribute(column)
            if attribute is not None:
                ctx.report(attribute.span, message, fix="use @db.Decimal(19, 4)", edits=replace_span(attribute.span, "@db.Decimal(19, 4)"))
                continue
            span = column_span(table, column)
            if span is not None:
                ctx.report(span, message, fix=f"ALTER TABLE {sql_name(table.name, schema.dialect)} ALTER COLUMN {sql_name(column.name, schema.dialect)} TYPE numeric(19,4);")
