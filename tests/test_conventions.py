"""The Prisma fixes of the timestamp and key rules (T001–T003, K001–K006) are edits that
produce a schema the rule accepts, and the helpers shared by convention rules."""

from __future__ import annotations

from harness import run_tree, write_tree

from linter.conventions import exempt

HEADER = 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\n'


def _apply(text: str, findings) -> str:
    edits = sorted((edit for finding in findings for edit in finding.edits), key=lambda e: e.start, reverse=True)
    for edit in edits:
        text = text[: edit.start] + edit.replacement + text[edit.end :]
    return text


def _fixed(tmp_path, rule: str, model: str) -> str:
    write_tree(tmp_path, {"prisma/schema.prisma": HEADER + model})
    findings = [f for f in run_tree(tmp_path) if f.rule == rule]
    assert findings and all(f.edits for f in findings)
    fixed = _apply(HEADER + model, findings)
    write_tree(tmp_path, {"prisma/schema.prisma": fixed})
    assert [f for f in run_tree(tmp_path) if f.rule == rule] == []
    return fixed[len(HEADER) :]


def test_t001_adds_the_missing_fields_after_the_last_field(tmp_path):
    model = "model User {\n  id   Int    @id\n  name String @map(\"full_name\") // shown\n\n  @@map(\"users\")\n}\n"
    assert _fixed(tmp_path, "T001", model) == (
        "model User {\n  id   Int    @id\n  name String @map(\"full_name\") // shown\n"
        '  createdAt DateTime @default(now()) @db.Timestamptz(6) @map("created_at")\n'
        '  updatedAt DateTime @updatedAt @db.Timestamptz(6) @map("updated_at")\n\n  @@map("users")\n}\n'
    )


def test_t001_keeps_crlf_and_unmapped_camel_case(tmp_path):
    model = "model Post {\r\n    id Int @id\r\n    createdAt DateTime @default(now()) @db.Timestamptz(6)\r\n}\r\n"
    assert _fixed(tmp_path, "T001", model) == (
        "model Post {\r\n    id Int @id\r\n    createdAt DateTime @default(now()) @db.Timestamptz(6)\r\n"
        "    updatedAt DateTime @updatedAt @db.Timestamptz(6)\r\n}\r\n"
    )


def test_t002_adds_or_changes_the_native_type(tmp_path):
    model = "model Event {\n  id     Int      @id\n  at     DateTime\n  seenAt DateTime @db.Timestamp(6)\n}\n"
    assert _fixed(tmp_path, "T002", model) == (
        "model Event {\n  id     Int      @id\n  at     DateTime @db.Timestamptz(3)\n  seenAt DateTime @db.Timestamptz(6)\n}\n"
    )


def test_t003_adds_the_default_updated_at_and_drops_the_question_mark(tmp_path):
    model = "model Bad {\n  id        Int       @id\n  createdAt DateTime?\n  updatedAt DateTime\n}\n"
    assert _fixed(tmp_path, "T003", model) == (
        "model Bad {\n  id        Int       @id\n  createdAt DateTime @default(now())\n  updatedAt DateTime @updatedAt\n}\n"
    )


def test_k001_adds_an_index_on_the_relation_fields(tmp_path):
    model = (
        "model User {\n  id    Int    @id\n  posts Post[]\n}\n\n"
        "model Post {\n  id       Int  @id\n  authorId Int\n  author   User @relation(fields: [authorId], references: [id])\n}\n"
    )
    assert _fixed(tmp_path, "K001", model).endswith(
        "  author   User @relation(fields: [authorId], references: [id])\n  @@index([authorId])\n}\n"
    )


def test_k004_deletes_the_redundant_index_line(tmp_path):
    model = "model Session {\n  id    Int    @id\n  token String @unique\n\n  @@index([token])\n  @@index([id])\n}\n"
    assert _fixed(tmp_path, "K004", model) == "model Session {\n  id    Int    @id\n  token String @unique\n\n}\n"


def test_k006_adds_an_index_on_the_soft_delete_field(tmp_path):
    model = "model Doc {\n  id        Int       @id\n  deletedAt DateTime?\n  @@map(\"docs\")\n}\n"
    assert _fixed(tmp_path, "K006", model) == (
        "model Doc {\n  id        Int       @id\n  deletedAt DateTime?\n  @@map(\"docs\")\n  @@index([deletedAt])\n}\n"
    )


def test_exempt_knows_migration_tables_and_globs():
    assert exempt("_prisma_migrations")
    assert exempt("public.schema_migrations")
    assert exempt("audit_log", ["audit_*"])
    assert exempt("audit.events", ["audit.*"])
    assert not exempt("users", ["audit_*"])
    assert not exempt("migrations")
