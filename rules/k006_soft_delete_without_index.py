import re

from linter.context import SchemaContext
from linter.conventions import add_to_model, field_name, find_column, judged_tables, model_block
from linter.findings import Severity
from linter.rule import Doc, Example, Option, Rule
from linter.schema import Column, Schema, Table


def index_uses(table: Table, column: Column) -> bool:
    """Whether any index (plain, unique, partial, expression) reads the column: as an element,
    in an expression, in its predicate, or in the primary key."""
    word = re.compile(rf'(?<![\w$]){re.escape(column.name)}(?![\w$])', re.IGNORECASE)
    for index in table.indexes.values():
        if index.predicate is not None and word.search(index.predicate):
            return True
        for element in index.elements:
            if element.text.lower() == column.name.lower() or (element.is_expression and word.search(element.text)):
                return True
    return table.primary_key is not None and column.name in table.primary_key.columns


class SoftDeleteWithoutIndex(Rule):
    id = "K006"
    name = "soft-delete-without-index"
    severity = Severity.INFO
    summary = "A table has a deleted_at column but no index that uses it."
    prisma = True
    options = {
        "column": Option("deleted_at", "the soft-delete column"),
        "accept-camel-case": Option(True, "a camelCase column (`deletedAt`) counts for its snake_case name"),
        "exempt": Option([], "globs of table names (`audit_*`, `archive.*`) to leave alone"),
    }
    doc = Doc(
        what="A table with a soft-delete column (`deleted_at`, configurable; camelCase `deletedAt` counts) that no "
        "index uses after the whole migration set — neither as a column, in an expression, nor in a partial "
        "index's `WHERE`. Reported at the column.",
        why="With soft deletes nearly every query says `WHERE deleted_at IS NULL`; without an index that knows it, "
        "the live rows are found by reading the dead ones too, and the dead pile up for ever.",
        instead="Make the indexes queries use partial: `CREATE INDEX … ON t (user_id) WHERE deleted_at IS NULL` "
        "(Prisma cannot write a partial index: add `@@index([deletedAt])`, or a partial one in a migration).",
        bad=Example(
            "CREATE TABLE documents (\n  id bigint PRIMARY KEY,\n  owner_id bigint NOT NULL,\n  deleted_at timestamptz\n);\n"
            "CREATE INDEX documents_owner_id_idx ON documents (owner_id);\n",
            expect=((4, 3),),
        ),
        good=Example(
            "CREATE TABLE documents (\n  id bigint PRIMARY KEY,\n  owner_id bigint NOT NULL,\n  deleted_at timestamptz\n);\n"
            "CREATE INDEX documents_owner_id_idx ON documents (owner_id) WHERE deleted_at IS NULL;\n",
        ),
    )

    def check_schema(self, schema: Schema, ctx: SchemaContext) -> None:
        if schema.dialect not in self.dialects:
            return
        for table in judged_tables(schema, ctx):
            column = find_column(table, ctx.options["column"], ctx.options["accept-camel-case"])
            if column is None or index_uses(table, column):
                continue
            message = f'soft-delete column "{table.name}.{column.name}" is used by no index'
            block = model_block(table)
            if block is not None and column.source is not None:
                attribute = f"@@index([{field_name(column)}])"
                ctx.report(column.source.name_span, message, fix=f"add {attribute} to the model", edits=add_to_model(block, [attribute]))
            elif column.span is not None:
                ctx.report(
                    column.span,
                    message,
                    fix=f"make the indexes queries use partial (... WHERE {column.name} IS NULL), or index {column.name}",
                )
