"""A cursor over a Prisma file's tokens: positions, errors, and the expressions and
attributes every kind of line shares (`@db.VarChar(255)`, `@@index([a(sort: Desc)], map: "x")`,
`env("URL")`, `["a", "b"]`)."""

from __future__ import annotations

from typing import NoReturn

from linter.dialects import SyntaxProblem
from linter.findings import Span
from linter.prisma.ast import (
    Argument,
    ArrayValue,
    Attribute,
    ConstantValue,
    FunctionValue,
    NumberValue,
    PrismaDocument,
    StringValue,
    Value,
)
from linter.prisma.lexer import (
    BAD,
    BLOCK_COMMENT,
    COMMENT_KINDS,
    DOC_COMMENT,
    EOF,
    IDENT,
    NEWLINE,
    NUMBER,
    STRING,
    Tokens,
)
from linter.source import SourceFile

LINE_END = frozenset({NEWLINE, EOF})
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


class Abort(Exception):
    """The current line cannot be parsed further; its error is already recorded."""


class TokenCursor:
    """Reads one file's tokens; `i` is the index of the next token to consume."""

    def __init__(self, file: SourceFile, document: PrismaDocument) -> None:
        self.file = file
        self.document = document
        tokens = Tokens(file.text)
        self.text = file.text
        self.kinds = tokens.kinds
        self.starts = tokens.starts
        self.ends = tokens.ends
        self.i = 0

    # --- helpers --------------------------------------------------------------------------
    def span(self, start: int, end: int) -> Span:
        return Span(self.file, start, end)

    def token_text(self, index: int) -> str:
        return self.text[self.starts[index] : self.ends[index]]

    def token_span(self, index: int) -> Span:
        return Span(self.file, self.starts[index], self.ends[index])

    def error(self, index: int, message: str) -> None:
        start = self.starts[index]
        end = min(self.ends[index], start + 1)
        self.document.errors.append(SyntaxProblem(Span(self.file, start, end), message))

    def fail(self, index: int, message: str) -> NoReturn:
        self.error(index, message)
        raise Abort

    def describe(self, index: int) -> str:
        kind = self.kinds[index]
        if kind == EOF:
            return "the end of the file"
        if kind == NEWLINE:
            return "the end of the line"
        if kind in COMMENT_KINDS:
            return "a comment"
        if kind == STRING:
            return "a string"
        text = self.token_text(index)
        if kind == BAD:
            if text.startswith('"'):
                problem = self.bad_string(index)
                return ("an " if problem.startswith("unterminated") else "a ") + problem
            if text == "/*":
                return "a comment `/*` that is never closed with `*/`"
            return f"character `{text}`" if text.isprintable() else f"character U+{ord(text):04X}"
        return f"`{text if len(text) <= 40 else text[:40] + '…'}`"

    def bad_string(self, index: int) -> str:
        """What is wrong with a string token the lexer could not close."""
        if self.text.startswith('"', self.ends[index]):
            return "string holding a raw control character such as a tab (write it as an escape, e.g. `\\t`)"
        return 'unterminated string (a string must end with `"` on the same line)'

    def fail_expected(self, index: int, what: str, context: str = "") -> NoReturn:
        kind = self.kinds[index]
        if kind == NEWLINE and context == "arguments":
            self.fail(index, f"expected {what} before the end of the line (an attribute must be written on one line)")
        self.fail(index, f"expected {what}, found {self.describe(index)}")

    def skip_rest_of_line(self) -> None:
        kinds = self.kinds
        while kinds[self.i] not in LINE_END:
            self.i += 1
        if kinds[self.i] == NEWLINE:
            self.i += 1

    def doc_text(self, index: int) -> str | None:
        kind = self.kinds[index]
        if kind == DOC_COMMENT:
            return self.text[self.starts[index] + 3 : self.ends[index]].lstrip()
        if kind == BLOCK_COMMENT:
            return self.text[self.starts[index] + 2 : self.ends[index] - 2].strip()
        return None

    def end_of_line(self, what: str) -> str | None:
        """Accept a trailing comment and the line break; return a trailing doc comment."""
        doc = None
        if self.kinds[self.i] in COMMENT_KINDS:
            doc = self.doc_text(self.i)
            self.i += 1
        kind = self.kinds[self.i]
        if kind == NEWLINE:
            self.i += 1
        elif kind == "}":
            # Prisma wants the closing brace on a line of its own; close the block anyway.
            self.error(self.i, f"expected a line break between {what} and `}}`")
        elif kind != EOF:
            self.fail(self.i, f"unexpected {self.describe(self.i)} after {what}; expected the end of the line")
        return doc

    # --- attributes and expressions -------------------------------------------------------
    def path(self) -> str:
        """An identifier, possibly dotted (`db.VarChar`); the parts touch each other."""
        kinds, starts, ends = self.kinds, self.starts, self.ends
        parts = [self.token_text(self.i)]
        self.i += 1
        while kinds[self.i] == "." and starts[self.i] == ends[self.i - 1]:
            self.i += 1
            if kinds[self.i] == IDENT and starts[self.i] == ends[self.i - 1]:
                parts.append(self.token_text(self.i))
                self.i += 1
            else:
                parts.append("")
                break
        return ".".join(parts)

    def attribute(self, parent: object, block_level: bool) -> Attribute:
        at_index = self.i
        self.i += 1
        if self.kinds[self.i] != IDENT:
            sign = "@@" if block_level else "@"
            self.fail(self.i, f"expected an attribute name after `{sign}`, found {self.describe(self.i)}")
        name_start = self.starts[self.i]
        name = self.path()
        name_span = self.span(name_start, self.ends[self.i - 1])
        arguments: list[Argument] = []
        if self.kinds[self.i] == "(":
            arguments = self.arguments()
        return Attribute(
            name=name,
            block=block_level,
            arguments=arguments,
            span=self.span(self.starts[at_index], self.ends[self.i - 1]),
            name_span=name_span,
            parent=parent,
        )

    def arguments(self) -> list[Argument]:
        kinds = self.kinds
        self.i += 1  # (
        arguments: list[Argument] = []
        while True:
            if kinds[self.i] == ")":
                self.i += 1
                return arguments
            arguments.append(self.argument())
            kind = kinds[self.i]
            if kind == ",":
                self.i += 1
            elif kind == ")":
                self.i += 1
                return arguments
            else:
                self.fail_expected(self.i, "`,` or `)`", "arguments")

    def argument(self) -> Argument:
        kinds = self.kinds
        start_index = self.i
        if kinds[start_index] == IDENT and kinds[start_index + 1] == ":":
            name = self.token_text(start_index)
            name_span = self.token_span(start_index)
            self.i += 2
            if kinds[self.i] in (",", ")"):
                self.error(start_index, f"argument `{name}:` has no value")
                return Argument(name, None, self.span(self.starts[start_index], self.ends[self.i - 1]), name_span)
            value = self.expression(in_arguments=True)
            return Argument(name, value, self.span(self.starts[start_index], self.ends[self.i - 1]), name_span)
        value = self.expression(in_arguments=True)
        return Argument(None, value, value.span)

    def expression(self, in_arguments: bool = False) -> Value:
        kinds = self.kinds
        index = self.i
        kind = kinds[index]
        if kind == STRING:
            self.i += 1
            return self.string_value(index)
        if kind == NUMBER:
            self.i += 1
            return NumberValue(self.token_text(index), self.token_span(index))
        if kind == IDENT:
            name = self.path()
            if kinds[self.i] == "(":
                arguments = self.arguments()
                return FunctionValue(name, arguments, self.span(self.starts[index], self.ends[self.i - 1]))
            return ConstantValue(name, self.span(self.starts[index], self.ends[self.i - 1]))
        if kind == "[":
            self.i += 1
            items: list[Value] = []
            if kinds[self.i] == "]":
                self.i += 1
            else:
                while True:
                    items.append(self.expression(in_arguments))
                    if kinds[self.i] == ",":
                        self.i += 1
                    elif kinds[self.i] == "]":
                        self.i += 1
                        break
                    else:
                        self.fail_expected(self.i, "`,` or `]`", "arguments" if in_arguments else "")
            return ArrayValue(items, self.span(self.starts[index], self.ends[self.i - 1]))
        self.fail_expected(index, "a value", "arguments" if in_arguments else "")

    def string_value(self, index: int) -> StringValue:
        """Decode a string literal's JSON-style escapes, reporting unknown ones as Prisma does."""
        start = self.starts[index]
        raw = self.text[start + 1 : self.ends[index] - 1]
        span = self.token_span(index)
        if "\\" not in raw:
            return StringValue(raw, span)
        out: list[str] = []
        position = 0
        length = len(raw)
        while position < length:
            char = raw[position]
            if char != "\\":
                out.append(char)
                position += 1
                continue
            escaped = raw[position + 1] if position + 1 < length else ""
            if escaped in _ESCAPES:
                out.append(_ESCAPES[escaped])
                position += 2
            elif escaped == "u":
                consumed, decoded = _unicode_escape(raw, position)
                if decoded is None:
                    self.document.errors.append(
                        SyntaxProblem(
                            self.span(start + 1 + position, start + 2 + position), "invalid unicode escape sequence"
                        )
                    )
                else:
                    out.append(decoded)
                position += max(consumed, 2)
            else:
                self.document.errors.append(
                    SyntaxProblem(
                        self.span(start + 1 + position, start + 2 + position),
                        "unknown escape sequence; write a backslash as `\\\\` (for example in a Windows path)",
                    )
                )
                position += 2
        return StringValue("".join(out), span)


def _hex4(text: str, position: int) -> int | None:
    digits = text[position : position + 4]
    if len(digits) != 4 or any(c not in "0123456789abcdefABCDEF" for c in digits):
        return None
    return int(digits, 16)


def _unicode_escape(raw: str, position: int) -> tuple[int, str | None]:
    """Decode `\\uXXXX` (or a UTF-16 surrogate pair of two) at `position`: (length, char)."""
    first = _hex4(raw, position + 2)
    if first is None:
        return 2, None
    if not 0xD800 <= first <= 0xDFFF:
        return 6, chr(first)
    if raw.startswith("\\u", position + 6):
        second = _hex4(raw, position + 8)
        if second is not None and 0xD800 <= first <= 0xDBFF and 0xDC00 <= second <= 0xDFFF:
            return 12, chr(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
    return 6, None
