"""Findings, their severities, and where they point."""

from __future__ import annotations

import enum

from linter.records import Record, field
from linter.source import SourceFile


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, value: str) -> "Severity":
        try:
            return cls[value.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {value!r} (expected error, warning or info)") from None

    def __str__(self) -> str:
        return self.name.lower()


class Span(Record, frozen=True):
    """A stretch of a source file, as character offsets into its text (BOM removed)."""

    file: SourceFile
    start: int
    end: int

    @property
    def path(self) -> str:
        return self.file.path

    def shifted(self, start: int, end: int | None = None) -> "Span":
        return Span(self.file, start, self.end if end is None else end)


class Edit(Record, frozen=True):
    """Replace the text between two character offsets of a file (a mechanical fix)."""

    path: str
    start: int
    end: int
    replacement: str


class Finding(Record, frozen=True):
    rule: str
    name: str
    severity: Severity
    message: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    lock: str | None = None
    fix: str | None = None
    edits: tuple[Edit, ...] = field(default=(), compare=False)
    # Lines an inline suppression comment may sit on (the finding's line, the statement's first
    # line, and the lines just above each); filled in by the engine.
    anchor_lines: tuple[int, ...] = field(default=(), compare=False, repr=False)
    # Character offsets (start, end) of the statement a statement rule judged: baseline
    # fingerprints hash its text, which survives lines moving. None for other findings.
    statement: tuple[int, int] | None = field(default=None, compare=False, repr=False)

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.rule, self.message)

    def to_json(self) -> dict:
        return {
            "rule": self.rule,
            "name": self.name,
            "severity": str(self.severity),
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "lock": self.lock,
            "fix": self.fix,
            "docs": f"dbvet explain {self.rule}",
        }


def locate(span: Span) -> tuple[int, int, int, int]:
    """1-based (line, column, end_line, end_column) of a span; the end column is exclusive,
    as in SARIF and LSP: it is the column just after the span's last character."""
    start = span.file.position(span.start)
    end = start if span.end <= span.start else span.file.position(span.end)  # an empty span ends where it starts
    return start.line, start.column, end.line, end.column


class RunResult(Record):
    """What a run hands to the reporters."""

    findings: list[Finding]  # after suppression, sorted by Finding.sort_key
    files: int  # files read (SQL, Prisma, lock and application files)
    sources: dict[str, SourceFile] = field(default_factory=dict)  # display path -> text, for excerpts
    # Display paths of the files reported on: a baseline entry for another file was not looked
    # at, so it is not "fixed" (pre-commit passes a few files at a time).
    checked: frozenset[str] = frozenset()
    # With --base: display paths of the files the change added, modified, renamed (new name) or
    # deleted; None without a base (the GitHub mode reports only findings in changed files).
    changed: frozenset[str] | None = None

    def by_severity(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "info": 0}
        for finding in self.findings:
            counts[str(finding.severity)] += 1
        return counts
