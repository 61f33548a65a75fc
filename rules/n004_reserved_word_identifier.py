from __future__ import annotations

from linter.context import SchemaContext
from linter.findings import Severity
from linter.keywords import reserved_word
from linter.rule import Doc, Example, Rule
from linter.schema import Schema
from rules.n001_table_name_snake_case import prisma_model, table_anchor

_DIALECT_NAMES = {"postgresql": "PostgreSQL", "mysql": "MySQL", "sqlite": "SQLite"}


class ReservedWordIdentifier(Rule):
    id = "N004"
    name = "reserved-word-identifier"
    severity = Severity.WARNING
    summary = "A table or column is named with a reserved SQL keyword of the dialect (user, order, group, …)."
    prisma = True
    doc = Doc(
        what="A table or column whose name is a reserved keyword of the dialect: PostgreSQL's fully reserved "
        "keywords (`user`, `order`, `group`, `table`, `limit`, …), MySQL 8's reserved words (`order`, `key`, "
        "`rank`, `range`, `condition`, …; `user` is not one), SQLite's keywords that cannot be a bare name. "
        "For Prisma the database name counts (`@@map`/`@map`, else the model or field name). In PostgreSQL a "
        'quoted name with capitals (`"User"`) is not the keyword.',
        why="Every query must quote the name (`SELECT * FROM \"user\"` — unquoted, `user` is the current role "
        "and the query silently returns something else), and every tool and hand-written report trips on it.",
        instead="Pick a name that is not a keyword: `users` or `app_user`, `sort_order`, `user_group`. In Prisma "
        'keep the field name and map it: `order Int @map("sort_order")`.',
        bad=Example(
            'CREATE TABLE "user" (\n  id bigint PRIMARY KEY,\n  "order" integer NOT NULL\n);\n',
            expect=((1, 1), (3, 3)),
        ),
        good=Example("CREATE TABLE users (\n  id bigint PRIMARY KEY,\n  sort_order integer NOT NULL\n);\n"),
    )

    def check_schema(self, schema: Schema, ctx: SchemaContext) -> None:
        dialect = schema.dialect
        where = _DIALECT_NAMES.get(dialect or "", dialect or "SQL")
        for table in schema.tables.values():
            if table.source is not None and prisma_model(table) is None:
                continue  # an implicit many-to-many table: `_AToB` with columns A and B
            word = reserved_word(table.name, dialect)
            span = table_anchor(table)
            if word is not None and span is not None:
                ctx.report(
                    span,
                    f'table "{table.name}" is named with the {where} reserved word {word.upper()}',
                    fix=_fix(ctx.from_prisma, "@@map", table.name),
                )
            for column in table.columns.values():
                word = reserved_word(column.name, dialect)
                if word is None:
                    continue
                field = column.source if ctx.from_prisma else None
                if field is not None:
                    mapped = field.attribute("map")
                    span = mapped.span if mapped is not None else field.name_span
                else:
                    span = column.span or table.span
                if span is None:
                    continue
                ctx.report(
                    span,
                    f'column "{table.name}.{column.name}" is named with the {where} reserved word {word.upper()}',
                    fix=_fix(ctx.from_prisma, "@map", column.name),
                )


def _fix(from_prisma: bool, attribute: str, name: str) -> str:
    # A table usually reads well in the plural (`users`, `orders`); a column needs a more
    # specific name (`sort_order`, `user_group`), which only its author can choose.
    example = f'"{name}s"' if attribute == "@@map" else "a more specific name"
    if from_prisma:
        return f"map it to a name that is not a keyword: {attribute}({example})" if attribute == "@@map" else (
            f'map it to a name that is not a keyword with @map("…"), {example}'
        )
    return f"rename it to a name that is not a keyword ({example}); until then quote it in every query"
