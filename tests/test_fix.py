"""`dbvet check --fix` and `--diff`: mechanical fixes, applied atomically, nothing else touched."""

from __future__ import annotations

import json

import pytest

from harness import write_tree
from linter.cli import main

INIT = "-- CreateTable\r\nCREATE TABLE \"orders\" (\"id\" BIGINT NOT NULL, \"note\" TEXT, CONSTRAINT \"orders_pkey\" PRIMARY KEY (\"id\"));\r\n"
ALONE = "-- CreateIndex\r\nCREATE INDEX \"orders_note_idx\" ON \"orders\"(\"note\");\r\n"
TOGETHER = "-- CreateIndex\r\nCREATE INDEX \"orders_id_note_idx\" ON \"orders\"(\"id\", \"note\");\r\nSELECT 1;\r\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    write_tree(
        tmp_path,
        {
            "prisma/migrations/migration_lock.toml": 'provider = "postgresql"\n',
            "prisma/migrations/20240101000000_init/migration.sql": INIT,
            # A BOM, CRLF line endings, and a statement Prisma runs on its own:
            "prisma/migrations/20240201000000_note/migration.sql": b"\xef\xbb\xbf" + ALONE.encode(),
            # Two statements: one implicit transaction, where CONCURRENTLY would fail.
            "prisma/migrations/20240301000000_pair/migration.sql": TOGETHER,
        },
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def s005(capsys) -> list[tuple[str, int]]:
    assert main(["check", "--select", "S005", "--format", "json", "--fail-on", "never"]) == 0
    return [(f["path"].split("/")[2], f["line"]) for f in json.loads(capsys.readouterr().out)["findings"]]


def test_diff_shows_the_fix_and_changes_nothing(project, capsys):
    before = {p: p.read_bytes() for p in project.rglob("*.sql")}
    assert main(["check", "--select", "S005", "--diff"]) == 1
    assert capsys.readouterr().out == (
        "--- a/prisma/migrations/20240201000000_note/migration.sql\n"
        "+++ b/prisma/migrations/20240201000000_note/migration.sql\n"
        "@@ -1,2 +1,2 @@\n"
        " -- CreateIndex\r\n"
        '-CREATE INDEX "orders_note_idx" ON "orders"("note");\r\n'
        '+CREATE INDEX CONCURRENTLY "orders_note_idx" ON "orders"("note");\r\n'
    )
    assert {p: p.read_bytes() for p in project.rglob("*.sql")} == before


def test_fix_applies_only_where_the_meaning_is_kept(project, capsys):
    assert s005(capsys) == [("20240201000000_note", 2), ("20240301000000_pair", 2)]
    assert main(["check", "--select", "S005", "--fix", "--fail-on", "never"]) == 0
    assert "dbvet: fixed 1 finding in 1 file" in capsys.readouterr().err
    fixed = project / "prisma/migrations/20240201000000_note/migration.sql"
    assert fixed.read_bytes() == b"\xef\xbb\xbf" + ALONE.replace("INDEX", "INDEX CONCURRENTLY").encode()
    # The statement in the two-statement file is advice only: it still stands, unchanged.
    assert s005(capsys) == [("20240301000000_pair", 2)]
    assert (project / "prisma/migrations/20240301000000_pair/migration.sql").read_bytes() == TOGETHER.encode()
    assert main(["check", "--select", "S005", "--diff"]) == 0
    assert capsys.readouterr().out == ""
    assert [p.name for p in fixed.parent.iterdir()] == ["migration.sql"]  # no temporary file left


def test_fix_sets_a_lock_timeout_before_the_first_waiting_statement(tmp_path, monkeypatch, capsys):
    write_tree(
        tmp_path,
        {
            "migrations/0001_a.up.sql": "CREATE TABLE orders (id bigint PRIMARY KEY, note text);\n",
            "migrations/0001_a.down.sql": "DROP TABLE orders;\n",
            "migrations/0002_b.up.sql": "-- tighten\n    ALTER TABLE orders ALTER COLUMN note SET DEFAULT 'x';\nALTER TABLE orders DROP COLUMN note;\n",
            "migrations/0002_b.down.sql": "SELECT 1;\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    args = ["check", "--select", "S012", "--dialect", "postgresql", "--fail-on", "never"]
    assert main([*args, "--fix"]) == 0
    assert (tmp_path / "migrations/0002_b.up.sql").read_text(encoding="utf-8") == (
        "-- tighten\n    SET LOCAL lock_timeout = '5s';\n    ALTER TABLE orders ALTER COLUMN note SET DEFAULT 'x';\n"
        "ALTER TABLE orders DROP COLUMN note;\n"
    )
    capsys.readouterr()
    assert main([*args, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["findings"] == []


def test_fix_adds_not_valid_and_a_separate_validate_where_statements_run_alone(tmp_path, monkeypatch, capsys):
    # A plain folder runs each statement on its own (plain-transaction is off by default).
    write_tree(
        tmp_path,
        {
            "sql/0001.sql": "CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint, total int);\n",
            "sql/0002.sql": (
                "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);\n"
                "ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0) ;\n"
            ),
        },
    )
    monkeypatch.chdir(tmp_path)
    args = ["check", "--select", "S008,S009", "--dialect", "postgresql", "--fail-on", "never"]
    assert main([*args, "--fix"]) == 0
    assert (tmp_path / "sql/0002.sql").read_text(encoding="utf-8") == (
        "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;\n"
        "ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;\n"
        "ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total > 0) NOT VALID ;\n"
        "ALTER TABLE orders VALIDATE CONSTRAINT total_positive;\n"
    )
    capsys.readouterr()
    assert main([*args, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["findings"] == []


def test_no_not_valid_fix_inside_a_transaction(project, capsys):
    (project / "prisma/migrations/20240401000000_fk/migration.sql").parent.mkdir()
    (project / "prisma/migrations/20240401000000_fk/migration.sql").write_text(
        'ALTER TABLE "orders" ADD CONSTRAINT "orders_self_fkey" FOREIGN KEY ("id") REFERENCES "orders"("id");\n', encoding="utf-8"
    )
    assert main(["check", "--select", "S008", "--diff"]) == 0
    assert capsys.readouterr().out == ""


def test_fix_drops_an_index_concurrently_where_the_statement_runs_alone(project, capsys):
    (project / "prisma/migrations/20240401000000_drop").mkdir()
    lone = project / "prisma/migrations/20240401000000_drop/migration.sql"
    lone.write_text('-- DropIndex\nDROP INDEX IF EXISTS "orders_id_note_idx";\n', encoding="utf-8")
    assert main(["check", "--select", "S006", "--fix", "--fail-on", "never"]) == 0
    assert lone.read_text(encoding="utf-8") == '-- DropIndex\nDROP INDEX CONCURRENTLY IF EXISTS "orders_id_note_idx";\n'
    capsys.readouterr()
    assert main(["check", "--select", "S006", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["findings"] == []


SCHEMA = """datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

model User {
  id Int @id
}

model Post {
  id       Int  @id
  authorId Int
  editorId Int
  author   User @relation("author", fields: [authorId], references: [id])
  editor   User @relation("editor", fields: [editorId], references: [id])
}
"""


def test_one_run_makes_fixes_that_land_on_one_spot(tmp_path, monkeypatch, capsys):
    # Both missing indexes go at the end of model Post: the second edit overlaps the first, so
    # it is planned again on the text the first left, in the same run.
    write_tree(tmp_path, {"prisma/schema.prisma": SCHEMA})
    monkeypatch.chdir(tmp_path)
    args = ["check", "--select", "K001", "--fail-on", "never"]
    assert main([*args, "--diff"]) == 1
    diff = capsys.readouterr().out
    assert "+  @@index([authorId])\n" in diff and "+  @@index([editorId])\n" in diff
    assert main([*args, "--fix"]) == 0
    assert "dbvet: fixed 2 findings in 1 file" in capsys.readouterr().err
    assert (tmp_path / "prisma/schema.prisma").read_text(encoding="utf-8") == SCHEMA.replace(
        "  editor   User @relation(\"editor\", fields: [editorId], references: [id])\n",
        "  editor   User @relation(\"editor\", fields: [editorId], references: [id])\n"
        "  @@index([authorId])\n  @@index([editorId])\n",
    )
    assert main([*args, "--diff"]) == 0
    assert capsys.readouterr().out == ""


def test_the_report_after_a_fix_is_of_the_fixed_files(tmp_path, monkeypatch, capsys):
    # A SET LOCAL lasts until its COMMIT: the statement after it needs a second one, which the
    # first pass's lint could not ask for (S012 reports one stretch without a timeout at a time).
    write_tree(
        tmp_path,
        {
            "migrations/0001_a.up.sql": "CREATE TABLE orders (id bigint PRIMARY KEY, a int, b int);\n",
            "migrations/0001_a.down.sql": "DROP TABLE orders;\n",
            "migrations/0002_b.up.sql": "BEGIN;\nALTER TABLE orders DROP COLUMN a;\nCOMMIT;\nALTER TABLE orders DROP COLUMN b;\n",
            "migrations/0002_b.down.sql": "SELECT 1;\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    args = ["check", "--select", "S012", "--dialect", "postgresql", "--fail-on", "never", "--format", "json"]
    assert main([*args, "--fix"]) == 0
    assert json.loads(capsys.readouterr().out)["findings"] == []
    assert (tmp_path / "migrations/0002_b.up.sql").read_text(encoding="utf-8") == (
        "BEGIN;\nSET LOCAL lock_timeout = '5s';\nALTER TABLE orders DROP COLUMN a;\nCOMMIT;\n"
        "SET LOCAL lock_timeout = '5s';\nALTER TABLE orders DROP COLUMN b;\n"
    )


def test_fixes_that_do_not_settle_are_said_and_the_rest_is_left(tmp_path, monkeypatch, capsys):
    from linter import fix

    monkeypatch.setattr(fix, "MAX_PASSES", 1)
    write_tree(tmp_path, {"prisma/schema.prisma": SCHEMA})
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--select", "K001", "--fail-on", "never", "--fix"]) == 0
    captured = capsys.readouterr()
    assert "dbvet: the fixes did not settle in 1 pass; run again for the rest" in captured.err
    assert "dbvet: fixed 1 finding in 1 file" in captured.err
    assert "Found 1 finding" in captured.out
    assert (tmp_path / "prisma/schema.prisma").read_text(encoding="utf-8").count("@@index") == 1


@pytest.mark.parametrize("project_name", ["dubinc__dub", "documenso__documenso"])
def test_one_fix_run_leaves_nothing_to_fix_on_real_projects(project_name, tmp_path, monkeypatch, capsys):
    """Projects where fixes overlap (the run before this pass needed three or four)."""
    import shutil

    from conftest import corpus_path

    shutil.copytree(corpus_path(project_name), tmp_path / project_name)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--fix", "--fail-on", "never", "--format", "json"]) == 0
    assert "dbvet: fixed" in capsys.readouterr().err
    assert main(["check", "--diff"]) == 0
    assert capsys.readouterr().out == ""
