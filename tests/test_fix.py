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
