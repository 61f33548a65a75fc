"""What the PostgreSQL translators share: where a statement sits in its file, and names."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from linter.dialects import pg_scan
from linter.findings import Span
from linter.records import Record
from linter.schema import Name
from linter.source import ByteOffsets, SourceFile


class StmtSource(Record):
    """One statement's place in its file.

    pglast locates nodes by UTF-8 byte offsets into the text it parsed (a Part, or one
    statement of it after a syntax error); `at` turns them into file-level character offsets.
    """

    file: SourceFile
    base: int  # file offset of the parsed text's first character
    offsets: ByteOffsets  # for the parsed text
    start: int  # the statement's first token
    end: int  # the end of its last token (no `;`)
    statement: Span  # [start, end): one frozen Span that every action spanning the statement shares

    @property
    def text(self) -> str:
        return self.file.text

    def at(self, location: int | None) -> int:
        """The file offset of a node location; the statement start when it has none."""
        if location is None or location < 0:
            return self.start
        offset = self.base + self.offsets.to_char(location)
        if offset < self.start:
            return self.start
        return offset if offset < self.end else self.end

    def span(self, start: int, end: int) -> Span:
        return Span(self.file, start, max(start, end))

    def whole(self) -> Span:
        return self.statement

    def trimmed(self, start: int, end: int) -> Span:
        """The span of a range without surrounding whitespace and comments."""
        text = self.file.text
        start = pg_scan.skip_trivia(text, start, end)
        return Span(self.file, start, max(start, pg_scan.trim_end(text, start, end)))

    def text_of(self, start: int, end: int) -> str:
        """The exact text of a range, without surrounding whitespace and comments."""
        first, last = pg_scan.strip_range(self.file.text, start, end)
        return self.file.text[first:last]

    def source(self, start: int, end: int) -> Callable[[], str]:
        """A thunk giving the text of a range, for expressions the printer cannot render."""
        return lambda: self.text_of(start, end)


def range_name(range_var: dict[str, Any]) -> Name:
    """A `RangeVar` as a Name (catalog parts dropped)."""
    return Name(range_var.get("relname", ""), range_var.get("schemaname"))


def strings(items: Any) -> list[str]:
    """The values of a list of `String` nodes."""
    return [item["String"]["sval"] for item in items or () if "String" in item]


def list_name(items: list[str]) -> Name:
    """`[schema, name]` or `[name]` (or `[catalog, schema, name]`) as a Name."""
    if not items:
        return Name("")
    return Name(items[-1], items[-2] if len(items) >= 2 else None)


def object_name(obj: dict[str, Any]) -> Name:
    """The Name of a DROP / COMMENT object node: a List of Strings, a String or a TypeName."""
    if "List" in obj:
        return list_name(strings(obj["List"].get("items")))
    if "String" in obj:
        return Name(obj["String"]["sval"])
    if "TypeName" in obj:
        return list_name(strings(obj["TypeName"].get("names")))
    if "ObjectWithArgs" in obj:
        return list_name(strings(obj["ObjectWithArgs"].get("objname")))
    if "RangeVar" in obj:
        return range_name(obj["RangeVar"])
    return Name("")
