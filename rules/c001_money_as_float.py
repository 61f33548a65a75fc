from linter.context import SchemaContext
from linter.findings import Edit, Severity
from linter.keywords import sql_name
from linter.rule import Doc, Example, Option, Rule
from linter.schema import Schema
from rules.c0_columns import (
    applies,
    change_column,
    column_span,
    columns,
    insert_after_type,
    is_float,
    native_attribute,
    words,
)

DEFAULT_PATTERNS = [
    "price", "amount", "cost", "total", "subtotal", "balance", "fee", "salary", "revenue", "tax",
    "discount", "payout", "refund", "wage", "budget", "income", "expense", "charge",
]
# Words that make a money-like name a measure of something else (`total_tokens`, `tax_rate`,
# `total_duration_ms`): floats are fine for those.
DEFAULT_NOT_MONEY = [
    "rate", "ratio", "percent", "percentage", "pct", "factor", "multiplier", "fraction", "share",
    "score", "weight", "count", "tokens", "token", "duration", "time", "ms", "seconds", "secs",
    "minutes", "hours", "days", "latency", "bytes", "size", "distance", "units", "quantity", "qty",
    "points", "usage", "calls", "requests", "items",
]


class MoneyAsFloat(Rule):
    id = "C001"
    name = "money-as-float"
    severity = Severity.ERROR
    summary = "A money-like column (price, amount, cost, …) is stored as a floating-point number."
    prisma = True
    options = {
        "patterns": Option(DEFAULT_PATTERNS, "name words that mean money (matched on snake_case/camelCase words, plural too)"),
        "not-money": Option(DEFAULT_NOT_MONEY, "name words that mean the column measures something else (rate, tokens, …)"),
    }
    doc = Doc(
        what="A column whose name says money (a word of it is `price`, `amount`, `cost`, `total`, `balance`, `fee`, "
        "`salary`, `revenue`, `tax`, `discount`, … — configurable) typed `real`, `double precision`, `float` or "
        "`double` (Prisma `Float`). Names that measure something else (`tax_rate`, `total_tokens`) are left alone.",
        why="Binary floating point cannot hold 0.10 exactly: sums drift by fractions of a cent, totals stop matching "
        "invoices, and equality checks on amounts fail at random.",
        instead="Use `numeric(19,4)` (Prisma `Decimal @db.Decimal(19, 4)`), or store integer cents in a `bigint`.",
        bad=Example("CREATE TABLE orders (\n  id bigint PRIMARY KEY,\n  total_price double precision NOT NULL\n);\n", expect=((3, 3),)),
        good=Example("CREATE TABLE orders (\n  id bigint PRIMARY KEY,\n  total_price numeric(19,4) NOT NULL\n);\n"),
    )

    def check_schema(self, schema: Schema, ctx: SchemaContext) -> None:
        if not applies(schema, self.dialects):
            return
        money = set(ctx.options["patterns"])
        money |= {word + "s" for word in money}
        other = set(ctx.options["not-money"])
        for table, column in columns(schema):
            if not is_float(column):
                continue
            parts = words(column.name)
            if not money.intersection(parts) or other.intersection(parts):
                continue
            span = column_span(table, column)
            if span is None:
                continue
            message = f'money-like column "{table.name}.{column.name}" is {column.type}: floating point cannot hold cents exactly'
            if column.source is not None and column.source.type is not None:
                fix = "type it `Decimal @db.Decimal(19, 4)` (or store integer cents in a BigInt)"
                edits = ()
                field_type = column.source.type
                if native_attribute(column) is None and schema.dialect != "sqlite" and field_type.name == "Float":
                    start = field_type.span.start
                    edits = (Edit(field_type.span.path, start, start + len("Float"), "Decimal"),)
                    edits += insert_after_type(column, "@db.Decimal(19, 4)")
                ctx.report(span, message, fix=fix, edits=edits)
            else:
                postgresql = f"ALTER TABLE {sql_name(table.name, schema.dialect)} ALTER COLUMN {sql_name(column.name, schema.dialect)} TYPE numeric(19,4);"
                ctx.report(span, message, fix=change_column(table, column, schema.dialect, postgresql, new_type="decimal(19,4)"))
