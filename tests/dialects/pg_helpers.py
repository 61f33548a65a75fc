"""Helpers for the PostgreSQL front-end tests: parse text and describe results as plain data."""

from __future__ import annotations

import dataclasses
from typing import Any

from linter.dialects import ParsedPart
from linter.dialects.postgres import parse_part
from linter.findings import Span
from linter.migrations import Part
from linter.schema import Name
from linter.source import SourceFile

_SKIPPED = ("created", "changed", "source")


def parse(text: str, start: int = 0, end: int | None = None) -> tuple[ParsedPart, SourceFile]:
    file = SourceFile(path="m.sql", text=text)
    return parse_part(Part(file, start, end)), file


def where(span: Span) -> str:
    """`line:column text` of a span (1-based, characters)."""
    position = span.file.position(span.start)
    return f"{position.line}:{position.column} {span.file.text[span.start : span.end]}"


def describe(value: Any) -> Any:
    """Plain data for exact comparisons: dataclasses as dicts of their non-default fields
    (origins left out), names as text, spans as `line:column text`."""
    if isinstance(value, Span):
        return where(value)
    if isinstance(value, Name):
        return str(value)
    if dataclasses.is_dataclass(value):
        result: dict[str, Any] = {"kind": type(value).__name__}
        for field in dataclasses.fields(value):
            if field.name in _SKIPPED:
                continue
            current = getattr(value, field.name)
            if field.default is not dataclasses.MISSING:
                default = field.default
            elif field.default_factory is not dataclasses.MISSING:
                default = field.default_factory()
            else:
                default = dataclasses.MISSING
            if default is not dataclasses.MISSING and current == default:
                continue
            result[field.name] = describe(current)
        return result
    if isinstance(value, (list, tuple)):
        return [describe(item) for item in value]
    return value


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
