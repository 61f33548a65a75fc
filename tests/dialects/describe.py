"""Describing front-end results as plain data, for exact comparisons in tests."""

from __future__ import annotations

from typing import Any

from linter import records
from linter.findings import Span
from linter.schema import Name

_SKIPPED = ("created", "changed", "source")


def where(span: Span) -> str:
    """`line:column text` of a span (1-based, characters)."""
    position = span.file.position(span.start)
    return f"{position.line}:{position.column} {span.file.text[span.start : span.end]}"


def describe(value: Any, tag: str = "kind") -> Any:
    """Records as dicts of their non-default fields (origins left out) with the class name
    under `tag`, names as text, spans as `line:column text`."""
    if isinstance(value, Span):
        return where(value)
    if isinstance(value, Name):
        return str(value)
    if records.is_record(value):
        result: dict[str, Any] = {tag: type(value).__name__}
        for field in records.fields(value):
            if field.name in _SKIPPED:
                continue
            current = getattr(value, field.name)
            if field.default is not records.MISSING:
                default = field.default
            elif field.default_factory is not records.MISSING:
                default = field.default_factory()
            else:
                default = records.MISSING
            if default is not records.MISSING and current == default:
                continue
            result[field.name] = describe(current, tag)
        return result
    if isinstance(value, (list, tuple)):
        return [describe(item, tag) for item in value]
    return value
