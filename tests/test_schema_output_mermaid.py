"""`dbvet schema --format mermaid`: exact diagrams, the words Mermaid's grammar accepts, and
(when Node.js and an installed Mermaid are at hand) Mermaid's own parser reading them."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from test_schema_output_samples import mysql_schema, pg_schema, source, sqlite_schema

from linter.schema import Column, ForeignKey, Name, Schema, Table
from linter.schema_output import render_schemas
from linter.schema_output_mermaid import mermaid_type

PG_DIAGRAM = """\
%% db/migrations
erDiagram
    "billing.invoices" {
        uuid account_id PK
        integer number PK
        uuid user_id FK
        numeric(19_4) total "In the account's currency"
        timestamp deleted_at
        bigint id_seq
    }
    "billing.receipts" {
        uuid account_id PK, FK
        integer number PK, FK
        text pk_ "pk: Printed key, `code` style"
    }
    "users" {
        uuid id PK
        varchar(255) email UK "Login | unique; ask @someone"
        role role
        text display_name "display name: Nom affiché «Zoë» shown in ‹b›bold‹/b›"
        timestamptz(3) created_at
    }
    "users" |o--o{ "billing.invoices" : "invoices_user_id_fkey"
    "billing.invoices" ||--o| "billing.receipts" : "receipts_account_id_number_fkey"
"""

MYSQL_DIAGRAM = """\
%% db/mysql
erDiagram
    "Customers" {
        int_unsigned id PK
        varchar(191) email UK
    }
    "orders" {
        int_unsigned id PK
        int_unsigned customer_id FK
        enum status
        decimal(10_2) amount
        text note "Free text"
    }
    "Customers" ||--o{ "orders" : "orders_ibfk_1"
"""

SQLITE_DIAGRAM = """\
%% prisma
erDiagram
    "Note" {
        integer id PK
        text ownerId FK
        datetime createdAt
    }
    "User" {
        text id PK
        text email UK
    }
    "User" |o--o{ "Note" : "Note_ownerId_fkey"
"""


def hostile_schema() -> Schema:
    """Names and comments that would break the diagram if printed as they are."""
    schema = Schema()
    odd = Table('we"ird%name\\x', "public")
    for name, type_, comment in [
        ("2fa", "boolean", None),
        ("FK", "text", None),
        ("Pk2", "text", None),
        ("uk_code", "text", None),
        ("größe", "integer", None),
        ("café", "integer", None),
        ("a-b.c d", 'public."My Type"[]', None),
        ("😀", "character(2)", None),
        ("note", "time(6) with time zone", 'say "hi" <b> ~x~ ' + "long " * 20),
    ]:
        odd.columns[name] = Column(name, type_, comment=comment)
    schema.tables["public.x"] = odd
    schema.tables["public.we_ird_name_x"] = Table("we_ird_name_x", "public")
    schema.tables["public.one"] = Table("one", "public")
    schema.tables["public.flow direction LR"] = Table("flow direction LR", "public")
    schema.tables["public.one"].foreign_keys["one direction tb"] = ForeignKey(
        "one direction tb", ["a"], Name("missing", "other"), ["id"]
    )
    return schema


HOSTILE_DIAGRAM = """\
%% db/migrations
erDiagram
    "flow direction_LR"
    "one"
    "we_ird_name_x" {
        boolean _2fa "2fa"
        text FK_ "FK"
        text Pk2
        text uk_code
        integer gro_e "größe"
        integer cafe "café"
        My_Type[] a_b_c_d "a-b.c d"
        char(2) _ "😀"
        timetz(6) note "say 'hi' ‹b› ∼x∼ long long long long long long long long long long long long lo…"
    }
    "we_ird_name_x_2"
    "other.missing" |o--o{ "one" : "one direction_tb"
"""


def test_postgresql_diagram():
    assert render_schemas([source(pg_schema())], "mermaid") == PG_DIAGRAM


def test_mysql_diagram():
    assert render_schemas([source(mysql_schema(), "db/mysql")], "mermaid") == MYSQL_DIAGRAM


def test_sqlite_diagram():
    assert render_schemas([source(sqlite_schema(), "prisma", kind="prisma")], "mermaid") == SQLITE_DIAGRAM


def test_several_schemas_print_one_diagram_each():
    sources = [source(mysql_schema(), "db/mysql"), source(sqlite_schema(), "prisma", kind="prisma")]
    assert render_schemas(sources, "mermaid") == MYSQL_DIAGRAM + "\n" + SQLITE_DIAGRAM


def test_names_and_comments_are_cleaned_for_the_grammar():
    assert render_schemas([source(hostile_schema())], "mermaid") == HOSTILE_DIAGRAM


@pytest.mark.parametrize(
    ("sql_type", "expected"),
    [
        ("character varying(255)", "varchar(255)"),
        ("character varying", "varchar"),
        ("character(2)", "char(2)"),
        ("bit varying(8)", "varbit(8)"),
        ("double precision", "double"),
        ("timestamp(3) without time zone", "timestamp(3)"),
        ("timestamp with time zone", "timestamptz"),
        ("time(6) with time zone", "timetz(6)"),
        ("character varying(20)[]", "varchar(20)[]"),
        ('"UserRole"', "UserRole"),
        ("public.mood", "mood"),
        ("enum('a','b,c')", "enum"),
        ("SET('x')", "SET"),
        ("numeric(19,4)", "numeric(19,4)"),  # the comma goes when the word is made
    ],
)
def test_mermaid_type_shortens_postgresql_spellings(sql_type, expected):
    assert mermaid_type(sql_type) == expected


# --- the grammar, as a pure-Python check ----------------------------------------------------
# Line forms the renderer may print, from erDiagram.jison: a quoted ENTITY_NAME, attributes of
# ATTRIBUTE_WORDs (ASCII and comma-free, as Mermaid 11.3 requires) that do not start with a key
# mark, a COMMENT, and relationships between quoted names with a quoted role.
_ENTITY = r'"[^"%\\\r\n\x0b\x08]+"'
_WORD = r"(?!(?i:pk|fk|uk)(?![A-Za-z0-9_]))[A-Za-z_][A-Za-z0-9_()\[\]]*"
LINE_FORMS = {
    "header": re.compile(r"%% [^\r\n]*"),
    "start": re.compile(r"erDiagram"),
    "entity": re.compile(rf"    {_ENTITY}"),
    "block": re.compile(rf"    {_ENTITY} \{{"),
    "attribute": re.compile(rf'        {_WORD} {_WORD}(?: (?:PK|FK|UK)(?:, (?:PK|FK|UK))*)?(?: "[^"~\r\n]*")?'),
    "end": re.compile(r"    \}"),
    "relationship": re.compile(rf'    {_ENTITY} (?:\|\||\|o)--(?:o\||o\{{) {_ENTITY} : "[^"\r\n]*"'),
}
_DIRECTION = re.compile(r"direction\s+(?:tb|bt|rl|lr)", re.IGNORECASE)


def grammar_problems(text: str) -> list[str]:
    """Lines that Mermaid would not read as the renderer meant them."""
    problems = []
    in_block = False
    for number, line in enumerate(text.splitlines(), start=1):
        form = next((name for name, pattern in LINE_FORMS.items() if pattern.fullmatch(line)), None)
        expected = {"attribute", "end"} if in_block else {"header", "start", "entity", "block", "relationship"}
        if form not in expected:
            problems.append(f"{number}: {line}")
        elif not in_block and form != "header" and _DIRECTION.search(line):
            problems.append(f"{number}: reads as a direction statement: {line}")
        in_block = form == "block" or (in_block and form != "end")
    if in_block:
        problems.append("a block is not closed")
    return problems


def test_every_printed_line_fits_the_grammar():
    for schema in (pg_schema(), mysql_schema(), sqlite_schema(), hostile_schema()):
        assert grammar_problems(render_schemas([source(schema)], "mermaid")) == []


def test_the_grammar_check_catches_what_mermaid_rejects():
    broken = 'erDiagram\n    "a" {\n        int pk\n        numeric(1,2) x\n        text y "~a~"\n    }\n    a ||--o{ "b" : "x"\n'
    assert grammar_problems(broken) == [
        "3:         int pk",
        "4:         numeric(1,2) x",
        '5:         text y "~a~"',
        '7:     a ||--o{ "b" : "x"',
    ]
    assert grammar_problems('erDiagram\n    "flow direction LR"\n') == [
        '2: reads as a direction statement:     "flow direction LR"'
    ]


# --- Mermaid itself ---------------------------------------------------------------------------
# Reads each diagram with every Mermaid found in $DBVET_MERMAID_MODULES/node_modules (install
# aliases to test several versions: `npm install mermaid@11 mermaid113@npm:mermaid@11.3.0`) and
# reports the entities with their attribute counts and the number of relationships.
_PARSE_JS = r"""
import { pathToFileURL } from 'url';
import { readFileSync } from 'fs';
const [entry] = process.argv.slice(2);
const mermaid = (await import(pathToFileURL(entry).href)).default;
const results = [];
for (const text of JSON.parse(readFileSync(0, 'utf8'))) {
  try {
    await mermaid.parse(text);
    const db = (await mermaid.mermaidAPI.getDiagramFromText(text)).db;
    const found = db.getEntities();
    const entities = found instanceof Map ? [...found.entries()] : Object.entries(found);
    results.push({entities: entities.map(([name, e]) => [name, e.attributes.length]),
                  relationships: db.getRelationships().length});
  } catch (error) {
    results.push({error: String(error.message).split('\n').slice(0, 3).join(' ')});
  }
}
console.log(JSON.stringify(results));
"""


def _mermaid_entries() -> list[Path]:
    modules = os.environ.get("DBVET_MERMAID_MODULES")
    if shutil.which("node") is None:
        pytest.skip("Node.js is not installed; the pure-Python grammar check above still ran")
    if not modules:
        pytest.skip(
            "set DBVET_MERMAID_MODULES to a folder where `npm install mermaid` ran to parse with Mermaid itself"
        )
    entries = []
    for package in sorted((Path(modules) / "node_modules").glob("*/package.json")):
        manifest = json.loads(package.read_text(encoding="utf-8"))
        if manifest.get("name") == "mermaid":
            entries.append(package.parent / "dist" / "mermaid.core.mjs")
    if not entries:
        pytest.fail(f"DBVET_MERMAID_MODULES={modules} holds no Mermaid package")
    return entries


def test_mermaid_reads_every_entity_attribute_and_relationship(tmp_path: Path):
    script = tmp_path / "parse.mjs"
    script.write_text(_PARSE_JS, encoding="utf-8")
    diagrams = [render_schemas([source(s)], "mermaid") for s in (pg_schema(), mysql_schema(), hostile_schema())]
    expected = [
        {"entities": [["billing.invoices", 6], ["billing.receipts", 3], ["users", 5]], "relationships": 2},
        {"entities": [["Customers", 2], ["orders", 5]], "relationships": 1},
        {
            "entities": [
                ["flow direction_LR", 0],
                ["one", 0],
                ["we_ird_name_x", 9],
                ["we_ird_name_x_2", 0],
                ["other.missing", 0],
            ],
            "relationships": 1,
        },
    ]
    for entry in _mermaid_entries():
        run = subprocess.run(
            ["node", str(script), str(entry)],
            input=json.dumps(diagrams),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert run.returncode == 0, run.stderr
        assert json.loads(run.stdout) == expected, entry
