"""`linter.gitbase`: resolving `--base REV` in real temporary git repositories, and the one-line
errors (exit 2, no traceback) when it cannot."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from harness import git_commit, write_tree

from linter import gitbase
from linter.errors import UserError
from linter.gitbase import first_difference, resolve


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    # Never let git find a repository above the test's folder.
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


def git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def dbvet(cwd: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "linter", "check", "--no-cache", *args], cwd=cwd, capture_output=True, text=True, env=env
    )


def test_staged_unstaged_untracked_deleted_and_renamed(tmp_path):
    repo = tmp_path / "repo"
    write_tree(
        repo,
        {"m/1 a.sql": "SELECT 1;\n", "m/2.sql": "SELECT 2;\n", "m/3.sql": "SELECT 3;\n", "m/ç 4.sql": "SELECT 4;\n" * 5},
    )
    write_tree(repo, {".gitignore": "*.log\n"})
    git_commit(repo)
    write_tree(repo, {"m/1 a.sql": "SELECT 10;\n", "m/2.sql": "SELECT 20;\n", "m/new staged.sql": "SELECT 5;\n"})
    git(repo, "add", "m/1 a.sql", "m/new staged.sql")  # staged; m/2.sql stays an unstaged edit
    (repo / "m/3.sql").unlink()
    git(repo, "mv", "m/ç 4.sql", "m/é 4.sql")
    write_tree(repo, {"m/untracked.sql": "SELECT 6;\n", "m/ignored.log": "x\n"})

    change = resolve("HEAD", repo / "m")

    assert change.root == repo.resolve()
    assert change.commit == git(repo, "rev-parse", "HEAD")
    assert change.added == {"m/new staged.sql", "m/untracked.sql"}
    assert change.modified == {"m/1 a.sql", "m/2.sql"}
    assert change.deleted == {"m/3.sql"}
    assert change.renamed == {"m/é 4.sql": "m/ç 4.sql"}
    assert change.old_text("m/1 a.sql") == "SELECT 1;\n"
    assert change.old_text("m/3.sql") == "SELECT 3;\n"
    assert change.old_text("m/untracked.sql") is None


def test_base_is_the_merge_base_with_head(tmp_path):
    repo = tmp_path / "repo"
    write_tree(repo, {"m/0001.sql": "SELECT 1;\n"})
    git_commit(repo)
    git(repo, "branch", "-M", "main")
    first = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "-b", "feature")
    write_tree(repo, {"m/0002_feature.sql": "SELECT 2;\n"})
    git_commit(repo, "feature")
    git(repo, "checkout", "-q", "main")
    write_tree(repo, {"m/0003_main.sql": "SELECT 3;\n"})
    git_commit(repo, "main moves on")
    git(repo, "checkout", "-q", "feature")

    change = resolve("main", repo)

    assert change.commit == first
    assert change.added == {"m/0002_feature.sql"}  # the branch's own change; main's 0003 is not in it
    assert (change.modified, change.deleted, change.renamed) == (frozenset(), frozenset(), {})


def test_repository_without_commits_makes_head_mean_everything_new(tmp_path):
    repo = tmp_path / "repo"
    write_tree(repo, {"m/0001.sql": "SELECT 1;\n", "m/0002.sql": "SELECT 2;\n"})
    git(tmp_path, "init", "-q", str(repo))
    git(repo, "add", "m/0001.sql")

    change = resolve("HEAD", repo)

    assert change.commit is None
    assert change.added == {"m/0001.sql", "m/0002.sql"}
    assert change.old_text("m/0001.sql") is None
    with pytest.raises(UserError, match=r"^--base: revision 'main' not found \(the repository has no commits yet\)$"):
        resolve("main", repo)


def test_unknown_revision(tmp_path):
    repo = tmp_path / "repo"
    write_tree(repo, {"m/0001.sql": "SELECT 1;\n"})
    git_commit(repo)
    with pytest.raises(UserError, match=r"^--base: revision 'nope' not found in this repository$"):
        resolve("nope", repo)
    with pytest.raises(UserError, match=r"is not a git revision"):
        resolve("--output=x", repo)


def test_shallow_clone_lacking_the_revision_says_how_to_fetch(tmp_path):
    origin = tmp_path / "origin"
    for number in range(1, 4):
        write_tree(origin, {f"m/000{number}.sql": "SELECT 1;\n"})
        git_commit(origin, f"commit {number}")
    old = git(origin, "rev-parse", "HEAD~2")
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(tmp_path / "clone")], check=True)

    with pytest.raises(UserError) as raised:
        resolve(old, tmp_path / "clone")

    assert str(raised.value) == (
        f"--base: revision '{old}' not found in this shallow clone; fetch more history "
        "(e.g. actions/checkout with fetch-depth: 0)"
    )


def test_not_a_repository(tmp_path):
    with pytest.raises(UserError, match=r"^--base needs a git repository, and .* is not inside one$"):
        resolve("HEAD", tmp_path)


def test_repository_folder_with_a_line_break(tmp_path):
    # One `git rev-parse` prints the top folder and then the commit, each on a line of its own.
    repo = tmp_path / "two\nlines"
    write_tree(repo, {"m/0001.sql": "SELECT 1;\n"})
    git_commit(repo)
    write_tree(repo, {"m/0002.sql": "SELECT 2;\n"})

    change = resolve("HEAD", repo / "m")

    assert (change.root, change.commit) == (repo.resolve(), git(repo, "rev-parse", "HEAD"))
    assert change.added == {"m/0002.sql"}
    with pytest.raises(UserError, match=r"^--base: revision 'nope' not found in this repository$"):
        resolve("nope", repo)


def test_a_failing_git_command_leaves_no_other_git_process_running(tmp_path):
    repo = tmp_path / "repo"
    write_tree(repo, {"m/0001.sql": "SELECT 1;\n"})
    git_commit(repo)
    untracked = gitbase._start_git(gitbase._UNTRACKED, repo)
    with pytest.raises(UserError, match=r"^--base: git diff failed: .*nope"):
        with gitbase._waiting_for(untracked):
            gitbase._git(["diff", "--name-status", "nope", "--"], repo)
    assert untracked.returncode == 0  # waited for, not left behind
    assert untracked.stdout.closed


def test_cli_errors_are_one_line_and_exit_2(tmp_path):
    write_tree(tmp_path / "plain", {"m/0001.sql": "SELECT 1;\n"})
    done = dbvet(tmp_path / "plain", "--base", "HEAD")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines() == [f"dbvet: --base needs a git repository, and {tmp_path / 'plain'} is not inside one"]

    repo = tmp_path / "repo"
    write_tree(repo, {"m/0001.sql": "SELECT 1;\n"})
    git_commit(repo)
    done = dbvet(repo, "--base", "origin/main")
    assert (done.returncode, done.stderr) == (2, "dbvet: --base: revision 'origin/main' not found in this repository\n")


def test_cli_without_git_on_path(tmp_path):
    repo = tmp_path / "repo"
    write_tree(repo, {"m/0001.sql": "SELECT 1;\n"})
    git_commit(repo)
    empty = tmp_path / "empty"
    empty.mkdir()
    done = dbvet(repo, "--base", "HEAD", env={**os.environ, "PATH": str(empty)})
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "dbvet: --base needs git, and git is not installed (or not on PATH)\n"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("a\nb\n", "a\nb\n", None),
        ("a\r\nb\r\n", "a\nb\n", None),  # line endings alone are not an edit
        ("a\nb\n", "a\rb\r", None),
        ("a\nb\n", "a\r\nc\r\n", 3),  # an offset into the new text, CRLF counted as two characters
        ("abc", "abcd", 3),
        ("abcd", "abc", 3),
        ("", "x", 0),
    ],
)
def test_first_difference(old, new, expected):
    assert first_difference(old, new) == expected
