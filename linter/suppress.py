"""Inline suppression comments, and the E005 findings about them.

Grammar: `dbvet: ignore IDS [reason]` or `dbvet: ignore-file IDS [reason]`, where IDS are rule
ids separated by commas (spaces around the commas allowed) or `all`, which needs a reason. SQL
writes it in a `--` comment, or as the whole of a `/* … */` comment; Prisma in a `//` comment
(`///` is documentation, never a directive). Decisions:

- whole rule ids only, no family prefixes (`S`): a suppression is a reviewed exception to one
  check, and naming the id lets a stale one be reported precisely;
- comments are found by a small lexer that skips string literals, quoted identifiers and
  dollar-quoted bodies, so `-- dbvet:` inside a function body or a string is not a directive.

Reach of `ignore`: written after code, the comment covers findings on its line. Alone on its
line, it covers the next line of code — comment lines in between are skipped (Prisma's
`-- CreateIndex` markers, doc comments), a blank line ends its reach — that is, findings on that
line and findings of the statement beginning there (the engine puts the line just above a
statement's first line into `Finding.anchor_lines`). `ignore-file` covers the whole file.

E005 findings (unused or malformed suppressions) are never silenced by the comment they are
about; another comment naming E005 explicitly (typically `ignore-file E005`) can silence them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Iterable, Mapping
from typing import Literal

from linter.findings import Finding, Severity
from linter.records import Record
from linter.source import SourceFile

ALL = "ALL"
UNUSED = "E005"
UNUSED_NAME = "unused-suppression"
MARKER = "dbvet:"

_SQL_START = re.compile(r"--|/\*|['\"`]|\$(?:[^\W\d]\w*)?\$")
_MYSQL_START = re.compile(r"--|/\*|#|['\"`]")
_PRISMA_START = re.compile(r'//|"')
_EOL = re.compile(r"[\r\n]")
_BLOCK_EDGE = re.compile(r"/\*|\*/")
_SPACE = re.compile(r"\s*")
# String bodies after the opening quote, up to and including the closing one.
_QUOTED = {
    "'": re.compile(r"[^']*(?:''[^']*)*'"),
    '"': re.compile(r'[^"]*(?:""[^"]*)*"'),
    "`": re.compile(r"[^`]*(?:``[^`]*)*`"),
}
_QUOTED_BACKSLASH = {
    "'": re.compile(r"[^'\\]*(?:(?:\\.|'')[^'\\]*)*'", re.DOTALL),
    '"': re.compile(r'[^"\\]*(?:(?:\\.|"")[^"\\]*)*"', re.DOTALL),
}
_PRISMA_STRING = re.compile(r'[^"\\\r\n]*(?:\\.[^"\\\r\n]*)*(?:"|(?=[\r\n])|\Z)', re.DOTALL)
_DIRECTIVE = re.compile(r"\s*([A-Za-z][\w-]*)")
_IDS = re.compile(r"\s*([A-Za-z][A-Za-z0-9]*(?:\s*,\s*[A-Za-z][A-Za-z0-9]*)*)")


class Suppression(Record, frozen=True):
    """One well-formed `ignore` / `ignore-file` comment."""

    ids: tuple[str, ...]  # upper-case, as written; ALL for `all` (present only with a reason)
    reason: str
    whole_file: bool
    line: int  # the comment's position
    column: int
    end_line: int
    end_column: int
    own_line: int | None = None  # after code: the line it covers
    target: int | None = None  # alone on its line: the line of code below it


class Malformed(Record, frozen=True):
    """A `dbvet:` comment that cannot be obeyed, and why."""

    message: str
    line: int
    column: int
    end_line: int
    end_column: int


class FileSuppressions(Record, frozen=True):
    path: str
    suppressions: tuple[Suppression, ...] = ()
    problems: tuple[Malformed, ...] = ()


# --- parsing --------------------------------------------------------------------------------
def parse_suppressions(
    file: SourceFile, syntax: Literal["sql", "prisma"] = "sql", *, dialect: str | None = None
) -> FileSuppressions:
    """The suppression comments of a file. `dialect` "mysql" makes the lexer honour MySQL's
    backslash escapes and `#` comments; PostgreSQL and SQLite quoting is the default."""
    if MARKER not in file.text:  # nearly every file: no lexing at all
        return FileSuppressions(file.path)
    return _Parser(file, syntax, dialect).parse()


class _Parser:
    def __init__(self, file: SourceFile, syntax: str, dialect: str | None) -> None:
        self.file = file
        self.text = file.text
        self.prisma = syntax == "prisma"
        self.marker = "//" if self.prisma else "--"
        self.dialect = dialect
        self.starts: list[int] = []  # comment spans, in order
        self.ends: list[int] = []
        self.blocks: list[bool] = []

    def parse(self) -> FileSuppressions:
        self._lex()
        suppressions: list[Suppression] = []
        problems: list[Malformed] = []
        for start, end, block in zip(self.starts, self.ends, self.blocks):
            if MARKER not in self.text[start:end]:
                continue
            body = self.text[start + 2 : end - 2 if block and self.text.endswith("*/", start + 2, end) else end]
            if self.prisma and body.startswith("/"):
                continue  # a /// doc comment
            body = body.strip()
            if not body.startswith(MARKER):
                continue
            for item in self._directive(body[len(MARKER) :], start, end):
                if isinstance(item, Suppression):
                    suppressions.append(item)
                else:
                    problems.append(item)
        return FileSuppressions(self.file.path, tuple(suppressions), tuple(problems))

    def _directive(self, rest: str, start: int, end: int) -> list[Suppression | Malformed]:
        """What one comment says: a suppression, a problem, or both (`all` without a reason
        beside ids that still apply)."""
        where = self._where(start, end)
        word = _DIRECTIVE.match(rest)
        usage = (
            f"write `{self.marker} dbvet: ignore <rule ids> <reason>` or "
            f"`{self.marker} dbvet: ignore-file <rule ids> <reason>`"
        )
        if word is None:
            return [Malformed(f"dbvet comment without a directive: {usage}", *where)]
        directive = word.group(1).lower()
        if directive not in ("ignore", "ignore-file"):
            return [Malformed(f"unknown dbvet directive {word.group(1)!r}: {usage}", *where)]
        after = rest[word.end() :]
        listed = _IDS.match(after)
        if listed is None:
            return [
                Malformed(
                    f"suppression comment names no rule: write `{self.marker} dbvet: {directive} <rule ids> <reason>`",
                    *where,
                )
            ]
        ids = tuple(dict.fromkeys(item.strip().upper() for item in listed.group(1).split(",")))
        reason = after[listed.end() :].strip().lstrip(":-\u2013\u2014").strip()
        result: list[Suppression | Malformed] = []
        if ALL in ids and not reason:
            ids = tuple(item for item in ids if item != ALL)
            result.append(
                Malformed(f"`all` needs a reason after it: `{self.marker} dbvet: {directive} all <why>`", *where)
            )
        if ids:
            whole = directive == "ignore-file"
            own_line, target = (None, None) if whole else self._reach(start, end)
            result.insert(0, Suppression(ids, reason, whole, *where, own_line=own_line, target=target))
        return result

    def _where(self, start: int, end: int) -> tuple[int, int, int, int]:
        first = self.file.position(start)
        last = self.file.position(end)
        return first.line, first.column, last.line, last.column

    def _reach(self, start: int, end: int) -> tuple[int | None, int | None]:
        """(own_line, target): the line of code the comment shares, or the code line below it."""
        starts = self.file.line_starts()
        first_line = bisect_right(starts, start)
        last_line = bisect_right(starts, max(start, end - 1)) if end > start else first_line
        if not self._only_comments(starts[first_line - 1], start):
            return first_line, None
        if not self._only_comments(end, self._line_end(last_line)):
            return last_line, None
        for line in range(last_line + 1, len(starts) + 1):
            begin, stop = starts[line - 1], self._line_end(line)
            if not self.text[begin:stop].strip():
                return None, None  # a blank line ends the comment's reach
            if not self._only_comments(begin, stop):
                return None, line
        return None, None

    def _line_end(self, line: int) -> int:
        """Offset of the end of a 1-based line, before its line break."""
        starts = self.file.line_starts()
        stop = starts[line] if line < len(starts) else len(self.text)
        while stop > starts[line - 1] and self.text[stop - 1] in "\r\n":
            stop -= 1
        return stop

    def _only_comments(self, begin: int, stop: int) -> bool:
        """Whether text[begin:stop] holds nothing but whitespace and comments."""
        pos = begin
        while True:
            pos = _SPACE.match(self.text, pos, max(pos, stop)).end()
            if pos >= stop:
                return True
            index = bisect_right(self.starts, pos) - 1
            if index < 0 or self.ends[index] <= pos:
                return False
            pos = self.ends[index]

    # --- the lexer: comment spans, skipping everything quoted ---------------------------------
    def _lex(self) -> None:
        text = self.text
        mysql = self.dialect == "mysql"
        start_re = _PRISMA_START if self.prisma else (_MYSQL_START if mysql else _SQL_START)
        pos = 0
        while True:
            match = start_re.search(text, pos)
            if match is None:
                return
            token, at = match.group(), match.start()
            if token in ("--", "//", "#"):
                eol = _EOL.search(text, at)
                pos = eol.start() if eol else len(text)
                self._comment(at, pos, block=False)
            elif token == "/*":
                pos = self._block_end(at, nested=self.dialect in (None, "postgresql"))
                self._comment(at, pos, block=True)
            elif token.startswith("$"):
                if at > 0 and (text[at - 1].isalnum() or text[at - 1] in "_$"):
                    pos = at + 1  # part of an identifier such as a$b, or a parameter
                    continue
                close = text.find(token, match.end())
                pos = len(text) if close < 0 else close + len(token)
            elif self.prisma:
                pos = _PRISMA_STRING.match(text, match.end()).end()
            else:
                escaped = mysql or (token == "'" and at > 0 and text[at - 1] in "eE" and not _word_before(text, at - 1))
                body = (_QUOTED_BACKSLASH if escaped and token != "`" else _QUOTED)[token].match(text, match.end())
                pos = body.end() if body else len(text)

    def _block_end(self, at: int, nested: bool) -> int:
        depth = 0
        for edge in _BLOCK_EDGE.finditer(self.text, at):
            if edge.group() == "/*":
                if depth == 0 or nested:
                    depth += 1
            else:
                depth -= 1
                if depth == 0:
                    return edge.end()
        return len(self.text)

    def _comment(self, start: int, end: int, block: bool) -> None:
        self.starts.append(start)
        self.ends.append(end)
        self.blocks.append(block)


def _word_before(text: str, index: int) -> bool:
    """Whether the character before `index` continues an identifier (so `e'` is not E'…')."""
    return index > 0 and (text[index - 1].isalnum() or text[index - 1] in "_$")


# --- applying -------------------------------------------------------------------------------
def apply_suppressions(
    findings: Iterable[Finding],
    suppressions: Mapping[str, FileSuppressions],
    known_ids: Collection[str],
    *,
    active: Collection[str] | None = None,
) -> tuple[list[Finding], list[Finding]]:
    """(findings no comment suppresses, E005 findings about the comments).

    `suppressions` maps a display path to its comments. `known_ids` are every rule id; with
    `active` (the ids of rules that ran), a suppression of a rule that did not run is not
    reported as unused: it may serve a stricter configuration.
    """
    files = {path: _FileState(sup, known_ids) for path, sup in suppressions.items() if sup.suppressions or sup.problems}
    if not files:
        return list(findings), []
    kept = []
    for finding in findings:
        state = files.get(finding.path)
        if state is None or not state.suppress(finding):
            kept.append(finding)
    reports: list[Finding] = []
    for state in files.values():
        reports.extend(state.report(active))
    return kept, reports


class _FileState:
    """One file's comments, indexed by the lines they reach, and which ids were used."""

    def __init__(self, file: FileSuppressions, known_ids: Collection[str]) -> None:
        self.file = file
        self.known = known_ids
        self.valid: list[frozenset[str]] = []
        self.used: list[set[str]] = []
        self.whole: list[int] = []
        self.on_line: dict[int, list[int]] = {}  # a finding's own line -> comments
        self.above: dict[int, list[int]] = {}  # an anchor line -> comments
        for index, entry in enumerate(file.suppressions):
            self.valid.append(frozenset(item for item in entry.ids if item == ALL or item in known_ids))
            self.used.append(set())
            if entry.whole_file:
                self.whole.append(index)
            elif entry.own_line is not None:
                self.on_line.setdefault(entry.own_line, []).append(index)
            elif entry.target is not None:
                self.on_line.setdefault(entry.target, []).append(index)
                self.above.setdefault(entry.target - 1, []).append(index)

    def suppress(self, finding: Finding, skip: int = -1) -> bool:
        candidates = [*self.whole, *self.on_line.get(finding.line, ())]
        for anchor in finding.anchor_lines:
            candidates.extend(self.above.get(anchor, ()))
        matched = False
        for index in dict.fromkeys(candidates):
            if index == skip:
                continue
            valid = self.valid[index]
            if finding.rule in valid:
                self.used[index].add(finding.rule)
                matched = True
            elif ALL in valid and finding.rule != UNUSED:
                self.used[index].add(ALL)
                matched = True
        return matched

    def report(self, active: Collection[str] | None) -> list[Finding]:
        path = self.file.path
        about: list[tuple[Finding, int]] = [
            (_e005(path, problem, problem.message), -1) for problem in self.file.problems
        ]
        for index, entry in enumerate(self.file.suppressions):
            for rule_id in entry.ids:
                if rule_id not in self.valid[index]:
                    about.append((_e005(path, entry, self._unknown(rule_id)), index))
            for rule_id in sorted(self.valid[index] - self.used[index] - {UNUSED}):
                if active is None or rule_id == ALL or rule_id in active:
                    about.append((_e005(path, entry, _unused(rule_id)), index))
        kept = [finding for finding, source in about if not self.suppress(finding, skip=source)]
        # Last, the E005 suppressions themselves: a stale one is reported, and nothing silences that.
        for index, entry in enumerate(self.file.suppressions):
            stale = UNUSED in self.valid[index] and UNUSED not in self.used[index]
            if stale and (active is None or UNUSED in active):
                kept.append(_e005(path, entry, _unused(UNUSED)))
        return sorted(kept, key=lambda finding: (finding.line, finding.column, finding.message))

    def _unknown(self, rule_id: str) -> str:
        examples = sorted(known for known in self.known if known.startswith(rule_id))
        if examples:
            return f"{rule_id!r} is not a rule id: a suppression names whole ids (e.g. {examples[0]})"
        return f"unknown rule id {rule_id!r} in suppression comment (see `dbvet rules`)"


def _unused(rule_id: str) -> str:
    return (
        "suppression of all rules matched no finding"
        if rule_id == ALL
        else f"suppression of {rule_id} matched no finding"
    )


def _e005(path: str, where: Suppression | Malformed, message: str) -> Finding:
    return Finding(
        rule=UNUSED,
        name=UNUSED_NAME,
        severity=Severity.INFO,
        message=message,
        path=path,
        line=where.line,
        column=where.column,
        end_line=where.end_line,
        end_column=where.end_column,
    )
