from __future__ import annotations

import re

from linter.context import SchemaContext
from linter.findings import Severity
from linter.rule import Doc, Example, Option, Rule
from linter.schema import MYSQL, POSTGRESQL, Schema, Table

_LIMITS = {POSTGRESQL: 63, MYSQL: 64}


def expected_name(pattern: str, table: str, columns: list[str], suffix: str) -> str:
    name = pattern.replace("{table}", table).replace("{columns}", "_".join(columns)).replace("{suffix}", suffix)
    if not columns:  # a primary key names no columns: `{table}_{columns}_{suffix}` is `{table}_pkey`
        name = re.sub(r"_{2,}", "_", name).strip("_")
    return name


def _mysql_generated(name: str, table: Table, columns: list[str]) -> bool:
    """Names MySQL makes up for unnamed objects: `<table>_ibfk_<n>`, `<table>_chk_<n>`, and an
    index named after its first column (`email`, `email_2`)."""
    if re.fullmatch(rf"{re.escape(table.name)}_(ibfk|chk)_\d+", name, re.IGNORECASE):
        return True
    return bool(columns) and re.fullmatch(rf"{re.escape(columns[0])}(_\d+)?", name, re.IGNORECASE) is not None


class IndexNameConvention(Rule):
    id = "N006"
    name = "index-name-convention"
    severity = Severity.INFO
    default_on = False
    summary = "An index or constraint name does not follow the configured pattern ({table}_{columns}_{suffix})."
    dialects = frozenset({POSTGRESQL, MYSQL})
    prisma = True
    options = {
        "pattern": Option(
            "{table}_{columns}_{suffix}",
            "the expected name; {table}, {columns} (joined with _) and {suffix} are replaced",
        ),
    }
    doc = Doc(
        what="An index, primary key, unique, foreign key, check or exclusion constraint whose name is not "
        "`pattern` (default `{table}_{columns}_{suffix}`, with suffix `pkey`, `key` for unique, `idx`, "
        "`fkey`, `check`, `excl` — PostgreSQL's own scheme). Names the database generates, names cut to "
        "the identifier limit, expression indexes and MySQL's `PRIMARY` are not judged.",
        why="When every name says its table, columns and kind, a lock wait, a constraint violation or an "
        "`EXPLAIN` plan tells you what it is about without a catalog query, and two people never give the "
        "same index two names.",
        instead="Name objects by the pattern: `CREATE INDEX orders_customer_id_idx ON orders (customer_id)`, "
        '`@@index([customerId], map: "orders_customer_id_idx")`, or leave the name out and let the database '
        "(or Prisma) derive it.",
        bad=Example(
            "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);\n"
            "CREATE INDEX ix_customer ON orders (customer_id);\n",
            expect=((2, 1),),
        ),
        good=Example(
            "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);\n"
            "CREATE INDEX orders_customer_id_idx ON orders (customer_id);\n"
        ),
    )

    def check_schema(self, schema: Schema, ctx: SchemaContext) -> None:
        if schema.dialect not in _LIMITS:
            return
        pattern = ctx.options["pattern"]
        limit = _LIMITS[schema.dialect]
        for table in schema.tables.values():
            if table.source is not None and getattr(table.source, "kind", None) != "model":
                continue  # Prisma's implicit many-to-many tables
            seen: set[str] = set()
            objects: list[tuple[str, object, list[str], str]] = []
            if table.primary_key is not None and schema.dialect == POSTGRESQL:
                objects.append(("primary key", table.primary_key, [], "pkey"))
                seen.add(table.primary_key.name or "")
            for index in table.indexes.values():
                if any(element.is_expression for element in index.elements) or index.constraint == "primary":
                    continue
                suffix = {"unique": "key", "exclude": "excl"}.get(index.constraint or "", "key" if index.unique else "idx")
                objects.append(("index", index, index.columns, suffix))
            for key in table.foreign_keys.values():
                objects.append(("foreign key", key, key.columns, "fkey"))
            for check in table.checks.values():
                objects.append(("check constraint", check, check.columns, "check"))
            for kind, obj, columns, suffix in objects:
                name = getattr(obj, "name", None)
                if not name or (kind != "primary key" and name in seen):
                    continue
                seen.add(name)
                if schema.dialect == MYSQL and _mysql_generated(name, table, columns):
                    continue
                wanted = [expected_name(pattern, table.name, columns, suffix)]
                if suffix == "key" and getattr(obj, "constraint", None) is None:
                    # a unique index (not a constraint): PostgreSQL derives `_idx`, Prisma `_key`
                    wanted.append(expected_name(pattern, table.name, columns, "idx"))
                if suffix == "check":
                    # PostgreSQL names a check after its one column, or after none
                    wanted += [expected_name(pattern, table.name, columns[:1], suffix), f"{table.name}_check"]
                # PostgreSQL numbers a derived name that is taken: `users_email_key1`
                if name in wanted or name.rstrip("0123456789") in wanted or any(len(w.encode("utf-8")) > limit for w in wanted):
                    continue  # a pattern too long for the dialect cannot be followed to the letter
                if not columns and suffix not in ("pkey", "check"):
                    continue
                span = self._span(obj, ctx.from_prisma) or table.span
                if span is None:
                    continue
                ctx.report(
                    span,
                    f'{kind} "{name}" on "{table.name}" does not follow the naming pattern; expected "{wanted[0]}"',
                    fix=f'rename it to "{wanted[0]}"',
                )

    @staticmethod
    def _span(obj, from_prisma: bool):
        source = getattr(obj, "source", None)
        if from_prisma and source is not None and hasattr(source, "argument"):
            argument = source.argument("map")
            if argument is not None and argument.value is not None:
                return argument.value.span
            return source.span
        return obj.span
