from linter.context import SchemaContext
from linter.findings import Severity
from linter.keywords import sql_name
from linter.rule import Doc, Example, Rule
from linter.schema import MYSQL, POSTGRESQL, Schema
from rules.c0_columns import applies, base_type, change_column, column_span, columns, native_attribute, replace_span


class BanCharType(Rule):
    id = "C004"
    name = "ban-char-type"
    severity = Severity.WARNING
    summary = "A column is `char(n)` / `character(n)` (Prisma `@db.Char`)."
    prisma = True
    dialects = frozenset({POSTGRESQL, MYSQL})
    doc = Doc(
        what="A column of the fixed-length `char(n)` / `character(n)` type (Prisma `@db.Char(n)`), in PostgreSQL or "
        "MySQL. PostgreSQL's internal one-byte `\"char\"` type is not this.",
        why="`char(n)` pads values with spaces and then ignores trailing spaces in comparisons and strips them on "
        "read (MySQL), so `'ab'` and `'ab '` collide; in PostgreSQL it is no faster than `text` and the length limit "
        "still needs a table rewrite to change.",
        instead="Use `text` (PostgreSQL) or `varchar(n)`, with a CHECK on the length when it must be exact.",
        bad=Example("CREATE TABLE countries (\n  id bigint PRIMARY KEY,\n  code char(2) NOT NULL\n);\n", expect=((3, 3),)),
        good=Example("CREATE TABLE countries (\n  id bigint PRIMARY KEY,\n  code text NOT NULL CHECK (length(code) = 2)\n);\n"),
    )

    def check_schema(self, schema: Schema, ctx: SchemaContext) -> None:
        if not applies(schema, self.dialects):
            return
        for table, column in columns(schema):
            if base_type(column) not in ("character", "char"):
                continue
            message = f'column "{table.name}.{column.name}" is {column.type}: fixed-length, space-padded text'
            attribute = native_attribute(column)
            if attribute is not None and attribute.name == "db.Char":
                size = column.type[column.type.find("(") :] if "(" in column.type else ""
                size = size.removesuffix("[]")
                replacement = f"@db.VarChar{size}"
                ctx.report(attribute.span, message, fix=f"use {replacement}", edits=replace_span(attribute.span, replacement))
                continue
            span = column_span(table, column)
            if span is not None:
                target = "text" if schema.dialect == POSTGRESQL else column.type.replace("char", "varchar", 1)
                ctx.report(span, message, fix=change_column(table, column, schema.dialect, f"ALTER TABLE {sql_name(table.name, schema.dialect)} ALTER COLUMN {sql_name(column.name, schema.dialect)} TYPE {target};", new_type=target))
