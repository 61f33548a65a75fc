"""`dbvet init`: a starter configuration and the pre-commit hook, in two minutes.

It looks at what the current directory holds (the migration sets and Prisma schemas `dbvet
check` would lint), then
- writes a starter configuration, unless one already applies here: a `[tool.dbvet]` table
  appended to `pyproject.toml` (the file's text is kept as it is), or `.dbvet.yaml` when there
  is no pyproject.toml or `--format yaml` asks for it. It holds `dialect` only when discovery
  could not tell a set's dialect, `exclude` for folders of SQL that look like seeds, fixtures or
  tests rather than migrations, and commented examples;
- adds the dbvet hook to `.pre-commit-config.yaml`: a new file, or an entry appended to `repos`
  with ruamel.yaml's round trip, which keeps comments, key order, quoting and blank lines. The
  file's indentation is read from it first; when the round trip would still change a byte of what
  is there, init refuses and says what to add by hand. A file that already runs a hook with id
  `dbvet` is left alone.

Everything is decided before anything is written, so a malformed file stops init with one line
and nothing changed. Files are replaced atomically. Running init twice changes nothing.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
from pathlib import Path

from linter import PROJECT_URL, __version__
from linter.errors import UserError
from linter.records import Record

PRE_COMMIT_CONFIG = ".pre-commit-config.yaml"
HOOK_ID = "dbvet"
# Folder names that hold SQL which is not a migration history.
NOT_MIGRATIONS = frozenset(
    {
        "seed",
        "seeds",
        "fixture",
        "fixtures",
        "testdata",
        "test",
        "tests",
        "__tests__",
        "sample",
        "samples",
        "example",
        "examples",
    }
)
DIALECT_NAMES = {"postgresql": "PostgreSQL", "mysql": "MySQL", "sqlite": "SQLite"}
_KEY_ALONE = re.compile(r"^( *)[^\s#-][^#]*:[ \t]*(?:#.*)?$")  # `key:` with its value on the next lines
_ITEM = re.compile(r"^( *)-( +)\S")


class _Write(Record, frozen=True):
    path: Path
    data: bytes
    done: str  # what to print once written


class _Setting(Record, frozen=True):
    """One line of the starter configuration, with the comment above it."""

    key: str
    value: object  # a string, a number or a list of strings: JSON spells them as TOML and YAML do
    comment: str
    active: bool = True  # False: written commented out, as an example

    def line(self, separator: str) -> str:
        line = f"{self.key}{separator}{json.dumps(self.value, ensure_ascii=False)}"
        return f"# {self.comment}\n{line if self.active else '# ' + line}\n"


def run_init(args: argparse.Namespace) -> int:
    cwd = Path.cwd()
    messages: list[str] = []
    writes: list[_Write] = []
    for step in (_configuration(cwd, args.config_format, messages), _hook(cwd, messages)):
        if step is not None:
            writes.append(step)
    for message in messages:
        print(message)
    for write in writes:
        _replace(write.path, write.data)
        print(write.done)
    if not writes:
        print("nothing changed: dbvet is already set up here")
    elif any(write.path.name == PRE_COMMIT_CONFIG for write in writes):
        print("run `pre-commit install` once so that the hook runs on every commit")
    return 0


# --- the configuration ----------------------------------------------------------------------
def _configuration(cwd: Path, wanted: str | None, messages: list[str]) -> _Write | None:
    from linter.config import PYPROJECT, load_config
    from linter.discover import discover
    from linter.run import discovery_options
    from linter.source import display_path
    from rules import all_rules

    existing = load_config(all_rules(), cwd)
    discovery = discover([Path(".")], discovery_options(existing), cwd=cwd)
    messages.extend(_found(discovery))
    if existing.path is not None:
        messages.append(f"configuration already in {display_path(existing.path, cwd)}: left as it is")
        return None
    settings = _starter(discovery)
    header = "# written by `dbvet init`; every key is described in the README, under Configuration\n"
    pyproject = cwd / PYPROJECT
    if wanted == "yaml" or (wanted is None and not pyproject.is_file()):
        text = "# dbvet " + header[2:] + "".join(setting.line(": ") for setting in settings)
        return _Write(cwd / ".dbvet.yaml", text.encode("utf-8"), "wrote .dbvet.yaml")
    table = "[tool.dbvet]\n" + header + "".join(setting.line(" = ") for setting in settings)
    old = _read(pyproject) if pyproject.exists() else b""
    return _Write(pyproject, _appended(old, table, PYPROJECT), f"added [tool.dbvet] to {PYPROJECT}")


def _found(discovery) -> list[str]:
    lines = [
        f"found {migration_set.path}: {migration_set.layout} migrations, "
        + (f"{migration_set.dialect} ({migration_set.dialect_source})" if migration_set.dialect else "dialect unknown")
        for migration_set in discovery.sets
    ]
    lines += [f"found a Prisma schema in {schema.path}" for schema in discovery.prisma_schemas]
    return lines or ["found no migration sets or Prisma schemas here yet"]


def _starter(discovery) -> list[_Setting]:
    """Only what discovery shows is needed is set; the rest are commented examples."""
    excluded = [s.path for s in discovery.sets if NOT_MIGRATIONS.intersection(s.path.lower().split("/"))]
    linted = [s for s in discovery.sets if s.path not in excluded]
    unknown = ", ".join(s.path for s in linted if s.dialect is None)
    known = sorted({s.dialect for s in linted if s.dialect is not None})
    settings = []
    if unknown and len(known) == 1:
        why = f"{unknown}: the SQL does not say its dialect; the other migrations are {DIALECT_NAMES[known[0]]}"
        settings.append(_Setting("dialect", known[0], why))
    elif unknown:
        why = f"{unknown}: dbvet cannot tell the SQL dialect; set postgresql, mysql or sqlite"
        settings.append(_Setting("dialect", "postgresql", why, active=False))
    if excluded:
        settings.append(_Setting("exclude", excluded, "SQL that looks like seeds, fixtures or tests, not migrations"))
    settings.append(_Setting("pg-version", 14, "the PostgreSQL major version you run (9 to 18)", active=False))
    settings.append(
        _Setting("fail-on", "error", "exit 1 on findings at this level: error, warning, info or never", active=False)
    )
    return settings


def _appended(old: bytes, table: str, shown: str) -> bytes:
    """pyproject.toml with the table added at its end, its text, BOM and line endings kept."""
    import tomllib

    bom = old.startswith(b"\xef\xbb\xbf")
    try:
        text = old.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{shown}: not valid UTF-8 (byte offset {exc.start})") from None
    newline = "\r\n" if "\r\n" in text else "\n"
    separator = "" if not text else newline if text.endswith("\n") else newline * 2
    result = text + separator + table.replace("\n", newline)
    try:
        tomllib.loads(result)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{shown}: cannot add [tool.dbvet] ({exc}); use `dbvet init --format yaml`") from None
    return (b"\xef\xbb\xbf" if bom else b"") + result.encode("utf-8")


# --- the pre-commit hook --------------------------------------------------------------------
def _hook(cwd: Path, messages: list[str]) -> _Write | None:
    path = cwd / PRE_COMMIT_CONFIG
    top = _repository_top(cwd)
    if top is not None and top != cwd:
        messages.append(f"note: pre-commit reads {PRE_COMMIT_CONFIG} in the repository's top folder, {top}")
    if not path.exists():
        text = "# pre-commit hooks (https://pre-commit.com)\nrepos:\n" + _entry_text(2, 4)
        return _Write(path, text.encode("utf-8"), f"wrote {PRE_COMMIT_CONFIG} with the dbvet hook")
    data = _read(path)
    bom = data.startswith(b"\xef\xbb\xbf")
    try:
        original = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{PRE_COMMIT_CONFIG}: not valid UTF-8 (byte offset {exc.start}); left as it is") from None
    crlf = "\r\n" in original
    text = original.replace("\r\n", "\n")
    edited = _add_hook(text)
    if edited is None:
        messages.append(f"{PRE_COMMIT_CONFIG} already runs the dbvet hook: left as it is")
        return None
    if crlf:
        edited = edited.replace("\n", "\r\n")
    done = f"added the dbvet hook to {PRE_COMMIT_CONFIG}"
    return _Write(path, (b"\xef\xbb\xbf" if bom else b"") + edited.encode("utf-8"), done)


def _entry_text(offset: int, sequence: int) -> str:
    """The `repos` item, for a new file (or one that holds only comments)."""
    dash = " " * offset + "-" + " " * (sequence - offset - 1)
    body = " " * sequence
    return f"{dash}repo: {PROJECT_URL}\n{body}rev: v{__version__}\n{body}hooks:\n{body}{dash}id: {HOOK_ID}\n"


def _add_hook(text: str) -> str | None:
    """The file with the dbvet repository appended to `repos`; None when it already runs the hook."""
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.error import YAMLError

    mapping, sequence, offset = _indentation(text)
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 1 << 16  # never fold a long line
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    yaml.explicit_start = text.lstrip().startswith("---")
    try:
        document = yaml.load(text)
    except YAMLError as exc:
        raise _invalid(exc) from None
    if document is None:  # empty, or only comments: keep them and add the list below
        return text + ("" if not text or text.endswith("\n") else "\n") + "repos:\n" + _entry_text(offset, sequence)
    repos = document.get("repos") if isinstance(document, dict) else None
    if not isinstance(document, dict) or not isinstance(repos, (list, type(None))):
        raise UserError(f"{PRE_COMMIT_CONFIG}: expected a mapping with a `repos` list; left as it is")
    if any(_runs_dbvet(repo) for repo in repos or ()):
        return None
    by_hand = UserError(
        f"{PRE_COMMIT_CONFIG}: an automatic edit would reformat it; add this item to `repos` yourself: "
        f"- {{repo: {PROJECT_URL}, rev: v{__version__}, hooks: [{{id: {HOOK_ID}}}]}}"
    )
    if _dump(yaml, document) != text:
        raise by_hand
    before = _plain(text)  # what pre-commit reads, which the round trip's objects may not show
    hooks = CommentedSeq([CommentedMap([("id", HOOK_ID)])])
    entry = CommentedMap([("repo", PROJECT_URL), ("rev", f"v{__version__}"), ("hooks", hooks)])
    if repos is None:
        document["repos"] = CommentedSeq([entry])
    else:
        repos.append(entry)
    edited = _dump(yaml, document)
    # The edit must read back as the file did plus the one entry: a tag the round trip keeps
    # (`!!str repos:` is a second `repos` key to it) must not turn into a file pre-commit refuses.
    added = {"repo": PROJECT_URL, "rev": f"v{__version__}", "hooks": [{"id": HOOK_ID}]}
    wanted = {**before, "repos": [*(before.get("repos") or ()), added]}
    try:
        reads_back = _plain(edited) == wanted
    except UserError:  # no longer valid YAML, or no longer a mapping with `repos`
        reads_back = False
    if not reads_back:
        raise by_hand
    return edited


def _plain(text: str) -> dict:
    """The file as plain data, as a YAML loader like pre-commit's reads it."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        data = YAML(typ="safe", pure=True).load(text)
    except YAMLError as exc:
        raise _invalid(exc) from None
    if not isinstance(data, dict) or not isinstance(data.get("repos"), (list, type(None))):
        raise UserError(f"{PRE_COMMIT_CONFIG}: expected a mapping with a `repos` list; left as it is")
    return data


def _invalid(exc: Exception) -> UserError:
    from ruamel.yaml.error import MarkedYAMLError

    if isinstance(exc, MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        return UserError(f"{PRE_COMMIT_CONFIG}: invalid YAML{where}: {exc.problem or exc.context}; left as it is")
    return UserError(f"{PRE_COMMIT_CONFIG}: invalid YAML: {' '.join(str(exc).split())}; left as it is")


def _runs_dbvet(repo: object) -> bool:
    hooks = repo.get("hooks") if isinstance(repo, dict) else None
    return isinstance(hooks, list) and any(isinstance(hook, dict) and hook.get("id") == HOOK_ID for hook in hooks)


def _dump(yaml, document) -> str:
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def _indentation(text: str) -> tuple[int, int, int]:
    """(mapping, sequence, offset) as ruamel.yaml's `indent` takes them, read from the first
    nested mapping and the first block sequence under a key; 2, 4, 2 where the file shows none."""
    mapping = sequence = offset = None
    lines = [line for line in text.split("\n") if line.strip() and not line.lstrip().startswith("#")]
    for line, following in zip(lines, lines[1:]):
        key = _KEY_ALONE.match(line)
        if key is None:
            continue
        indent = len(key.group(1))
        item = _ITEM.match(following)
        if item is not None and sequence is None:
            offset = len(item.group(1)) - indent
            sequence = offset + 1 + len(item.group(2))
        elif item is None and mapping is None and len(following) - len(following.lstrip(" ")) > indent:
            mapping = len(following) - len(following.lstrip(" ")) - indent
    if sequence is None or offset is None or offset < 0:
        sequence, offset = 4, 2
    return mapping or 2, sequence, offset


def _repository_top(cwd: Path) -> Path | None:
    """The git repository's top folder (where pre-commit reads its configuration), if any."""
    for folder in (cwd, *cwd.parents):
        if (folder / ".git").exists():
            return folder
    return None


# --- files ----------------------------------------------------------------------------------
def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read {path.name}: {exc.strerror or exc}") from None


def _replace(path: Path, data: bytes) -> None:
    """Write a whole file atomically (a temporary file beside it, then os.replace), keeping its mode."""
    temporary = path.with_name(f".{path.name}.dbvet-tmp")
    try:
        temporary.write_bytes(data)
        if path.exists():
            shutil.copymode(path, temporary)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise UserError(f"cannot write {path.name}: {exc.strerror or exc}") from None
