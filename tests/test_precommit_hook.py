"""The hook as users get it: the real pre-commit installs dbvet from a git repository holding this
working tree (uncommitted work included) and runs it on a bad and on a good migration.

pre-commit pip-installs dbvet and its dependencies into its own environment under a
PRE_COMMIT_HOME inside tmp_path, so this test takes a minute.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from harness import write_tree
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[1]
PACKAGED = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml")
PACKAGES = ("linter", "rules")
MIGRATIONS = "db/migrations/postgres"

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(importlib.util.find_spec("pre_commit") is None, reason="pre-commit is not installed"),
]


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        GIT_AUTHOR_NAME="t",
        GIT_AUTHOR_EMAIL="t@example.invalid",
        GIT_COMMITTER_NAME="t",
        GIT_COMMITTER_EMAIL="t@example.invalid",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
    )
    env.pop("PRE_COMMIT", None)
    return env


def _git(cwd: Path, env: dict[str, str], *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def _hook_repository(root: Path, env: dict[str, str]) -> str:
    """A git repository holding dbvet as it is in the working tree; returns its commit."""
    root.mkdir()
    for name in PACKAGED:
        shutil.copy2(REPO / name, root / name)
    for package in PACKAGES:
        shutil.copytree(REPO / package, root / package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))
    _git(root, env, "init", "-q")
    _git(root, env, "add", ".")
    _git(root, env, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "dbvet")
    return _git(root, env, "rev-parse", "HEAD")


def _commit(project: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", "-c", "commit.gpgsign=false", "commit", "-m", "migration"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_the_hook_installs_from_a_clone_and_blocks_a_bad_migration(tmp_path):
    env = _env(tmp_path)
    commit = _hook_repository(tmp_path / "dbvet", env)
    project = tmp_path / "project"
    project.mkdir()
    _git(project, env, "init", "-q")
    config = {"repos": [{"repo": str(tmp_path / "dbvet"), "rev": commit, "hooks": [{"id": "dbvet"}]}]}
    with (project / ".pre-commit-config.yaml").open("w") as handle:
        YAML().dump(config, handle)
    write_tree(
        project,
        {
            f"{MIGRATIONS}/0001_orders.up.sql": "CREATE TABLE orders (id bigint PRIMARY KEY, note text, "
            "created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now());\n",
            f"{MIGRATIONS}/0001_orders.down.sql": "DROP TABLE orders;\n",
            "README.md": "not a migration\n",
        },
    )
    _git(project, env, "add", ".")
    _git(project, env, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "orders")
    subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"], cwd=project, env=env, check=True, capture_output=True
    )

    # A blocking index build on an existing table: the commit is refused, and the output says why.
    write_tree(
        project,
        {
            f"{MIGRATIONS}/0002_note.up.sql": "CREATE INDEX orders_note_idx ON orders (note);\n",
            f"{MIGRATIONS}/0002_note.down.sql": "DROP INDEX orders_note_idx;\n",
        },
    )
    _git(project, env, "add", ".")
    refused = _commit(project, env)
    output = refused.stdout + refused.stderr
    assert refused.returncode != 0, output
    assert "dbvet" in output and "Failed" in output, output
    assert f"{MIGRATIONS}/0002_note.up.sql:1:1: S005 [error]" in output, output
    assert _git(project, env, "rev-list", "--count", "HEAD") == "1"

    # Built concurrently, it is fine: the commit goes through with the hook passing.
    write_tree(
        project,
        {
            f"{MIGRATIONS}/0002_note.up.sql": "CREATE INDEX CONCURRENTLY orders_note_idx ON orders (note);\n",
            f"{MIGRATIONS}/0002_note.down.sql": "DROP INDEX CONCURRENTLY orders_note_idx;\n",
        },
    )
    _git(project, env, "add", ".")
    accepted = _commit(project, env)
    output = accepted.stdout + accepted.stderr
    assert accepted.returncode == 0, output
    assert "dbvet" in output and "Passed" in output, output
    assert _git(project, env, "rev-list", "--count", "HEAD") == "2"

    # A change with no migration in it skips the hook (its `files` pattern).
    (project / "README.md").write_text("still not a migration\n")
    _git(project, env, "add", ".")
    skipped = _commit(project, env)
    output = skipped.stdout + skipped.stderr
    assert skipped.returncode == 0, output
    assert "(no files to check)Skipped" in output, output
