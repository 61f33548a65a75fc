"""Baselines: adopt dbvet on a repository with old findings, and fail only on new ones.

`--write-baseline FILE` records the run's findings (after inline suppressions and the
configuration) as JSON; `--baseline FILE` then removes the findings it records, so the exit
code counts only new ones, and says on stderr how many recorded findings no longer occur.

A finding is recognised by a fingerprint that does not involve line numbers, so inserting
lines above it keeps it recorded: the sha256 of its rule, its path, the text of the statement
it was found in and the text it points at (SQL and Prisma comments removed, whitespace
collapsed, case kept). A finding with no text to point at (an unreadable file, a deleted
migration) is fingerprinted by its message instead. Identical findings in one file (the same
statement written twice) are numbered in file order, so they are separate entries and fixing
one of them leaves the other recorded: entries match as a multiset.

Editing a statement makes its findings new; renaming a file makes its findings new.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from linter import __version__
from linter.config import Config
from linter.errors import UserError
from linter.findings import Finding, RunResult
from linter.records import Record, replace
from linter.rule import Rule
from linter.selection import Selection
from linter.source import SourceFile, display_path, read_source
from linter.text import plural

VERSION = 1
_FINGERPRINT = re.compile(r"[0-9a-f]{64}")

# Quoted text is matched so that what looks like a comment inside it is kept. Only determinism
# matters here (the same text always normalises the same way), not a full lexer.
_SQL_TOKENS = re.compile(
    r"""'(?:[^']|'')*'?|"(?:[^"]|"")*"?|`[^`]*`?"""
    r"|\$\$.*?(?:\$\$|\Z)|\$(?P<tag>[A-Za-z_]\w*)\$.*?(?:\$(?P=tag)\$|\Z)"
    r"|(?P<comment>--[^\r\n]*|/\*.*?(?:\*/|\Z))",
    re.S,
)
_PRISMA_TOKENS = re.compile(r'"(?:[^"\\\r\n]|\\.)*"?|(?P<comment>//[^\r\n]*)')


class Entry(Record, frozen=True):
    """One recorded finding."""

    rule: str
    path: str
    fingerprint: str
    message: str  # for the humans reading the file; not matched

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.rule, self.path, self.fingerprint)

    def to_json(self) -> dict:
        return {"rule": self.rule, "path": self.path, "fingerprint": self.fingerprint, "message": self.message}


def normalise(text: str, path: str) -> str:
    """Text as fingerprints see it: comments removed (SQL and Prisma files), whitespace collapsed."""
    tokens = _SQL_TOKENS if path.endswith(".sql") else _PRISMA_TOKENS if path.endswith(".prisma") else None
    if tokens is not None:
        text = tokens.sub(lambda m: " " if m.group("comment") else m.group(), text)
    return " ".join(text.split())


def fingerprints(findings: Sequence[Finding], sources: Mapping[str, SourceFile], cwd: Path) -> list[str]:
    """One fingerprint per finding, in the same order. `findings` must be in file order (as a
    run sorts them) for identical findings to be numbered the same way every time."""
    seen: Counter[str] = Counter()
    result = []
    for finding in findings:
        identity = json.dumps(_identity(finding, _source(finding.path, sources, cwd)), ensure_ascii=False)
        result.append(_sha256(json.dumps([identity, seen[identity]])))
        seen[identity] += 1
    return result


def entries_of(findings: Sequence[Finding], sources: Mapping[str, SourceFile], cwd: Path) -> list[Entry]:
    return [
        Entry(finding.rule, finding.path, fingerprint, finding.message)
        for finding, fingerprint in zip(findings, fingerprints(findings, sources, cwd))
    ]


def _identity(finding: Finding, file: SourceFile | None) -> list[str]:
    text = file.text if file is not None else ""
    statement = ""
    if finding.statement is not None:
        statement = normalise(text[finding.statement[0] : finding.statement[1]], finding.path)
    own = ""
    if file is not None:
        start = file.offset_of(finding.line, finding.column)
        own = normalise(text[start : file.offset_of(finding.end_line, finding.end_column)], finding.path)
        if not own:  # a finding on a comment (an unused suppression) is about the comment's words
            own = " ".join(text[start : file.offset_of(finding.end_line, finding.end_column)].split())
    message = finding.message if not (statement or own) else ""
    return [finding.rule, finding.path, statement, own, message]


def _source(path: str, sources: Mapping[str, SourceFile], cwd: Path) -> SourceFile | None:
    file = sources.get(path)
    if file is None:  # a run restored from a cache may not hold every text
        read = read_source(cwd / path, path)
        file = read if isinstance(read, SourceFile) else None
    return file


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- the file -------------------------------------------------------------------------------
def read_baseline(path: Path, cwd: Path) -> list[Entry]:
    """The entries of a baseline file; any problem is one UserError line."""
    shown = display_path(cwd / path, cwd)
    try:
        data = (cwd / path).read_bytes()
    except FileNotFoundError:
        raise UserError(f"{shown}: baseline file not found (write one with --write-baseline {shown})") from None
    except OSError as exc:
        raise UserError(f"{shown}: cannot read baseline: {exc.strerror or exc}") from None
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise UserError(f"{shown}: not a dbvet baseline: not valid UTF-8 (byte offset {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise UserError(
            f"{shown}: not a dbvet baseline: invalid JSON at line {exc.lineno}, column {exc.colno}"
        ) from None
    if not isinstance(document, dict) or not isinstance(document.get("findings"), list):
        raise UserError(f'{shown}: not a dbvet baseline: expected an object with a "findings" list')
    version = document.get("version")
    if version != VERSION:
        if isinstance(version, int) and version > VERSION:
            raise UserError(
                f"{shown}: baseline version {version} was written by a newer dbvet; this one reads {VERSION}"
            )
        raise UserError(f'{shown}: not a dbvet baseline: unsupported "version" {version!r}')
    entries = []
    for index, item in enumerate(document["findings"]):
        if not (
            isinstance(item, dict)
            and all(isinstance(item.get(key), str) for key in ("rule", "path", "fingerprint"))
            and _FINGERPRINT.fullmatch(item["fingerprint"])
        ):
            raise UserError(
                f'{shown}: not a dbvet baseline: findings[{index}] needs "rule", "path" and a sha256 "fingerprint"'
            )
        message = item.get("message")
        entries.append(
            Entry(item["rule"], item["path"], item["fingerprint"], message if isinstance(message, str) else "")
        )
    return entries


def render_baseline(entries: Sequence[Entry]) -> str:
    """Sorted, stable JSON: the file changes only where findings do."""
    ordered = sorted(entries, key=lambda e: (e.path, e.rule, e.fingerprint, e.message))
    document = {
        "version": VERSION,
        "tool": {"name": "dbvet", "version": __version__},
        "findings": [entry.to_json() for entry in ordered],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# --- a run ----------------------------------------------------------------------------------
def apply_baseline(
    result: RunResult,
    config: Config,
    rules: Mapping[str, type[Rule]],
    cwd: Path,
    *,
    paths: Sequence[Path],
    baseline: Path | None,
    write_to: Path | None,
) -> RunResult:
    """The run with recorded findings removed, after writing the baseline when asked.

    Writing records every current finding (and, when a baseline was read too, keeps its entries
    for files or rules this run did not look at), so the run then reports nothing new.
    """
    current = entries_of(result.findings, result.sources, cwd)
    old = read_baseline(baseline, cwd) if baseline is not None else []
    in_scope = _Scope(result, config, rules, paths, cwd)
    remaining = Counter(entry.key for entry in old)
    new: list[Finding] = []
    for finding, entry in zip(result.findings, current):
        if remaining[entry.key] > 0:
            remaining[entry.key] -= 1
        else:
            new.append(finding)
    fixed = []
    for entry in old:  # a hand-duplicated entry is counted as often as it is written
        if remaining[entry.key] > 0:
            remaining[entry.key] -= 1
            if in_scope(entry):
                fixed.append(entry)

    if write_to is not None:
        kept = [entry for entry in old if not in_scope(entry)]
        from linter.cli import write_atomically

        write_atomically(cwd / write_to, render_baseline(current + kept))
        shown = display_path(cwd / write_to, cwd)
        note = f" ({len(new)} new, {len(fixed)} fixed dropped)" if baseline is not None else ""
        print(f"dbvet: recorded {plural(len(current) + len(kept), 'finding')} in {shown}{note}", file=sys.stderr)
        return replace(result, findings=[])
    if fixed:
        shown = display_path(cwd / baseline, cwd) if baseline is not None else ""
        print(
            f"dbvet: {plural(len(fixed), 'baselined finding')} no longer occur{'s' if len(fixed) == 1 else ''} "
            f"(fixed); rerun with --write-baseline {shown} to drop {'it' if len(fixed) == 1 else 'them'}",
            file=sys.stderr,
        )
    return replace(result, findings=new)


class _Scope:
    """Whether this run looked for a recorded finding: its rule ran on its file.

    A file the run did not check (pre-commit passes a few at a time; `dbvet check db/` skips
    the rest) keeps its entries; a deleted file within the paths checked has none left.
    """

    def __init__(
        self, result: RunResult, config: Config, rules: Mapping[str, type[Rule]], paths: Sequence[Path], cwd: Path
    ):
        self.cwd = cwd
        self.paths = result.checked | {finding.path for finding in result.findings}
        self.roots = [os.path.normpath(cwd / path) for path in paths or [Path(".")]]
        self.rules = rules
        self.selection = Selection(config, rules, cwd)

    def __call__(self, entry: Entry) -> bool:
        if entry.rule in self.rules and (
            not self.selection.enabled(entry.rule) or self.selection.ignored_for(entry.rule, entry.path)
        ):
            return False  # the rule did not run there (a rule dbvet no longer has: none of its findings are left)
        return entry.path in self.paths or self._deleted_within(entry.path)

    def _deleted_within(self, path: str) -> bool:
        absolute = os.path.normpath(self.cwd / path)
        if os.path.lexists(absolute):
            return False
        return any(absolute == root or absolute.startswith(root.rstrip(os.sep) + os.sep) for root in self.roots)
