import re

from linter.context import SchemaContext
from linter.dialects.pg_names import sequence_name
from linter.findings import Severity
from linter.rule import Doc, Example, Rule
from linter.schema import POSTGRESQL, Schema

from rules.c0_columns import applies, base_type, columns

_SERIALS = {"integer": "serial", "bigint": "bigserial", "smallint": "smallserial"}
# nextval('seq'::regclass), nextval('"Seq"'::regclass) or nextval('schema.seq'::regclass)
_NEXTVAL = re.compile(r"nextval\('(?:(?:\"[^\"]+\"|[^'.\"]+)\.)?(\"[^\"]+\"|[^'.\"]+)'::regclass\)")


class PreferIdentity(Rule):
    id = "C005"
    name = "prefer-identity"
    severity = Severity.INFO
    summary = "A column is `serial`/`bigserial`/`smallserial` instead of `GENERATED … AS IDENTITY`."
    dialects = frozenset({POSTGRESQL})
    doc = Doc(
        what="A PostgreSQL integer column that `serial`, `bigserial` or `smallserial` made: it defaults to "
        "`nextval('<table>_<column>_seq')` and is not an identity column.",
        why="A serial's sequence is a separate object with its own permissions and ownership: grants, dumps, table "
        "copies (`CREATE TABLE … LIKE`) and manual inserts go wrong in ways identity columns (SQL standard, "
        "PostgreSQL 10+) avoid; `GENERATED ALWAYS` also stops stray explicit ids.",
        instead="`id bigint GENERATED ALWAYS AS IDENTITY` (or `BY DEFAULT` when rows are sometimes inserted with ids).",
        bad=Example("CREATE TABLE users (\n  id bigserial PRIMARY KEY,\n  email text NOT NULL\n);\n", expect=((2, 3),)),
        good=Example("CREATE TABLE users (\n  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n  email text NOT NULL\n);\n"),
    )

    def check_schema(self, schema: Schema, ctx: SchemaContext) -> None:
        if not applies(schema, self.dialects) or ctx.from_prisma:
            return
        for table, column in columns(schema):
            base = base_type(column)
            if column.identity is not None or base not in _SERIALS or column.is_array or column.default is None:
                continue
            match = _NEXTVAL.fullmatch(column.default.strip())
            if match is None:
                continue
            sequence = match.group(1)
            sequence = sequence[1:-1].replace('""', '"') if sequence.startswith('"') else sequence
            if sequence != sequence_name(table.name, column.name) or column.span is None:
                continue
            serial = _SERIALS[base]
            ctx.report(
                column.span,
                f'column "{table.name}.{column.name}" is a {serial}; use {base} GENERATED ALWAYS AS IDENTITY',
                fix=f"{column.name} {base} GENERATED ALWAYS AS IDENTITY (existing tables: see the PostgreSQL wiki's serial-to-identity recipe)",
            )
