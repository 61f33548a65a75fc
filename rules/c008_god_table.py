from linter.context import SchemaContext
from linter.findings import Severity
from linter.rule import Doc, Example, Option, Rule
from linter.schema import Schema

from rules.c0_columns import applies



def _wide(count: int) -> str:
    """A CREATE TABLE with an id and `count - 1` more columns."""
    body = ",\n".join(["  id bigint PRIMARY KEY"] + [f"  c{n} integer" for n in range(2, count + 1)])
    return f"CREATE TABLE wide (\n{body}\n);\n"


class GodTable(Rule):
    id = "C008"
    name = "god-table"
    severity = Severity.WARNING
    summary = "A table has more than 50 columns (configurable)."
    prisma = True
    options = {"max": Option(50, "the most columns a table may have")}
    doc = Doc(
        what="A table with more columns than `max` (50 by default), after the whole migration set is replayed "
        "(Prisma: the model's scalar fields).",
        why="Wide tables mix several concepts: every row carries every concern, updates rewrite the whole wide row "
        "(PostgreSQL MVCC), most columns end up nullable, and nobody knows which ones are still used.",
        instead="Split the table by concern (1:1 side tables for rarely read or optional groups of columns), or move "
        "sparse attributes into a documented `jsonb` column.",
        bad=Example(_wide(51), expect=((1, 1),)),
        good=Example(_wide(50)),
    )

    def check_schema(self, schema: Schema, ctx: SchemaContext) -> None:
        if not applies(schema, self.dialects):
            return
        limit = ctx.options["max"]
        for table in schema.tables.values():
            count = len(table.columns)
            if count > limit and table.span is not None:
                ctx.report(
                    table.span,
                    f'table "{table.name}" has {count} columns (more than {limit}); split it by concern',
                )
