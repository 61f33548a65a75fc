"""Dialect front-ends: from SQL text to `Statement`s with exact spans and neutral actions.

Each front-end exposes `parse_part(part: Part) -> ParsedPart` (the sqlglot one also takes
the dialect). A syntax error never raises: it becomes a `SyntaxProblem`, and the statements
that do parse are still returned so the rest of the file can be replayed.
"""

from __future__ import annotations

from linter.actions import Statement
from linter.findings import Span
from linter.migrations import Part
from linter.records import Record, field


class SyntaxProblem(Record, frozen=True):
    span: Span  # where the parser stopped (a zero- or one-character span)
    message: str  # the parser's own message, one line


class ParsedPart(Record):
    statements: list[Statement] = field(default_factory=list)
    errors: list[SyntaxProblem] = field(default_factory=list)


def parse_part(part: Part, dialect: str) -> ParsedPart:
    """Parse SQL in the given dialect."""
    if dialect == "postgresql":
        from linter.dialects.postgres import parse_part as parse_pg

        return parse_pg(part)
    from linter.dialects.sqlglot_front import parse_part as parse_other

    return parse_other(part, dialect)
