from __future__ import annotations

from linter.context import SchemaContext
from linter.findings import Edit, Severity, Span
from linter.keywords import sql_name
from linter.rule import Doc, Example, Rule
from linter.schema import SQLITE, Schema, Table
from linter.text import is_snake_case, to_snake_case


def prisma_model(table: Table):
    """The Prisma model block a table came from; None for SQL tables and for the implicit
    many-to-many tables (`_AToB`), whose names Prisma chooses, not the user."""
    source = table.source
    return source if source is not None and getattr(source, "kind", None) == "model" else None


def table_anchor(table: Table) -> Span | None:
    """Where a table-name finding points: the `@@map` of its model when it has one (that is
    where the name is written), else the model name, else the CREATE TABLE."""
    model = prisma_model(table)
    if model is None:
        return table.span
    mapped = model.attribute("map")
    return mapped.span if mapped is not None else model.name_span


def add_block_attribute(model, text: str) -> Edit:
    """An edit adding `text` (e.g. `@@map("users")`) on its own line before the model's `}`."""
    file = model.span.file
    source = file.text
    brace = model.span.end - 1
    line_start = source.rfind("\n", 0, brace) + 1
    newline = "\r\n" if source[max(0, line_start - 2) : line_start] == "\r\n" else "\n"
    if source[line_start:brace].strip():
        return Edit(file.path, brace, brace, f"{newline}  {text}{newline}")
    return Edit(file.path, line_start, line_start, f"  {text}{newline}")


class TableNameSnakeCase(Rule):
    id = "N001"
    name = "table-name-snake-case"
    severity = Severity.WARNING
    summary = "A table name is not snake_case (Prisma: the @@map name, else the model name)."
    prisma = True
    doc = Doc(
        what="A table whose name does not match `^[a-z][a-z0-9_]*$`. For SQL the schema after the whole "
        "migration set is judged, at the CREATE TABLE; for Prisma the table name is the model's `@@map` "
        "name, else the model name (the tables Prisma makes for implicit many-to-many relations are "
        "named by Prisma and not judged).",
        why="A table named `\"UserAccount\"` must be double-quoted in every PostgreSQL query forever, and "
        "mixed conventions make every hand-written query a guess.",
        instead='Name tables in snake_case. In Prisma keep the PascalCase model and map it: '
        '`model UserAccount { … @@map("user_accounts") }`.',
        bad=Example('CREATE TABLE "UserAccount" (\n  id bigint PRIMARY KEY\n);\n', expect=((1, 1),)),
        good=Example("CREATE TABLE user_account (\n  id bigint PRIMARY KEY\n);\n"),
    )

    def check_schema(self, schema: Schema, ctx: SchemaContext) -> None:
        for table in schema.tables.values():
            if is_snake_case(table.name):
                continue
            if table.source is not None and prisma_model(table) is None:
                continue  # an implicit many-to-many table: Prisma names it `_AToB`
            span = table_anchor(table)
            if span is None:
                continue
            suggestion = to_snake_case(table.name)
            message = f'table "{table.name}" is not snake_case; use "{suggestion}"'
            model = prisma_model(table)
            if model is None:
                ctx.report(span, message, fix=_rename(table.name, suggestion, schema.dialect))
            elif model.attribute("map") is not None:
                ctx.report(span, message, fix=f'change it to @@map("{suggestion}")')
            else:
                attribute = f'@@map("{suggestion}")'
                ctx.report(
                    span,
                    message,
                    fix=f"add {attribute} to model {model.name} (the model name can stay as it is)",
                    edits=(add_block_attribute(model, attribute),),
                )


def _rename(name: str, suggestion: str, dialect: str | None) -> str:
    old, new = sql_name(name, dialect), sql_name(suggestion, dialect)
    if dialect == SQLITE and name.lower() == suggestion.lower():
        # SQLite compares table names without case: "Order" cannot be renamed to "order" directly.
        through = sql_name(f"{suggestion}_renamed", dialect)
        steps = f"ALTER TABLE {old} RENAME TO {through};\nALTER TABLE {through} RENAME TO {new};"
    else:
        steps = f"ALTER TABLE {old} RENAME TO {new};"
    return f"{steps} (with expand/contract if code reads it)"
