from linter.context import SchemaContext
from linter.conventions import judged_tables
from linter.findings import Severity
from linter.keywords import sql_name
from linter.rule import Doc, Example, Option, Rule
from linter.schema import MYSQL, POSTGRESQL, SQLITE, Schema


class TableWithoutPrimaryKey(Rule):
    id = "K002"
    name = "table-without-primary-key"
    severity = Severity.ERROR
    summary = "A table has no primary key (Prisma: no @id / @@id)."
    prisma = True
    options = {"exempt": Option([], "globs of table names (`audit_*`, `archive.*`) to leave alone")}
    doc = Doc(
        what="A table with no primary key after the whole migration set is replayed (a later `ADD PRIMARY KEY` "
        "repairs it), reported at its `CREATE TABLE`; a Prisma model with neither `@id` nor `@@id` (a "
        "`@unique` alone is not a key). Prisma views are not tables; migration tools' own tables are left alone.",
        why="Without a key, duplicate rows cannot be told apart or deleted one at a time, logical replication "
        "cannot replicate UPDATE and DELETE, MySQL clusters the table on a hidden key, and ORMs cannot address "
        "a row.",
        instead="Give every table a primary key: a surrogate `id bigint GENERATED ALWAYS AS IDENTITY` or a "
        "`uuid`, or the natural composite key of a link table (`PRIMARY KEY (user_id, group_id)`).",
        bad=Example("CREATE TABLE page_views (\n  path text NOT NULL,\n  viewed_at timestamptz NOT NULL\n);\n", expect=((1, 1),)),
        good=Example(
            "CREATE TABLE page_views (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  path text NOT NULL,\n"
            "  viewed_at timestamptz NOT NULL\n);\n"
        ),
    )

    def check_schema(self, schema: Schema, ctx: SchemaContext) -> None:
        if schema.dialect not in self.dialects:
            return
        for table in judged_tables(schema, ctx):
            if table.primary_key is not None:
                continue
            assert table.span is not None
            if ctx.from_prisma:
                fix = "add @id to the field that identifies a row, or @@id([...]) over the fields that do"
            elif schema.dialect == SQLITE:  # no ALTER TABLE … ADD PRIMARY KEY there
                fix = "rebuild the table with a PRIMARY KEY (an `id INTEGER PRIMARY KEY` column numbers the rows)"
            else:
                identity = _IDENTITY.get(schema.dialect or "", _IDENTITY[POSTGRESQL])
                fix = f"ALTER TABLE {sql_name(table.name, schema.dialect)} ADD PRIMARY KEY (...); or add an {identity}"
            ctx.report(table.span, f'table "{table.name}" has no primary key', fix=fix)


# A column that numbers the rows, per dialect.
_IDENTITY = {
    POSTGRESQL: "id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
    MYSQL: "id bigint AUTO_INCREMENT PRIMARY KEY",
}
