"""`--base REV`: what the change being checked adds, modifies, deletes and renames, from git.

Public API (the `check` run and the GitHub mode use it):

- `resolve(revision, cwd) -> Change`: finds the repository holding `cwd`, resolves `revision`
  to a commit and measures the change from the merge base of that commit and HEAD (so
  `--base origin/main` on a feature branch sees the branch's own changes, and `--base HEAD`
  the staged and unstaged edits) to the working tree. Untracked files that are not ignored
  count as added. `Change` has `revision` (as given), `commit` (the merge base's sha, None in a
  repository without commits), `root` (the repository's top folder), `added`, `modified`,
  `deleted` (sets of repository-relative paths with `/`), `renamed` (new path -> old path) and
  `old_text(path)` (the file's text at the merge base, or None).
- `apply_base(sets, change, cwd) -> frozenset[str]`: marks the migrations new in the change
  (`Migration.in_change`), records on each set what R003/R004 judge (`MigrationSet.base`, a
  `BaseState` of plain data) and returns the display paths of every changed file.

Every failure is a `UserError` with one line: git missing, not a repository, a revision that
is not there (with a hint when the clone is shallow), no common ancestor. In a repository with
no commit yet, `--base HEAD` means "everything is new" (a pre-commit hook on a brand new
repository must not fail); any other revision there is not found.

git runs without a shell, with `core.quotepath=off`, NUL-separated output (paths with spaces,
newlines or non-ASCII characters survive) and the caller's environment (GIT_DIR and friends
are honoured, not overridden). Commands run from the repository's top folder, so paths are
repository-relative whatever `diff.relative` says.
"""

from __future__ import annotations

import os
import subprocess
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from linter.background import InBackground
from linter.discover import SKIPPED_DIRS
from linter.errors import UserError
from linter.layouts import Listing, build_set, join_shown
from linter.migrations import BaseState, Migration, MigrationSet, TxMode
from linter.records import Record, field
from linter.source import ReadProblem, SourceFile, decode, display_path


class Change(Record, eq=False):
    """The change from a base commit to the working tree (index and unstaged edits included)."""

    revision: str
    commit: str | None
    root: Path
    added: frozenset[str] = frozenset()
    modified: frozenset[str] = frozenset()
    deleted: frozenset[str] = frozenset()
    renamed: dict[str, str] = field(default_factory=dict)  # new path -> old path
    _blobs: dict[str, bytes | None] = field(default_factory=dict, repr=False)

    @property
    def paths(self) -> frozenset[str]:
        """Every path the change touches: added, modified, deleted, and both names of a rename."""
        return self.added | self.modified | self.deleted | set(self.renamed) | set(self.renamed.values())

    def old_bytes(self, path: str) -> bytes | None:
        """The file's bytes at the base commit, None when it was not there."""
        if path not in self._blobs:
            self.prefetch([path])
        return self._blobs[path]

    def old_text(self, path: str) -> str | None:
        """The file's text at the base commit (decoded as dbvet reads files), None when it was not
        there or is not text."""
        data = self.old_bytes(path)
        if data is None:
            return None
        source = decode(data, path)
        return source.text if isinstance(source, SourceFile) else None

    def old_tree(self, folder: str) -> list[str]:
        """Every file under `folder` (repository-relative, "" for the top) at the base commit."""
        if self.commit is None:
            return []
        spec = [f"{folder}/"] if folder else []
        output = _git(["ls-tree", "-r", "-z", "--name-only", self.commit, "--", *spec], self.root).stdout
        return [os.fsdecode(path) for path in output.split(b"\0") if path]

    def prefetch(self, paths: Iterable[str]) -> None:
        """Read many blobs of the base commit with one `git cat-file --batch`."""
        wanted = [path for path in dict.fromkeys(paths) if path not in self._blobs]
        if self.commit is None:
            self._blobs.update(dict.fromkeys(wanted))
            return
        batchable = [path for path in wanted if "\n" not in path]
        for path in wanted:
            if "\n" in path:  # the batch protocol is line based; read such a path alone
                done = _git(["cat-file", "blob", f"{self.commit}:{path}"], self.root, check=False)
                self._blobs[path] = done.stdout if done.returncode == 0 else None
        if not batchable:
            return
        request = "".join(f"{self.commit}:{path}\n" for path in batchable).encode()
        output = _git(["cat-file", "--batch"], self.root, stdin=request).stdout
        position = 0
        for path in batchable:
            header_end = output.index(b"\n", position)
            header = output[position:header_end].split(b" ")
            position = header_end + 1
            if len(header) == 3 and header[1] == b"blob":
                size = int(header[2])
                self._blobs[path] = output[position : position + size]
                position += size + 1
            else:  # "<name> missing", or a tree/submodule where a file was expected
                if len(header) == 3:
                    position += int(header[2]) + 1
                self._blobs[path] = None


def resolve_in_background(revision: str, cwd: Path) -> InBackground:
    """`resolve` in a thread, for its `result()` later. Start it as early as possible: git's
    processes wait on a core of their own while this process goes on (in a pre-commit hook,
    loading dbvet and discovering the files take longer than git)."""
    return InBackground(resolve, revision, cwd)


def resolve(revision: str, cwd: Path) -> Change:
    """The change measured against `revision` for the repository holding `cwd`."""
    if not revision or revision.startswith("-"):
        raise UserError(f"--base: {revision!r} is not a git revision")
    # One call finds both the repository's top folder and the revision's commit: a pre-commit
    # hook pays for every git process. The commit's line is missing when there is no such revision.
    found = _git(["rev-parse", "--show-toplevel", "--verify", "--quiet", f"{revision}^{{commit}}"], cwd, check=False)
    output = found.stdout.rstrip(b"\n")
    if found.returncode not in (0, 1) or not output:
        raise UserError(f"--base needs a git repository, and {cwd} is not inside one")
    top, commit_line = output.rsplit(b"\n", 1) if found.returncode == 0 else (output, b"")
    root = Path(os.fsdecode(top))
    if found.returncode != 0:
        has_head = _git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], root, check=False).returncode == 0
        if not has_head and revision == "HEAD":
            # No commit yet: everything in the index and the working tree is new.
            untracked = _start_git(_UNTRACKED, root)
            with _waiting_for(untracked):
                tracked = _nul_paths(_git(["ls-files", "-z"], root).stdout)
            return Change(revision, None, root, added=frozenset(tracked) | _finish_paths(untracked))
        raise UserError(_not_found(revision, root, has_head))
    commit = commit_line.decode().strip()
    if revision == "HEAD":
        base = commit  # HEAD's merge base with itself
    else:
        merge_base = _git(["merge-base", commit, "HEAD"], root, check=False)
        if merge_base.returncode != 0:
            hint = _shallow_hint(root)
            raise UserError(f"--base: {revision} and HEAD have no common ancestor{hint}")
        base = merge_base.stdout.decode().strip()
    # The untracked files are listed while the diff runs: in a large working tree each walks it.
    untracked = _start_git(_UNTRACKED, root)
    with _waiting_for(untracked):
        diff = _git(["diff", "--name-status", "-z", "-M", "--no-ext-diff", base, "--"], root).stdout
    added, modified, deleted, renamed = _parse_name_status(diff)
    added |= _finish_paths(untracked)
    return Change(revision, base, root, frozenset(added), frozenset(modified), frozenset(deleted), renamed)


def apply_base(sets: Sequence[MigrationSet], change: Change, cwd: Path) -> frozenset[str]:
    """Mark what is new in each set, record its `BaseState`, and return the display paths of
    every file the change touched (deleted ones and the new names of renamed ones included)."""
    real_cwd = Path(os.path.realpath(cwd))
    touched = change.added | change.modified | change.deleted | set(change.renamed)
    changed = frozenset(display_path(change.root / path, real_cwd) for path in touched)
    for migration_set in {id(s): s for s in sets}.values():  # a Prisma set is listed twice
        migration_set.base = _base_state(migration_set, change, real_cwd)
    return changed


# --- one migration set ----------------------------------------------------------------------
class _Paths(Record, frozen=True):
    """Maps between a set's display paths and repository paths."""

    folder: str  # the set's root, repository-relative ("" for the top)
    shown: str  # its display path
    root: Path
    cwd: Path

    def to_repo(self, shown: str) -> str:
        relative = shown if self.shown == "." else shown[len(self.shown) + 1 :]
        return f"{self.folder}/{relative}" if self.folder else relative

    def to_shown(self, path: str) -> str:
        prefix = f"{self.folder}/" if self.folder else ""
        if path.startswith(prefix):
            return join_shown(self.shown, path[len(prefix) :])
        return display_path(self.root / path, self.cwd)

    def holds(self, path: str) -> bool:
        return not self.folder or path.startswith(f"{self.folder}/")


def _base_state(migration_set: MigrationSet, change: Change, cwd: Path) -> BaseState | None:
    real_root = os.path.realpath(migration_set.root)
    folder = os.path.relpath(real_root, os.path.realpath(change.root)).replace(os.sep, "/")
    if folder == ".." or folder.startswith("../"):
        return None  # outside the repository: git knows nothing of it
    paths = _Paths("" if folder == "." else folder, migration_set.path, change.root, cwd)
    if not any(paths.holds(path) for path in change.paths):
        return BaseState(change.revision, layout=str(migration_set.layout))
    added = frozenset(paths.to_shown(path) for path in change.added if paths.holds(path))
    for migration in migration_set.migrations:
        migration.in_change = _is_added(migration, paths, change.added)
    old_files = change.old_tree(paths.folder)
    created = _folders(paths, change.added) - _folders(paths, old_files)
    added |= {join_shown(paths.shown, name) for name in created}  # new migration directories
    before = _set_at_base(change, paths, old_files, _unchanged_files(migration_set, paths, change))
    if before is None:
        return BaseState(change.revision, layout=None, added=added)
    current = {m.up.path: m for m in migration_set.migrations if m.up is not None}
    renamed_from = {old: new for new, old in change.renamed.items()}
    edited: list[tuple[str, str]] = []
    deleted: list[tuple[str, str]] = []
    renamed: list[tuple[str, str]] = []
    applied = [m for m in before.migrations if not m.repeatable and m.up is not None]
    for old in applied:
        assert old.up is not None
        path = paths.to_repo(old.up.path)
        if path in change.deleted:
            deleted.append((old.up.path, "deleted"))
        elif path in renamed_from:
            renamed.append((paths.to_shown(renamed_from[path]), old.up.path))
        elif path in change.modified:
            now = current.get(old.up.path)
            if now is None or now.repeatable:
                deleted.append((old.up.path, "no longer a migration"))
            elif first_difference(old.up.text, now.up.text) is not None:  # type: ignore[union-attr]
                edited.append((old.up.path, old.up.text))
    newest = max(applied, key=lambda m: m.sort_key, default=None)
    return BaseState(
        change.revision,
        layout=str(before.layout),
        newest=newest.sort_key if newest else None,
        newest_path=newest.path if newest else None,
        edited=tuple(edited),
        deleted=tuple(deleted),
        renamed=tuple(renamed),
        added=added,
    )


def _is_added(migration: Migration, paths: _Paths, added: frozenset[str]) -> bool:
    if migration.up is not None:
        return paths.to_repo(migration.up.path) in added
    folder = paths.to_repo(migration.path)  # unreadable up: judge by the file or directory
    return folder in added or any(path.startswith(f"{folder}/") for path in added)


def _unchanged_files(migration_set: MigrationSet, paths: _Paths, change: Change) -> dict[str, SourceFile]:
    """The set's files as discovery read them, by repository path, where the change did not
    touch them. `git diff` against the base lists every file whose content differs, so these
    hold what the base holds and git need not be asked for them: a pre-commit hook adding one
    migration to a long history reads none of the others from git."""
    files = [migration_set.lock_file] if migration_set.lock_file is not None else []
    for migration in migration_set.migrations:
        files += [part.file for part in (migration.up, migration.down) if part is not None]
    touched = change.paths
    unchanged = {}
    for file in files:
        where = paths.to_repo(file.path)
        if where not in touched:
            unchanged[where] = file
    return unchanged


class _BaseFiles:
    """The set's folder as it was at the base commit, for `layouts.build_set` (which reads
    folders through the `Files` protocol): the tool's own reading of the old files. Files the
    change left alone are the ones read from the working tree (`unchanged`); git gives the rest."""

    def __init__(self, change: Change, folder: str, files: list[str], unchanged: dict[str, SourceFile]) -> None:
        self.change = change
        self.unchanged = unchanged
        self.entries: dict[str, tuple[set[str], set[str]]] = {}
        prefix = f"{folder}/" if folder else ""
        for path in files:
            parts = path[len(prefix) :].split("/")
            if len(parts) > 2 or any(part.startswith(".") or part in SKIPPED_DIRS for part in parts):
                continue  # layouts look one level down at most; discovery skips hidden entries
            where = folder
            for index, part in enumerate(parts):
                names, dirs = self.entries.setdefault(where, (set(), set()))
                (names if index == len(parts) - 1 else dirs).add(part)
                where = f"{where}/{part}" if where else part
        wanted = (os.path.join(where, name) for where, (names, _) in self.entries.items() for name in names)
        change.prefetch(path for path in wanted if _wanted(path) and path not in unchanged)

    def listing(self, where: str, shown: str) -> Listing | None:
        if where not in self.entries:
            return None
        names, dirs = self.entries[where]
        return Listing(where, shown, tuple(sorted(names)), tuple(sorted(dirs)))

    def read(self, where: str, shown: str) -> SourceFile | ReadProblem:
        same = self.unchanged.get(where)
        if same is not None:
            return SourceFile(shown, same.text, bom=same.bom)
        data = self.change.old_bytes(where)
        return ReadProblem(shown, "not in the base revision") if data is None else decode(data, shown)


def _wanted(name: str) -> bool:
    return name.endswith((".sql", ".toml", ".conf"))


def _folders(paths: _Paths, files: Iterable[str]) -> set[str]:
    """The names of the set's subfolders (a migration each, in directory layouts) holding `files`."""
    prefix = f"{paths.folder}/" if paths.folder else ""
    return {path[len(prefix) :].split("/", 1)[0] for path in files if path.startswith(prefix) and "/" in path[len(prefix) :]}


def _set_at_base(
    change: Change, paths: _Paths, files: list[str], unchanged: dict[str, SourceFile]
) -> MigrationSet | None:
    if not files:
        return None
    base_files = _BaseFiles(change, paths.folder, files, unchanged)
    listing = base_files.listing(paths.folder, paths.shown)
    return build_set(listing, base_files, TxMode.NONE) if listing is not None else None


def first_difference(old: str, new: str) -> int | None:
    """Character offset into `new` of the first difference from `old`, None when they are the
    same text. Line endings do not count: `\\r\\n`, `\\r` and `\\n` are one line break (Prisma
    accepts a checksum taken with either, Flyway checksums line by line, and git's eol
    settings decide what a checkout holds)."""
    if old == new:
        return None
    i = j = 0
    while i < len(old) and j < len(new):
        a, next_i = _char(old, i)
        b, next_j = _char(new, j)
        if a != b:
            return j
        i, j = next_i, next_j
    return None if i == len(old) and j == len(new) else j


def _char(text: str, index: int) -> tuple[str, int]:
    char = text[index]
    if char != "\r":
        return char, index + 1
    return "\n", index + 2 if text.startswith("\n", index + 1) else index + 1


# --- running git --------------------------------------------------------------------------
_GIT = ["git", "-c", "core.quotepath=off"]


def _git(args: list[str], cwd: Path, *, check: bool = True, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return _finish(_start_git(args, cwd, stdin is not None), stdin, check=check)


def _start_git(args: list[str], cwd: Path, with_stdin: bool = False) -> subprocess.Popen:
    """A git command started, for `_finish` to wait for (another may run meanwhile)."""
    stdin = subprocess.PIPE if with_stdin else subprocess.DEVNULL
    try:
        return subprocess.Popen([*_GIT, *args], cwd=cwd, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except FileNotFoundError:
        raise UserError("--base needs git, and git is not installed (or not on PATH)") from None
    except OSError as exc:
        raise UserError(f"--base: cannot run git: {exc.strerror or exc}") from None


def _finish(
    process: subprocess.Popen, stdin: bytes | None = None, *, check: bool = True
) -> subprocess.CompletedProcess:
    with process:  # waits, and closes the pipes whatever happens
        stdout, stderr = process.communicate(stdin)
    done = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    if check and done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        command = process.args[len(_GIT)]  # type: ignore[index]
        raise UserError(f"--base: git {command} failed: {message[-1] if message else f'exit {done.returncode}'}")
    return done


def _nul_paths(output: bytes) -> list[str]:
    return [os.fsdecode(path) for path in output.split(b"\0") if path]


_UNTRACKED = ["ls-files", "--others", "--exclude-standard", "-z"]


@contextmanager
def _waiting_for(running: subprocess.Popen) -> Iterator[None]:
    """A block run while git command `running` runs: if the block fails, wait for it before
    raising, so no git process is left behind."""
    try:
        yield
    except BaseException:
        _finish(running, check=False)
        raise


def _finish_paths(running: subprocess.Popen) -> frozenset[str]:
    """The paths a started `git ls-files -z` lists."""
    return frozenset(_nul_paths(_finish(running).stdout))


def _parse_name_status(output: bytes) -> tuple[set[str], set[str], set[str], dict[str, str]]:
    """`git diff --name-status -z`: a status, then one path (two for renames and copies)."""
    fields = _nul_paths(output)
    added: set[str] = set()
    modified: set[str] = set()
    deleted: set[str] = set()
    renamed: dict[str, str] = {}
    index = 0
    while index < len(fields):
        status = fields[index][:1]
        if status in ("R", "C"):
            old, new = fields[index + 1], fields[index + 2]
            if status == "R":
                renamed[new] = old
            else:
                added.add(new)  # a copy leaves the original where it was
            index += 3
            continue
        path = fields[index + 1]
        {"A": added, "D": deleted}.get(status, modified).add(path)  # M, T (type change), U (unmerged)
        index += 2
    return added, modified, deleted, renamed


def _shallow_hint(root: Path) -> str:
    shallow = _git(["rev-parse", "--is-shallow-repository"], root, check=False).stdout.strip() == b"true"
    return " in this shallow clone; fetch more history (e.g. actions/checkout with fetch-depth: 0)" if shallow else ""


def _not_found(revision: str, root: Path, has_head: bool) -> str:
    if not has_head:
        return f"--base: revision {revision!r} not found (the repository has no commits yet)"
    hint = _shallow_hint(root)
    return f"--base: revision {revision!r} not found{hint or ' in this repository'}"
