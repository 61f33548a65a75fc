from linter.context import SchemaContext
from linter.findings import Severity
from linter.keywords import sql_name
from linter.rule import Doc, Example, Option, Rule
from linter.schema import Schema, Table
from rules.c0_columns import applies, change_column, column_span, columns, exempt


class PreferNotNull(Rule):
    id = "C011"
    name = "prefer-not-null"
    severity = Severity.INFO
    default_on = False
    summary = "A nullable column other than `deleted_at` and optional relation keys."
    prisma = True
    options = {
        "allow": Option(["deleted_at", "deletedAt"], "column names that are nullable by design"),
        "exempt": Option(["_prisma_migrations"], "table names (globs) not judged"),
    }
    doc = Doc(
        what="A column that allows NULL, after the whole migration set is replayed (Prisma: an optional `?` field), "
        "other than `deleted_at` (configurable) and the columns of a foreign key (an optional relation).",
        why="Every nullable column adds a third truth value to every query on it (`NOT IN` with a NULL returns "
        "nothing, `count(col)` skips rows); most columns are nullable only because NOT NULL was not written.",
        instead="Write `NOT NULL` (with a default where rows exist); keep NULL for values that are truly unknown.",
        bad=Example("CREATE TABLE users (\n  id bigint PRIMARY KEY,\n  email text\n);\n", expect=((3, 3),)),
        good=Example("CREATE TABLE users (\n  id bigint PRIMARY KEY,\n  email text NOT NULL,\n  deleted_at timestamptz\n);\n"),
    )

    def check_schema(self, schema: Schema, ctx: SchemaContext) -> None:
        if not applies(schema, self.dialects):
            return
        allow = set(ctx.options["allow"])
        globs = ctx.options["exempt"]
        keys: dict[int, set[str]] = {}
        for table, column in columns(schema):
            if not column.nullable or column.name in allow or exempt(table, globs):
                continue
            field = column.source
            if field is not None and (field.type is None or not field.type.optional):
                continue  # a Prisma scalar list: its column is nullable but the field cannot be made required
            if column.name.lower() in keys.setdefault(id(table), _key_columns(table)):
                continue
            span = column_span(table, column)
            if span is None:
                continue
            fix = "remove the ? from the field's type" if field is not None else change_column(
                table,
                column,
                schema.dialect,
                f"ALTER TABLE {sql_name(table.name, schema.dialect)} ALTER COLUMN {sql_name(column.name, schema.dialect)} SET NOT NULL;",
                not_null=True,
            )
            ctx.report(span, f'column "{table.name}.{column.name}" is nullable', fix=fix)


def _key_columns(table: Table) -> set[str]:
    return {name.lower() for fk in table.foreign_keys.values() for name in fk.columns}
