from __future__ import annotations

import re

from linter.context import SchemaContext
from linter.findings import Severity, Span
from linter.rule import Doc, Example, Rule
from linter.schema import MYSQL, POSTGRESQL, Schema, Table
from rules.n001_table_name_snake_case import prisma_model, table_anchor

PG_LIMIT_BYTES = 63
MYSQL_LIMIT_CHARS = 64
# PostgreSQL's parser cuts every identifier to 63 bytes (at a character boundary) before the
# replay sees it, so a name this long may be the remains of a longer one written in the SQL.
_MAYBE_CUT_BYTES = PG_LIMIT_BYTES - 3
_IDENTIFIER_CHAR = re.compile(r"[\w$]")


def written_name(name: str, span: Span | None, dialect: str | None) -> str:
    """The name as the SQL at `span` wrote it: in PostgreSQL a name of 60–63 bytes is looked up
    in the statement's text and extended to the full identifier written there."""
    if dialect != POSTGRESQL or span is None or len(name.encode("utf-8")) < _MAYBE_CUT_BYTES:
        return name
    text = span.file.text[span.start : span.end]
    longest = name
    for match in re.finditer(re.escape(name), text, re.IGNORECASE):
        end = match.end()
        quoted = match.start() > 0 and text[match.start() - 1] == '"'
        if quoted:
            close = text.find('"', end)
            end = close if close != -1 else end
        else:
            while end < len(text) and _IDENTIFIER_CHAR.match(text[end]):
                end += 1
        if end - match.start() > len(longest):
            longest = text[match.start() : end]
    return longest


def too_long(name: str, dialect: str | None) -> str | None:
    """How `name` breaks the dialect's identifier limit, or None when it fits."""
    if dialect == POSTGRESQL:
        size = len(name.encode("utf-8"))
        return f"{size} bytes, over PostgreSQL's 63" if size > PG_LIMIT_BYTES else None
    if dialect == MYSQL:
        return f"{len(name)} characters, over MySQL's 64" if len(name) > MYSQL_LIMIT_CHARS else None
    return None


class IdentifierTooLong(Rule):
    id = "N005"
    name = "identifier-too-long"
    severity = Severity.ERROR
    summary = "An identifier is longer than the dialect allows (PostgreSQL 63 bytes, MySQL 64 characters)."
    dialects = frozenset({POSTGRESQL, MYSQL})
    prisma = True
    doc = Doc(
        what="A table, column, enum, index or constraint name longer than the dialect's limit: 63 bytes in "
        "PostgreSQL (UTF-8 bytes, not characters), 64 characters in MySQL. Names written in the SQL or in a "
        "Prisma `@@map`/`@map`/`map:` count, and so do the names Prisma derives for indexes and constraints "
        "when none is given (`{table}_{columns}_idx`, `_key`, `_fkey`, `_pkey`). Names PostgreSQL generates "
        "itself for unnamed constraints are already cut to fit and are not reported.",
        why="PostgreSQL silently truncates a long name to 63 bytes: the object exists under a name nobody wrote, "
        "a later `DROP INDEX`/`ALTER … CONSTRAINT` with the full name fails, and two long names that share a "
        "prefix collide. MySQL refuses the statement outright. Prisma cuts its derived names the same way, so "
        "the database name differs from what the schema suggests.",
        instead="Choose a shorter name and write it explicitly: `CREATE INDEX orders_customer_created_idx …`, or "
        'in Prisma `@@index([customerId, createdAt], map: "orders_customer_created_idx")`.',
        bad=Example(
            "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, created_at timestamptz);\n"
            "CREATE INDEX orders_by_customer_identifier_and_creation_timestamp_for_reports_idx\n"
            "  ON orders (customer_id, created_at);\n",
            expect=((2, 1),),
        ),
        good=Example(
            "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint, created_at timestamptz);\n"
            "CREATE INDEX orders_customer_created_idx ON orders (customer_id, created_at);\n"
        ),
    )

    def check_schema(self, schema: Schema, ctx: SchemaContext) -> None:
        dialect = schema.dialect
        if dialect not in self.dialects:
            return
        for enum in schema.enums.values():
            name = enum.name if ctx.from_prisma else written_name(enum.name, enum.span, dialect)
            problem = too_long(name, dialect)
            if problem and enum.span is not None:
                ctx.report(enum.span, f'enum type name "{name}" is {problem}', fix="choose a shorter name")
        for table in schema.tables.values():
            if table.source is not None and prisma_model(table) is None:
                continue  # Prisma's implicit many-to-many tables: Prisma fits their names itself
            span = table_anchor(table)
            name = table.name if ctx.from_prisma else written_name(table.name, span, dialect)
            problem = too_long(name, dialect)
            if problem and span is not None:
                ctx.report(span, f'table name "{name}" is {problem}', fix="choose a shorter table name")
            for column in table.columns.values():
                span = _column_span(column, ctx.from_prisma) or table.span
                name = column.name if ctx.from_prisma else written_name(column.name, span, dialect)
                problem = too_long(name, dialect)
                if problem is not None and span is not None:
                    ctx.report(span, f'column name "{table.name}.{name}" is {problem}', fix="choose a shorter column name")
            if ctx.from_prisma:
                self._prisma_names(table, dialect, ctx)
            else:
                self._sql_names(table, dialect, ctx)

    def _sql_names(self, table: Table, dialect: str, ctx: SchemaContext) -> None:
        seen: set[str] = set()  # a primary key or unique constraint is also in `indexes`
        objects = [("primary key", table.primary_key)] if table.primary_key else []
        objects += [("index", index) for index in table.indexes.values()]
        objects += [("foreign key", key) for key in table.foreign_keys.values()]
        objects += [("check constraint", check) for check in table.checks.values()]
        for kind, obj in objects:
            if not obj.name or obj.name in seen:
                continue
            seen.add(obj.name)
            span = obj.span or table.span
            name = written_name(obj.name, span, dialect)
            problem = too_long(name, dialect)
            if problem and span is not None:
                ctx.report(span, f'{kind} name "{name}" on "{table.name}" is {problem}', fix="give it a shorter explicit name")

    def _prisma_names(self, table: Table, dialect: str, ctx: SchemaContext) -> None:
        # (kind, attribute, the full name Prisma starts from, the name it uses after cutting)
        derived: list[tuple[str, object, str, str | None]] = []
        key = table.primary_key
        if key is not None and dialect == POSTGRESQL:  # MySQL calls every primary key PRIMARY
            derived.append(("primary key", key.source, f"{table.name}_pkey", key.name))
        for index in table.indexes.values():
            suffix = "key" if index.unique else "idx"
            derived.append(("index", index.source, f"{table.name}_{'_'.join(index.columns)}_{suffix}", index.name))
        for foreign_key in table.foreign_keys.values():
            full = f"{table.name}_{'_'.join(foreign_key.columns)}_fkey"
            derived.append(("foreign key", foreign_key.source, full, foreign_key.name))
        for kind, attribute, full, cut in derived:
            if attribute is None or not hasattr(attribute, "argument"):
                continue
            argument = attribute.argument("map")
            if argument is not None and argument.value is not None:
                explicit = getattr(argument.value, "value", None)
                problem = too_long(explicit, dialect) if isinstance(explicit, str) else None
                if problem:
                    ctx.report(argument.value.span, f'{kind} name "{explicit}" on "{table.name}" is {problem}',
                               fix="choose a shorter name in map:")
                continue
            problem = too_long(full, dialect)
            if problem is None:
                continue
            ctx.report(
                attribute.span,
                f'the {kind} name Prisma derives on "{table.name}", "{full}", is {problem}; Prisma cuts it to "{cut}"',
                fix='name it explicitly with a short map: "…" argument',
            )


def _column_span(column, from_prisma: bool) -> Span | None:
    field = column.source if from_prisma else None
    if field is None or not hasattr(field, "attribute"):
        return column.span
    mapped = field.attribute("map")
    return mapped.span if mapped is not None else field.name_span

