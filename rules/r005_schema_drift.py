from __future__ import annotations

from typing import TYPE_CHECKING

from linter.context import SchemaContext
from linter.findings import Severity, Span
from linter.rule import Doc, Example, Rule
from linter.schema import Schema

if TYPE_CHECKING:
    from linter.drift import Difference

# linter.drift and linter.prisma are imported where a Prisma schema is compared: a check of
# plain SQL migrations loads every rule and should not pay for them.

_MIGRATE = "run `prisma migrate dev --create-only` to write the missing migration, review it and commit it"
_DATASOURCE = 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\n'
_INIT = (
    'CREATE TABLE "User" (\n    "id" SERIAL NOT NULL,\n    "email" TEXT NOT NULL,\n\n'
    '    CONSTRAINT "User_pkey" PRIMARY KEY ("id")\n);\n',
)


class SchemaDrift(Rule):
    id = "R005"
    name = "schema-drift"
    severity = Severity.ERROR
    summary = "The Prisma schema and the schema its migrations build differ: a migration is missing."
    dialects = frozenset()
    prisma = True
    doc = Doc(
        what="A Prisma schema whose migrations do not build it. dbvet replays the migrations beside the schema "
        "and compares the result with what Prisma Migrate would create from the schema: tables, columns and "
        "their types, nullability and defaults, primary keys, unique and plain indexes, foreign keys with their "
        "actions, and enum values. Something the schema has (or has differently) is reported at the field, "
        "model, enum value or attribute; something only the migrations create, at the migration that made it. "
        "Equivalent spellings are not differences: types are compared as the database spells them, "
        "`autoincrement()` matches SERIAL, identity, AUTO_INCREMENT and SQLite's INTEGER PRIMARY KEY, `uuid()` "
        "and `cuid()` (filled in by Prisma Client) are never compared with a database default, a unique "
        "constraint is a unique index, and indexes are matched by columns before names. What Prisma cannot "
        "express (partial and expression indexes, operator classes, views, functions, triggers, CHECK "
        "constraints, tables outside the datasource's schemas) and foreign keys under "
        '`relationMode = "prisma"` are left alone. Silent when a migration has a syntax error (E001), whose '
        "statements the replay cannot apply, or when the schema itself has one (E002).",
        why="`prisma migrate deploy` applies the migrations, not the schema: a field added to the schema without "
        "its migration exists in Prisma Client but not in the database, and the first query that touches it "
        "fails in production. A column created by a hand-written migration but missing from the schema is "
        "dropped by the next `prisma migrate dev`.",
        instead="Change the schema, then run `prisma migrate dev --create-only` and commit the migration it writes "
        "with the schema. When a migration did something by hand on purpose, bring the schema to the same "
        "state (`prisma db pull` against a migrated database shows how Prisma spells it).",
        bad=Example(
            _DATASOURCE
            + "model User {\n  id    Int     @id @default(autoincrement())\n  email String?\n  name  String\n}\n",
            kind="prisma",
            before=_INIT,
            expect=((8, 3), (9, 3)),
        ),
        good=Example(
            _DATASOURCE + "model User {\n  id    Int    @id @default(autoincrement())\n  email String\n}\n",
            kind="prisma",
            before=_INIT,
        ),
    )

    def check_schema(self, schema: Schema, ctx: SchemaContext) -> None:
        migrated, document = ctx.migrated, ctx.prisma_document
        if migrated is None or document is None or document.errors or migrated.schema.dialect != schema.dialect:
            return
        from linter.drift import compare

        relation_mode = document.config_string("relationMode") or document.config_string("referentialIntegrity")
        found = compare(schema, migrated, foreign_keys=relation_mode != "prisma", namespaces=_namespaces(document))
        fallback = Span(document.files[0], 0, 0) if document.files else None
        schema_name = _schema_name(ctx)
        for difference in found:
            span = difference.span or fallback
            if span is not None:
                ctx.report(span, _message(difference, schema_name), fix=_fix(difference))


def _namespaces(document) -> set[str] | None:
    """The PostgreSQL schemas Prisma manages: the datasource's `schemas`, else `public`."""
    from linter.prisma.ast import ArrayValue, StringValue

    datasource = document.datasource
    entry = datasource.entry("schemas") if datasource is not None else None
    if entry is None or not isinstance(entry.value, ArrayValue):
        return None
    return {item.value for item in entry.value.items if isinstance(item, StringValue)}


def _schema_name(ctx: SchemaContext) -> str:
    files = ctx.migration_set.prisma_schema if ctx.migration_set is not None else []
    return files[0].name if len(files) == 1 else "the Prisma schema"


def _message(difference: Difference, schema_name: str) -> str:
    from linter.drift import Kind

    if difference.kind is Kind.NOT_MIGRATED:
        return (
            f"{difference.prisma} is in {schema_name} but no migration creates {difference.object}: "
            "a migration is missing"
        )
    if difference.kind is Kind.NOT_IN_SCHEMA:
        return (
            f"{difference.object} is created by {difference.migrations} but not described in {schema_name} "
            f"({difference.prisma}): the schema is behind the migrations, or the migration was written by hand"
        )
    by = f" (last changed by migration {difference.migration.version})" if difference.migration is not None else ""
    return (
        f"{difference.prisma} in {schema_name} but {difference.migrations} after the migrations{by}: "
        f"a migration is missing, or the schema was changed back without one ({difference.object})"
    )


def _fix(difference: Difference) -> str:
    from linter.drift import Kind

    if difference.kind is Kind.NOT_IN_SCHEMA:
        return (
            "describe it in the Prisma schema (`prisma db pull` against a migrated database shows how), "
            "or write a migration that drops it"
        )
    return _MIGRATE
