"""`--base` defines "created in this change" for every rule family: a table created by a
migration new in the change is not an existing table for the lock and destructive-change rules
of the migrations after it. Also what a run reports as changed (`RunResult.changed`)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from harness import git_commit, run_tree, write_tree

from linter.config import config_from_mapping
from linter.run import check
from rules import all_rules

PG = {"dialect": "postgresql"}
USERS = "CREATE TABLE users (id bigint PRIMARY KEY, email text, nickname text);\n"


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


def findings_of(root: Path, rule: str, base: str | None) -> list[tuple[str, str, int, int]]:
    return [(f.rule, f.path, f.line, f.column) for f in run_tree(root, PG, base=base) if f.rule == rule]


def committed_then(root: Path, committed: dict[str, str], new: dict[str, str]) -> Path:
    write_tree(root, committed)
    git_commit(root)
    write_tree(root, new)
    return root


def test_index_on_a_table_created_earlier_in_the_change_is_not_s005(tmp_path):
    root = committed_then(
        tmp_path,
        {"migrations/001_init.sql": "SELECT 1;\n"},
        {"migrations/002_users.sql": USERS, "migrations/003_index.sql": "CREATE INDEX users_email ON users (email);\n"},
    )
    assert findings_of(root, "S005", base="HEAD") == []
    assert findings_of(root, "S005", base=None) == [("S005", "migrations/003_index.sql", 1, 1)]


def test_index_on_a_committed_table_is_s005_either_way(tmp_path):
    root = committed_then(
        tmp_path, {"migrations/001_users.sql": USERS}, {"migrations/002_index.sql": "CREATE INDEX users_email ON users (email);\n"}
    )
    expected = [("S005", "migrations/002_index.sql", 1, 1)]
    assert findings_of(root, "S005", base="HEAD") == expected
    assert findings_of(root, "S005", base=None) == expected


def test_dropping_a_column_of_a_table_new_in_the_change_is_not_d002(tmp_path):
    drop = "ALTER TABLE users DROP COLUMN nickname;\n"
    root = committed_then(
        tmp_path, {"migrations/001_init.sql": "SELECT 1;\n"}, {"migrations/002_users.sql": USERS, "migrations/003_drop.sql": drop}
    )
    assert findings_of(root, "D002", base="HEAD") == []
    assert findings_of(root, "D002", base=None) == [("D002", "migrations/003_drop.sql", 1, 19)]


def test_a_committed_table_changed_by_a_staged_migration_is_still_existing(tmp_path):
    import subprocess

    root = committed_then(tmp_path, {"migrations/001_users.sql": USERS}, {"migrations/002_drop.sql": "ALTER TABLE users DROP COLUMN nickname;\n"})
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    assert findings_of(root, "D002", base="HEAD") == [("D002", "migrations/002_drop.sql", 1, 19)]


def test_prisma_migrations_new_on_a_branch(tmp_path):
    import subprocess

    root = tmp_path
    lock = {"prisma/migrations/migration_lock.toml": 'provider = "postgresql"\n'}
    committed_then(root, lock | {"prisma/migrations/20240101000000_init/migration.sql": "SELECT 1;\n"}, {})
    subprocess.run(["git", "branch", "-M", "main"], cwd=root, check=True)
    subprocess.run(["git", "checkout", "-q", "-b", "feature"], cwd=root, check=True)
    write_tree(
        root,
        {
            "prisma/migrations/20240201000000_users/migration.sql": USERS,
            "prisma/migrations/20240301000000_index/migration.sql": "CREATE INDEX users_email ON users (email);\n",
        },
    )
    git_commit(root, "feature")  # committed on the branch: new against main, not against HEAD
    index = ("S005", "prisma/migrations/20240301000000_index/migration.sql", 1, 1)
    assert findings_of(root, "S005", base="main") == []
    assert findings_of(root, "S005", base="HEAD") == [index]


def test_run_result_lists_changed_files_as_display_paths(tmp_path):
    root = committed_then(
        tmp_path / "repo",
        {"db/migrations/001_a.sql": "SELECT 1;\n", "db/migrations/002_b.sql": "SELECT 2;\n", "docs/x.md": "x\n"},
        {"db/migrations/001_a.sql": "SELECT 10;\n", "db/migrations/003 c.sql": "SELECT 3;\n", "docs/y.md": "y\n"},
    )
    (root / "db/migrations/002_b.sql").unlink()
    rules = all_rules()
    previous = Path.cwd()
    os.chdir(root / "db")  # display paths are relative to the working directory
    try:
        config = config_from_mapping(dict(PG), rules, root / "db")
        with_base = check([Path(".")], config, rules, root / "db", base="HEAD", cache=False)
        without = check([Path(".")], config, rules, root / "db", cache=False)
    finally:
        os.chdir(previous)
    outside = str(root.resolve() / "docs/y.md")  # outside the working directory: shown absolute, as dbvet shows paths
    assert with_base.changed == {"migrations/001_a.sql", "migrations/002_b.sql", "migrations/003 c.sql", outside}
    assert without.changed is None


def test_the_result_cache_tells_runs_with_and_without_base_apart(tmp_path, monkeypatch):
    monkeypatch.setenv("DBVET_CACHE_DIR", str(tmp_path / "cache"))
    root = committed_then(
        tmp_path / "repo",
        {"migrations/001_init.sql": "SELECT 1;\n"},
        {"migrations/002_users.sql": USERS, "migrations/003_index.sql": "CREATE INDEX users_email ON users (email);\n"},
    )
    for _ in range(2):  # the second round reads the cache
        assert findings_of(root, "S005", base=None) == [("S005", "migrations/003_index.sql", 1, 1)]
        assert findings_of(root, "S005", base="HEAD") == []
