"""Helpers for the PostgreSQL front-end tests: parse text and describe results as plain data."""

from __future__ import annotations

from typing import Any

from describe import describe, where  # noqa: F401 (re-exported to the tests)

from linter.dialects import ParsedPart
from linter.dialects.postgres import parse_part
from linter.migrations import Part
from linter.source import SourceFile


def parse(text: str, start: int = 0, end: int | None = None) -> tuple[ParsedPart, SourceFile]:
    file = SourceFile(path="m.sql", text=text)
    return parse_part(Part(file, start, end)), file


def actions(text: str) -> list[Any]:
    """Every action of every statement, described; the text must parse."""
    parsed, _ = parse(text)
    assert parsed.errors == []
    return [describe(action) for statement in parsed.statements for action in statement.actions]


def statements(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, str]]:
    parsed, _ = parse(text, start, end)
    return [(statement.kind, where(statement.span)) for statement in parsed.statements]


def errors(text: str, start: int = 0, end: int | None = None) -> list[tuple[str, str]]:
    parsed, _ = parse(text, start, end)
    return [(where(problem.span), problem.message) for problem in parsed.errors]
