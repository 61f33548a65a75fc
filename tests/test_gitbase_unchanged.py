"""`--base`: a set's files the change left alone are read from the working tree, not from git
(`gitbase._unchanged_files`). Each case compares what R003/R004 are given (`BaseState`) with
reading every file of the base from git, on real sets copied into fresh repositories and
changed in each way a change can touch a migration."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import corpus_path
from harness import git_commit, write_tree

from linter import gitbase
from linter.discover import DiscoverOptions, discover
from linter.gitbase import apply_base, resolve

IDENTITY = ["-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *IDENTITY, *args], cwd=root, check=True, capture_output=True)


def base_states(cwd: Path, *, shortcut: bool, monkeypatch) -> tuple[dict, dict]:
    """Each set's BaseState, by path, and the blobs read from git, for a run in `cwd`."""
    with monkeypatch.context() as patched:
        if not shortcut:
            patched.setattr(gitbase, "_unchanged_files", lambda *args: {})
        discovery = discover([cwd], DiscoverOptions(), cwd=cwd)
        change = resolve("HEAD", cwd)
        sets = [*discovery.sets, *(s.migration_set for s in discovery.prisma_schemas if s.migration_set)]
        apply_base(sets, change, cwd)
    return {s.path: s.base for s in sets}, change._blobs


def assert_same_as_reading_git(root: Path, monkeypatch) -> dict:
    """From the repository's top and from inside its first set (display paths differ)."""
    fast, blobs = base_states(root, shortcut=True, monkeypatch=monkeypatch)
    slow, _ = base_states(root, shortcut=False, monkeypatch=monkeypatch)
    assert fast == slow and fast
    inner = root / next(iter(fast))
    if inner != root:
        fast_inside, blobs_inside = base_states(inner, shortcut=True, monkeypatch=monkeypatch)
        assert fast_inside == base_states(inner, shortcut=False, monkeypatch=monkeypatch)[0]
        assert set(blobs_inside) == set(blobs)
    return blobs


# (corpus set, a folder of it to copy, its migrations folder inside that, how a migration is named)
SETS = [
    ("langfuse__langfuse", "packages/shared/prisma", "migrations", "dir/migration.sql"),
    ("openmeterio__openmeter", "tools/migrate/migrations", ".", "*.up.sql"),
    ("LemmyNet__lemmy", "migrations", ".", "dir/up.sql"),
    ("UPchieve__subway", "database/migrations", ".", "*.sql"),
]


def _migrations(folder: Path, pattern: str) -> list[Path]:
    if pattern.startswith("dir/"):
        name = pattern[4:]
        return sorted(d / name for d in folder.iterdir() if (d / name).is_file())
    return sorted(folder.glob(pattern))


@pytest.mark.parametrize(("name", "copied", "inner", "pattern"), SETS, ids=[s[0] for s in SETS])
def test_base_state_is_the_same_as_reading_every_file_from_git(tmp_path, monkeypatch, name, copied, inner, pattern):
    repo = tmp_path / "repo"
    shutil.copytree(corpus_path(name, copied), repo / "set")
    git_commit(repo)
    migrations = _migrations(repo / "set" / inner, pattern)
    assert len(migrations) > 20

    # A new migration only (the pre-commit case): nothing is read from git.
    newest = migrations[-1]
    added = newest.parent.with_name(newest.parent.name + "_next") if pattern.startswith("dir/") else None
    if added is not None:
        shutil.copytree(newest.parent, added)
    else:
        shutil.copy(newest, newest.with_name("99999999999999_next" + newest.name[newest.name.index("_") :]))
    assert assert_same_as_reading_git(repo, monkeypatch) == {}

    # Then an old migration edited, one deleted, one renamed, staged or not.
    edited, deleted, renamed = migrations[3], migrations[5], migrations[7]
    edited.write_text(edited.read_text(encoding="utf-8") + "\n-- edited\n", encoding="utf-8")
    deleted.unlink()
    git(repo, "mv", str(renamed.relative_to(repo)), str(renamed.with_name("renamed_" + renamed.name).relative_to(repo)))
    blobs = assert_same_as_reading_git(repo, monkeypatch)
    # git is asked only for files of those migrations (a down left without its up included).
    folder = repo / "set" / inner

    def version(path: Path) -> str:
        return path.relative_to(folder).parts[0].split("_")[0]

    assert blobs and {version(repo / path) for path in blobs} <= {version(p) for p in (edited, deleted, renamed)}


def test_a_file_git_stores_with_other_line_endings_gives_the_same_base_state(tmp_path, monkeypatch):
    # With eol conversion the working tree's bytes differ from the blob's, yet `git diff` lists
    # no change: the base state does not depend on line endings.
    repo = tmp_path / "repo"
    write_tree(repo, {".gitattributes": "*.sql text eol=crlf\n"})
    write_tree(repo, {f"m/000{n}_step.sql": f"CREATE TABLE t{n} (id int);\n" for n in range(1, 5)})
    git_commit(repo)
    for path in (repo / "m").iterdir():
        path.unlink()
    git(repo, "checkout", "--", "m")
    assert b"\r\n" in (repo / "m/0001_step.sql").read_bytes()
    write_tree(repo, {"m/0005_step.sql": "CREATE TABLE t5 (id int);\n"})
    (repo / "m/0002_step.sql").write_text("CREATE TABLE t2 (id bigint);\n", encoding="utf-8")

    blobs = assert_same_as_reading_git(repo, monkeypatch)

    assert set(blobs) == {"m/0002_step.sql"}
    states, _ = base_states(repo, shortcut=True, monkeypatch=monkeypatch)
    (state,) = states.values()
    assert [path for path, _ in state.edited] == ["m/0002_step.sql"]
    assert state.added == {"m/0005_step.sql"}
