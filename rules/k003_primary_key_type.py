from linter.context import SchemaContext
from linter.conventions import judged_tables, prisma_relations
from linter.findings import Edit, Severity
from linter.keywords import sql_name
from linter.rule import Doc, Example, Option, Rule
from linter.schema import MYSQL, POSTGRESQL, Column, Schema, Table
from rules.c0_columns import change_column

POLICIES = ("uuid-or-bigint", "uuid", "bigint", "any")
# Integer types narrower than 64 bits, in PostgreSQL's and MySQL's spellings (serial is
# `integer` with a sequence default in the replay).
SMALL_INTEGERS = frozenset({"integer", "int", "int4", "smallint", "int2", "mediumint", "tinyint", "serial", "smallserial"})
BIG_INTEGERS = frozenset({"bigint", "int8", "bigserial"})
# How a UUID is stored: PostgreSQL's type, MySQL's 16 bytes or 36 characters.
UUID_TYPES = frozenset({"uuid", "binary(16)", "char(36)"})


def integer_kind(column: Column) -> str | None:
    """"small" or "big" for an integer column, None for anything else."""
    base = column.base_type.removesuffix(" unsigned").removesuffix(" zerofill").strip()
    if column.is_array:
        return None
    if base in SMALL_INTEGERS:
        return "small"
    if base in BIG_INTEGERS:
        return "big"
    return None


def breaks_policy(column: Column, policy: str) -> bool:
    kind = integer_kind(column)
    is_uuid = column.type in UUID_TYPES
    if policy == "uuid-or-bigint":
        return kind == "small"
    if policy == "uuid":
        return not is_uuid
    if policy == "bigint":
        return kind != "big"
    return False


class PrimaryKeyType(Rule):
    id = "K003"
    name = "primary-key-type"
    severity = Severity.WARNING
    summary = "A primary key is a 32-bit integer / serial (policy: uuid, bigint, uuid-or-bigint, any)."
    prisma = True
    dialects = frozenset({POSTGRESQL, MYSQL})
    options = {
        "policy": Option(
            "uuid-or-bigint",
            "what a primary key may be: `uuid-or-bigint` (only 32-bit and smaller integers are findings), `uuid`, "
            "`bigint`, or `any` (no finding)",
        ),
        "exempt": Option([], "globs of table names (`audit_*`, `archive.*`) to leave alone"),
    }
    doc = Doc(
        what="A single-column primary key that breaks the `policy`: by default an `integer`/`serial` (or smaller) "
        "key — Prisma `Int @id` — on PostgreSQL or MySQL. With `uuid` anything but a UUID is a finding, with "
        "`bigint` anything but a 64-bit integer. A key column that is also a foreign key is judged where it "
        "points; composite keys and SQLite (whose integer keys are 64-bit) are not judged.",
        why="A 32-bit key runs out at 2,147,483,647: inserts start failing on a busy table with no warning, and "
        "widening the key then rewrites the table and every table that references it, under lock.",
        instead="`id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY` or a `uuid` (Prisma: `BigInt @id "
        "@default(autoincrement())`, or `String @id @default(uuid()) @db.Uuid`).",
        bad=Example("CREATE TABLE accounts (\n  id serial PRIMARY KEY,\n  name text NOT NULL\n);\n", expect=((2, 3),)),
        good=Example("CREATE TABLE accounts (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  name text NOT NULL\n);\n"),
    )

    def check_schema(self, schema: Schema, ctx: SchemaContext) -> None:
        if schema.dialect not in self.dialects:
            return
        policy = ctx.options["policy"]
        if policy not in POLICIES or policy == "any":
            return
        for table in judged_tables(schema, ctx):
            key = table.primary_key
            if key is None or len(key.columns) != 1:
                continue
            column = table.column(key.columns[0])
            if column is None or not breaks_policy(column, policy) or _references(table, column.name):
                continue
            self._report(schema, table, column, policy, ctx)

    def _report(self, schema: Schema, table: Table, column: Column, policy: str, ctx: SchemaContext) -> None:
        message = f'primary key "{table.name}.{column.name}" is {column.type}'
        message += {"uuid-or-bigint": ": 32 bits run out", "uuid": ", not a UUID", "bigint": ", not a 64-bit integer"}[policy]
        field = column.source
        if field is None or field.type is None:
            span = column.span or table.span
            if span is not None:
                wanted = "bigint"
                if policy == "uuid":
                    wanted = "uuid" if schema.dialect == POSTGRESQL else "binary(16)"
                postgresql = f"ALTER TABLE {sql_name(table.name, schema.dialect)} ALTER COLUMN {sql_name(column.name, schema.dialect)} TYPE {wanted};"
                fix = change_column(table, column, schema.dialect, postgresql, new_type=wanted, not_null=True)
                ctx.report(span, message, fix=f"{fix} (and every column that references it)")
            return
        if policy == "uuid" and field.type.name == "String" and not any(a.name.startswith("db.") for a in field.attributes):
            end = field.type.span.end
            if schema.dialect != POSTGRESQL:
                ctx.report(field.type.span, message, fix="store it as a UUID (`@db.Binary(16)` or `@db.Char(36)`)")
                return
            # Prisma wants a relation's fields typed like the key they reference: the edit is
            # mechanical only when no relation points at this model.
            referenced = _referenced_models(ctx.prisma_document)
            edits = () if table.source.name in referenced else (Edit(field.type.span.path, end, end, " @db.Uuid"),)
            ctx.report(field.type.span, message, fix="add @db.Uuid to the field (and to the fields that reference it)", edits=edits)
            return
        wanted = "String @default(uuid()) @db.Uuid" if policy == "uuid" else "BigInt"
        ctx.report(field.type.span, message, fix=f"make it {wanted} (and the fields that reference it)")


def _references(table: Table, column_name: str) -> bool:
    """Whether the key column is itself a foreign key (a 1:1 extension of another table)."""
    if any(fk.columns == [column_name] for fk in table.foreign_keys.values()):
        return True
    return any(relation.columns == [column_name] for relation in prisma_relations(table))


def _referenced_models(document) -> set[str]:
    """Names of the models some relation's `references:` points at."""
    if document is None:
        return set()
    return {
        item.type.name
        for block in document.models
        for item in block.fields
        if item.type is not None and (relation := item.attribute("relation")) is not None and relation.value("references") is not None
    }
