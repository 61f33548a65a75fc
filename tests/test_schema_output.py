"""`dbvet schema`'s core: which schemas a tree holds (a Prisma schema beside its migrations is
printed from the replay, a lone one from the schema), and all three formats on real projects."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from harness import write_tree
from test_schema_output_mermaid import grammar_problems

from linter.config import Config
from linter.errors import UserError
from linter.schema_output import SchemaSource, collect_schemas, render_schemas, schema_facts
from rules import all_rules

TREE = {
    "app/prisma/schema.prisma": (
        'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\n'
        "model User {\n  id    Int    @id\n  email String @unique\n}\n"
    ),
    "app/prisma/migrations/migration_lock.toml": 'provider = "postgresql"\n',
    "app/prisma/migrations/20240101000000_init/migration.sql": (
        '-- CreateTable\nCREATE TABLE "User" (\n    "id" INTEGER NOT NULL,\n    "email" TEXT NOT NULL,\n'
        '    CONSTRAINT "User_pkey" PRIMARY KEY ("id")\n);\n\n'
        '-- CreateIndex\nCREATE UNIQUE INDEX "User_email_key" ON "User"("email");\n'
    ),
    # The Prisma schema above never got the Post model: the database has it all the same.
    "app/prisma/migrations/20240102000000_posts/migration.sql": (
        '-- CreateTable\nCREATE TABLE "Post" (\n    "id" INTEGER NOT NULL,\n    "authorId" INTEGER,\n'
        '    "title" TEXT NOT NULL DEFAULT \'untitled\',\n    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")\n);\n\n'
        '-- AddForeignKey\nALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") '
        'REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;\n'
        "COMMENT ON TABLE \"Post\" IS 'Blog posts';\n"
    ),
    "lone/schema.prisma": (
        'datasource db {\n  provider = "mysql"\n  url      = env("DATABASE_URL")\n}\n\n'
        "/// A customer account\nmodel Account {\n  id     String  @id @default(cuid())\n"
        '  name   String? @db.VarChar(100)\n  orders Order[]\n\n  @@map("accounts")\n}\n\n'
        "model Order {\n  id        Int     @id @default(autoincrement())\n  accountId String\n"
        "  account   Account @relation(fields: [accountId], references: [id], onDelete: Cascade)\n\n"
        "  @@index([accountId])\n}\n"
    ),
    "db/postgres/0001_init.sql": "CREATE TABLE t (id int PRIMARY KEY);\n",
    "db/postgres/0002_bad.sql": "CREATE TABLE u (id int);\nCREATE TABLEX broken;\n",
}


def _column(type_: str, nullable: bool, default: str | None = None) -> dict:
    return {"type": type_, "nullable": nullable, "default": default, "comment": None}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    write_tree(tmp_path, TREE)
    return tmp_path


def _collect(tree: Path, *paths: str) -> list[SchemaSource]:
    return collect_schemas([Path(p) for p in paths] or [Path(".")], Config(), all_rules(), tree)


def _summary(sources: list[SchemaSource]) -> list[tuple]:
    return [
        (
            s.path,
            s.kind,
            s.dialect,
            list(schema_facts(s.schema)["tables"]),
            [(f.rule, f.path, f.line, f.column) for f in s.problems],
        )
        for s in sources
    ]


def test_collect_prints_migrations_beside_a_prisma_schema_and_a_lone_schema_from_itself(tree: Path):
    sources = _collect(tree)
    assert _summary(sources) == [
        ("app/prisma/migrations", "migrations", "postgresql", ["public.Post", "public.User"], []),
        (
            "db/postgres",
            "migrations",
            "postgresql",
            ["public.t", "public.u"],
            [("E001", "db/postgres/0002_bad.sql", 2, 8)],
        ),
        ("lone", "prisma", "mysql", ["accounts", "Order"], []),
    ]
    assert schema_facts(sources[0].schema) == {
        "version": 1,
        "tables": {
            "public.Post": {
                "columns": {
                    "id": _column("integer", False),
                    "authorId": _column("integer", True),
                    "title": _column("text", False, "'untitled'::text"),
                },
                "primary_key": ["id"],
                "indexes": [],
                "foreign_keys": [
                    {
                        "name": "Post_authorId_fkey",
                        "columns": ["authorId"],
                        "ref_table": "public.User",
                        "ref_columns": ["id"],
                        "on_delete": "set null",
                        "on_update": "cascade",
                    }
                ],
                "checks": [],
                "comment": "Blog posts",
            },
            "public.User": {
                "columns": {"id": _column("integer", False), "email": _column("text", False)},
                "primary_key": ["id"],
                "indexes": [{"name": "User_email_key", "columns": ["email"], "unique": True}],
                "foreign_keys": [],
                "checks": [],
                "comment": None,
            },
        },
        "enums": {},
    }
    assert schema_facts(sources[2].schema) == {
        "version": 1,
        "tables": {
            "accounts": {
                "columns": {"id": _column("varchar(191)", False), "name": _column("varchar(100)", True)},
                "primary_key": ["id"],
                "indexes": [],
                "foreign_keys": [],
                "checks": [],
                "comment": "A customer account",
            },
            "Order": {
                "columns": {"id": _column("int", False), "accountId": _column("varchar(191)", False)},
                "primary_key": ["id"],
                "indexes": [{"name": "Order_accountId_idx", "columns": ["accountId"], "unique": False}],
                "foreign_keys": [
                    {
                        "name": "Order_accountId_fkey",
                        "columns": ["accountId"],
                        "ref_table": "accounts",
                        "ref_columns": ["id"],
                        "on_delete": "cascade",
                        "on_update": "cascade",
                    }
                ],
                "checks": [],
                "comment": None,
            },
        },
        "enums": {},
    }


def test_a_prisma_schema_given_alone_prints_the_migrations_beside_it(tree: Path):
    assert [(s.path, s.kind) for s in _collect(tree, "app/prisma/schema.prisma")] == [
        ("app/prisma/migrations", "migrations")
    ]


def test_a_lone_prisma_schema_without_provider_takes_the_configured_dialect(tmp_path: Path):
    write_tree(tmp_path, {"schema.prisma": "model Note {\n  id Int @id\n  body String\n}\n"})
    sources = collect_schemas([Path(".")], Config(dialect="sqlite"), all_rules(), tmp_path)
    assert _summary(sources) == [(".", "prisma", "sqlite", ["Note"], [])]
    assert schema_facts(sources[0].schema)["tables"]["Note"]["columns"] == {
        "id": _column("integer", False),
        "body": _column("text", False),
    }


def test_a_prisma_syntax_error_is_reported_with_the_schema(tmp_path: Path):
    write_tree(tmp_path, {"db/schema.prisma": 'datasource db {\n  provider = "postgresql"\n}\nmodel {\n'})
    sources = _collect(tmp_path)
    assert [(s.path, [(f.rule, f.line) for f in s.problems]) for s in sources] == [("db", [("E002", 4)])]


def test_an_unknown_format_is_a_user_error():
    with pytest.raises(UserError, match="unknown schema format 'dot' \\(expected json, mermaid, markdown\\)"):
        render_schemas([], "dot")


# --- the corpus ---------------------------------------------------------------------------------
_ENTITY_LINE = re.compile(r'    "[^"]+"(?: \{)?')
_RELATIONSHIP_LINE = re.compile(r'    "[^"]+" \S+ "[^"]+" : "[^"]*"')
_TABLE_HEADING = re.compile(r"### `[^`]+`")


def _check_all_formats(source: SchemaSource, tables: int, enums: int, foreign_keys: int) -> None:
    facts = json.loads(render_schemas([source], "json"))
    assert (len(facts["tables"]), len(facts["enums"])) == (tables, enums)
    assert sum(len(table["foreign_keys"]) for table in facts["tables"].values()) == foreign_keys

    diagram = render_schemas([source], "mermaid")
    assert grammar_problems(diagram) == []
    lines = diagram.splitlines()
    assert sum(1 for line in lines if _ENTITY_LINE.fullmatch(line)) == tables
    assert sum(1 for line in lines if _RELATIONSHIP_LINE.fullmatch(line)) == foreign_keys

    document = render_schemas([source], "markdown").splitlines()
    assert sum(1 for line in document if _TABLE_HEADING.fullmatch(line)) == tables
    enum_rows = document[document.index("## Enums") + 4 :] if enums else []
    assert len(enum_rows) == enums


def test_corpus_documenso_migrations_in_every_format(corpus: Path):
    sources = collect_schemas([Path("documenso__documenso")], Config(), all_rules(), corpus)
    # The Prisma schema beside the migrations is not printed a second time.
    assert [(s.path, s.kind, s.dialect, s.problems) for s in sources] == [
        ("documenso__documenso/packages/prisma/migrations", "migrations", "postgresql", [])
    ]
    _check_all_formats(sources[0], tables=51, enums=30, foreign_keys=63)


def test_corpus_dub_prisma_schema_in_every_format(corpus: Path):
    sources = collect_schemas([Path("dubinc__dub")], Config(), all_rules(), corpus)
    assert [(s.path, s.kind, s.dialect, s.problems) for s in sources] == [
        ("dubinc__dub/apps/web/prisma/schema", "prisma", "mysql", [])
    ]
    # relationMode = "prisma": Prisma creates no foreign keys, so the diagram has no relationships.
    _check_all_formats(sources[0], tables=85, enums=0, foreign_keys=0)
