"""R003 (edited applied migration) and R004 (migration order) for each layout, in temporary git
repositories: committed migrations, then a change, then `check --base HEAD`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Mapping

import pytest
from harness import git_commit, run_tree, write_tree

PG = {"dialect": "postgresql"}


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


def changed_repo(
    root: Path,
    committed: Mapping[str, str],
    written: Mapping[str, str] = {},
    deleted: tuple[str, ...] = (),
    renamed: Mapping[str, str] = {},
) -> Path:
    """Commit `committed`, then change the working tree: renames (`git mv`, old -> new),
    deletions, and files written (new or edited)."""
    write_tree(root, committed)
    git_commit(root)
    for old, new in renamed.items():
        (root / new).parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "mv", old, new], cwd=root, check=True)
    for path in deleted:
        (root / path).unlink()
    write_tree(root, written)
    return root


def history(root: Path, base: str | None = "HEAD", paths: tuple[str, ...] = ()) -> list[tuple]:
    findings = run_tree(root, PG, paths=paths, base=base)
    return [(f.rule, f.path, f.line, f.column, f.message) for f in findings if f.rule in ("R003", "R004")]


def where(found: list[tuple]) -> list[tuple]:
    return [entry[:4] for entry in found]


# --- Prisma -----------------------------------------------------------------------------------
PRISMA = {
    "prisma/migrations/migration_lock.toml": 'provider = "postgresql"\n',
    "prisma/migrations/20240101000000_init/migration.sql": "-- init\nCREATE TABLE a (id bigint PRIMARY KEY);\n",
    "prisma/migrations/20240201000000_add/migration.sql": "CREATE TABLE b (id bigint PRIMARY KEY);\n" * 3,
}


def test_prisma_edit_rename_out_of_order_and_misnamed(tmp_path):
    root = changed_repo(
        tmp_path,
        PRISMA,
        written={
            "prisma/migrations/20240101000000_init/migration.sql": "-- init\nCREATE TABLE a (id integer PRIMARY KEY);\n",
            "prisma/migrations/20240101000000_init/down.sql": "DROP TABLE a;\n",  # adding a down is fine
            "prisma/migrations/20240115000000_late/migration.sql": "CREATE TABLE c (id bigint PRIMARY KEY);\n",
            "prisma/migrations/2024_bad/migration.sql": "CREATE TABLE d (id bigint PRIMARY KEY);\n",
        },
        renamed={"prisma/migrations/20240201000000_add": "prisma/migrations/20240201000000_add_b"},
    )
    found = history(root)
    assert where(found) == [
        ("R003", "prisma/migrations/20240101000000_init/migration.sql", 2, 20),
        ("R004", "prisma/migrations/20240115000000_late/migration.sql", 1, 1),
        ("R003", "prisma/migrations/20240201000000_add_b/migration.sql", 1, 1),
        ("R004", "prisma/migrations/2024_bad", 1, 1),
    ]
    edited, late, renamed, misnamed = (entry[4] for entry in found)
    assert "version '2024' is not a 14-digit timestamp" in misnamed and misnamed.startswith("prisma/migrations/2024_bad is new")
    assert "was applied at HEAD and its up migration has been edited: Prisma keeps a checksum" in edited
    assert "sorts before prisma/migrations/20240201000000_add, the newest migration at HEAD" in late
    assert "`prisma migrate deploy` still applies it" in late
    assert renamed.startswith(
        "prisma/migrations/20240201000000_add_b/migration.sql is prisma/migrations/20240201000000_add/migration.sql renamed"
    )
    assert "run it again under the new name" in renamed


def test_without_base_r003_and_r004_are_silent(tmp_path):
    root = changed_repo(
        tmp_path,
        PRISMA,
        written={"prisma/migrations/20240101000000_init/migration.sql": "CREATE TABLE a (id int PRIMARY KEY);\n"},
        deleted=("prisma/migrations/20240201000000_add/migration.sql",),
    )
    assert history(root, base=None) == []


def test_line_endings_alone_are_not_an_edit(tmp_path):
    crlf = "-- init\r\nCREATE TABLE a (id bigint PRIMARY KEY);\r\n"
    root = changed_repo(tmp_path, PRISMA, written={"prisma/migrations/20240101000000_init/migration.sql": crlf})
    assert history(root) == []


# --- golang-migrate ---------------------------------------------------------------------------
GOLANG = {
    "migrations/1_a.up.sql": "CREATE TABLE a (id bigint PRIMARY KEY);\n",
    "migrations/1_a.down.sql": "DROP TABLE a;\n",
    "migrations/2_b.up.sql": "CREATE TABLE b (id bigint PRIMARY KEY);\n",
    "migrations/2_b.down.sql": "DROP TABLE b;\n",
}


def test_golang_migrate_down_edit_delete_out_of_order_and_misnamed(tmp_path):
    root = changed_repo(
        tmp_path,
        GOLANG,
        written={
            "migrations/1_a.down.sql": "DROP TABLE IF EXISTS a;\n",  # only the down changed: fine
            "migrations/0_early.up.sql": "SELECT 1;\n",
            "migrations/0_early.down.sql": "SELECT 1;\n",
            "migrations/3_c.up.sql": "CREATE TABLE c (id bigint PRIMARY KEY);\n",
            "migrations/3_c.down.sql": "DROP TABLE c;\n",
            "migrations/4_d.sql": "SELECT 1;\n",
        },
        deleted=("migrations/2_b.up.sql", "migrations/2_b.down.sql"),
    )
    found = history(root)
    assert where(found) == [
        ("R004", "migrations/0_early.up.sql", 1, 1),
        ("R003", "migrations/2_b.up.sql", 1, 1),
        ("R004", "migrations/4_d.sql", 1, 1),
    ]
    early, deleted, misnamed = (entry[4] for entry in found)
    assert "sorts before migrations/2_b.up.sql" in early and "silently skip it" in early
    assert deleted.startswith("migrations/2_b.up.sql was applied at HEAD and has been deleted")
    assert "does not match golang-migrate's file names" in misnamed


def test_a_committed_migration_only_touched_in_its_down_is_not_new(tmp_path):
    root = changed_repo(tmp_path, GOLANG, written={"migrations/2_b.down.sql": "DROP TABLE IF EXISTS b;\n"})
    assert history(root) == []


# --- dbmate ----------------------------------------------------------------------------------
def dbmate(up: str, down: str = "SELECT 1;\n") -> str:
    return f"-- migrate:up\n{up}\n-- migrate:down\n{down}"


DBMATE = {
    "db/migrations/20240101000000_a.sql": dbmate("CREATE TABLE a (id bigint PRIMARY KEY);\n", "DROP TABLE a;\n"),
    "db/migrations/20240201000000_b.sql": dbmate("CREATE TABLE b (id bigint PRIMARY KEY);\n", "DROP TABLE b;\n"),
}


def test_dbmate_compares_the_up_section_and_reports_shared_versions(tmp_path):
    root = changed_repo(
        tmp_path,
        DBMATE,
        written={
            "db/migrations/20240101000000_a.sql": dbmate("CREATE TABLE a (id bigint PRIMARY KEY);\n", "DROP TABLE a CASCADE;\n"),
            "db/migrations/20240201000000_b.sql": dbmate("CREATE TABLE b (id bigint PRIMARY KEY, n int);\n", "DROP TABLE b;\n"),
            "db/migrations/20240201000000_dup.sql": dbmate("SELECT 1;\n"),
            "db/migrations/20240301000000_c.sql": dbmate("SELECT 2;\n"),
        },
    )
    found = history(root)
    assert where(found) == [
        ("R003", "db/migrations/20240201000000_b.sql", 2, 38),
        ("R004", "db/migrations/20240201000000_dup.sql", 1, 1),
    ]
    assert "dbmate records only that it ran" in found[0][4]
    assert found[1][4].startswith(
        "db/migrations/20240201000000_dup.sql has version 20240201000000, as db/migrations/20240201000000_b.sql does: "
        "dbmate records applied migrations by version"
    )


# --- Flyway ----------------------------------------------------------------------------------
FLYWAY = {
    "sql/V1__init.sql": "CREATE TABLE a (id bigint PRIMARY KEY);\n",
    "sql/U1__init.sql": "DROP TABLE a;\n",
    "sql/V2__more.sql": "CREATE TABLE b (id bigint PRIMARY KEY);\n",
    "sql/R__views.sql": "CREATE OR REPLACE VIEW v AS SELECT 1 AS x;\n",
}


def test_flyway_versions_repeatables_and_undo(tmp_path):
    root = changed_repo(
        tmp_path,
        FLYWAY,
        written={
            "sql/R__views.sql": "CREATE OR REPLACE VIEW v AS SELECT 2 AS x;\n",  # repeatable: meant to change
            "sql/U1__init.sql": "DROP TABLE IF EXISTS a;\n",  # an undo: fine
            "sql/V2__more.sql": "CREATE TABLE b (id bigint PRIMARY KEY);\nCREATE TABLE c (id bigint PRIMARY KEY);\n",
            "sql/V1_1__between.sql": "SELECT 1;\n",
            "sql/V3__x.sql": "SELECT 1;\n",
            "sql/V3.0__y.sql": "SELECT 1;\n",
            "sql/R__new.sql": "SELECT 1;\n",
        },
    )
    found = history(root)
    assert where(found) == [
        ("R004", "sql/V1_1__between.sql", 1, 1),
        ("R003", "sql/V2__more.sql", 2, 1),
        ("R004", "sql/V3.0__y.sql", 1, 1),
        ("R004", "sql/V3__x.sql", 1, 1),
    ]
    between, edited, y, x = (entry[4] for entry in found)
    assert "Flyway refuses it on databases that already ran sql/V2__more.sql" in between
    assert "fails validation (checksum mismatch)" in edited
    assert y.startswith("sql/V3.0__y.sql has version 3.0, as sql/V3__x.sql does: Flyway refuses")
    assert x.startswith("sql/V3__x.sql has version 3, as sql/V3.0__y.sql does")


# --- plain folders and single files ----------------------------------------------------------
PLAIN = {"migrations/001_a.sql": "CREATE TABLE a (id bigint PRIMARY KEY);\n", "migrations/002_b.sql": "SELECT 1;\n"}


def test_plain_rename_and_out_of_order(tmp_path):
    root = changed_repo(
        tmp_path, PLAIN, written={"migrations/001a.sql": "SELECT 2;\n"}, renamed={"migrations/002_b.sql": "migrations/002_bee.sql"}
    )
    assert where(history(root)) == [
        ("R004", "migrations/001a.sql", 1, 1),
        ("R003", "migrations/002_bee.sql", 1, 1),
    ]


def test_single_file_given_as_pre_commit_does(tmp_path):
    root = changed_repo(
        tmp_path,
        PLAIN,
        written={"migrations/001_a.sql": "CREATE TABLE a (id int PRIMARY KEY);\n", "migrations/001a.sql": "SELECT 2;\n"},
    )
    assert where(history(root, paths=("migrations/001_a.sql",))) == [("R003", "migrations/001_a.sql", 1, 20)]
    assert where(history(root, paths=("migrations/001a.sql",))) == [("R004", "migrations/001a.sql", 1, 1)]


def test_a_set_new_in_the_change_has_no_history_to_break(tmp_path):
    root = changed_repo(tmp_path, {"README": "x\n"}, written={"migrations/002_b.sql": "SELECT 1;\n", "migrations/001.sql": "SELECT 1;\n"})
    assert history(root) == []


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github", "junit"])
def test_reporters_cope_with_a_deleted_file(tmp_path, fmt):
    root = changed_repo(tmp_path, PLAIN, deleted=("migrations/002_b.sql",))
    done = subprocess.run(
        [sys.executable, "-m", "linter", "check", "--no-cache", "--dialect", "postgresql", "--base", "HEAD", "--format", fmt, "--select", "R003"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    assert (done.returncode, done.stderr) == (1, "")
    assert "migrations/002_b.sql" in done.stdout and "has been deleted" in done.stdout
