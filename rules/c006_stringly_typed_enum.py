import re

from linter.context import SchemaContext
from linter.findings import Severity
from linter.rule import Doc, Example, Option, Rule
from linter.schema import Schema, Table

from rules.c0_columns import applies, column_span, columns, is_text, words

DEFAULT_NAMES = ["status", "state", "type", "kind", "role", "level", "category"]
# Names ending in an enum word that hold free-form text: MIME types, OAuth values from a provider.
DEFAULT_IGNORE = ["content_type", "mime_type", "media_type", "session_state", "token_type", "contentType", "mimeType", "mediaType", "sessionState", "tokenType"]


class StringlyTypedEnum(Rule):
    id = "C006"
    name = "stringly-typed-enum"
    severity = Severity.INFO
    summary = "A text column named status/state/type/kind/role/level/category has no CHECK or enum type."
    prisma = True
    options = {
        "names": Option(DEFAULT_NAMES, "the last word of a column name that says it holds one of a fixed set of values"),
        "ignore": Option(DEFAULT_IGNORE, "column names that end in such a word but hold free-form text"),
    }
    doc = Doc(
        what="A `text`/`varchar` column whose name (or its last word: `order_status`, `userRole`) is one of `status`, "
        "`state`, `type`, `kind`, `role`, `level`, `category` (configurable), with no CHECK constraint mentioning it, "
        "no enum type and no foreign key to a lookup table. Prisma: a `String` field so named instead of an `enum`.",
        why="Nothing stops `'actve'` or `'Active '` from being written; every reader must guess the set of values, and "
        "typos surface as rows no query matches.",
        instead="Use an enum type (Prisma `enum`), a CHECK constraint listing the values, or a foreign key to a lookup table.",
        bad=Example("CREATE TABLE orders (\n  id bigint PRIMARY KEY,\n  status text NOT NULL\n);\n", expect=((3, 3),)),
        good=Example(
            "CREATE TABLE orders (\n  id bigint PRIMARY KEY,\n  status text NOT NULL CHECK (status IN ('open', 'paid', 'shipped'))\n);\n"
        ),
    )

    def check_schema(self, schema: Schema, ctx: SchemaContext) -> None:
        if not applies(schema, self.dialects):
            return
        names = {name.lower() for name in ctx.options["names"]}
        ignore = set(ctx.options["ignore"])
        for table, column in columns(schema):
            parts = words(column.name)
            if not parts or parts[-1] not in names or column.name in ignore or not is_text(column, schema.dialect):
                continue
            if _constrained(table, column.name):
                continue
            span = column_span(table, column)
            if span is None:
                continue
            fix = "declare a Prisma enum and use it as the field's type" if column.source is not None else (
                f"ADD CONSTRAINT {table.name}_{column.name}_check CHECK ({column.name} IN (...)), or use an enum type"
            )
            ctx.report(span, f'column "{table.name}.{column.name}" holds a fixed set of values as free text; constrain it', fix=fix)


def _constrained(table: Table, column: str) -> bool:
    folded = column.lower()
    if any(folded in (name.lower() for name in fk.columns) for fk in table.foreign_keys.values()):
        return True
    mention = re.compile(rf'(?<![\w$]){re.escape(folded)}(?![\w$])')
    for check in table.checks.values():
        if check.not_null_column is not None:
            continue
        if folded in (name.lower() for name in check.columns) or mention.search(check.expression.lower()):
            return True
    return False
