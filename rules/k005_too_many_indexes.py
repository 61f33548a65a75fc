from linter.context import SchemaContext
from linter.conventions import judged_tables
from linter.findings import Severity
from linter.rule import Doc, Example, Option, Rule
from linter.schema import Schema


class TooManyIndexes(Rule):
    id = "K005"
    name = "too-many-indexes"
    severity = Severity.INFO
    summary = "A table has more indexes than the configured limit (default 5)."
    prisma = True
    options = {
        "max": Option(5, "how many indexes a table may have, its primary key's not counted"),
        "exempt": Option([], "globs of table names (`audit_*`, `archive.*`) to leave alone"),
    }
    doc = Doc(
        what="A table with more than `max` indexes (5 by default) after the whole migration set, reported at its "
        "`CREATE TABLE` (Prisma: the `model` line). Unique constraints and indexes count; the primary key does not.",
        why="Every INSERT and most UPDATEs write every index: past a handful, writes slow down, the table bloats, "
        "and some indexes usually serve no query any more.",
        instead="Check which indexes queries use (`pg_stat_user_indexes.idx_scan`), drop the unused and the "
        "redundant (K004), or merge several into one composite index.",
        bad=Example(
            "CREATE TABLE events (\n  id bigint PRIMARY KEY,\n  a int, b int, c int, d int, e int, f int\n);\n"
            "CREATE INDEX ON events (a);\nCREATE INDEX ON events (b);\nCREATE INDEX ON events (c);\n"
            "CREATE INDEX ON events (d);\nCREATE INDEX ON events (e);\nCREATE INDEX ON events (f);\n",
            expect=((1, 1),),
        ),
        good=Example(
            "CREATE TABLE events (\n  id bigint PRIMARY KEY,\n  a int, b int, c int, d int, e int, f int\n);\n"
            "CREATE INDEX ON events (a);\nCREATE INDEX ON events (b);\nCREATE INDEX ON events (c);\n"
            "CREATE INDEX ON events (d, e, f);\n",
        ),
    )

    def check_schema(self, schema: Schema, ctx: SchemaContext) -> None:
        if schema.dialect not in self.dialects:
            return
        limit: int = ctx.options["max"]
        for table in judged_tables(schema, ctx):
            count = sum(1 for index in table.indexes.values() if index.constraint != "primary")
            if count <= limit:
                continue
            assert table.span is not None
            ctx.report(
                table.span,
                f'table "{table.name}" has {count} indexes (more than {limit})',
                fix="drop the indexes no query uses and those another index covers (K004)",
            )
