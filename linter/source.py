"""Reading files safely and turning offsets into the positions an editor shows.

Every position dbvet reports counts characters (code points), 1-based, with `\\r\\n`, `\\r`
and `\\n` each ending one line, and a leading UTF-8 BOM not counted. Parsers hand back
offsets (pglast: UTF-8 byte offsets; sqlglot and our Prisma parser: character offsets); a
`SourceFile` converts them only when a finding needs a position.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from pathlib import Path

from linter.records import Record, field

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class Position(Record, frozen=True):
    line: int
    column: int


class SourceFile(Record, eq=False):
    """A file's text (BOM removed) and the means to locate offsets in it."""

    path: str  # as reported: relative to the working directory where possible, with '/'
    text: str
    where: str | None = None  # the path it was read from (see `abspath`)
    bom: bool = False  # the file began with a UTF-8 BOM (kept when --fix writes it back)
    _line_starts: list[int] | None = field(default=None, repr=False)

    @property
    def abspath(self) -> Path | None:
        """Where --fix writes the file back. Kept as a string until asked for: discovery reads
        thousands of files, and pathlib's parsing of each path would cost a third of reading it."""
        return None if self.where is None else Path(self.where)

    def line_starts(self) -> list[int]:
        if self._line_starts is None:
            starts = [0]
            starts.extend(m.end() for m in _LINE_BREAK.finditer(self.text))
            self._line_starts = starts
        return self._line_starts

    def position(self, offset: int) -> Position:
        """Line and column (1-based, in characters) of a character offset."""
        offset = max(0, min(offset, len(self.text)))
        starts = self.line_starts()
        index = bisect_right(starts, offset) - 1
        return Position(index + 1, offset - starts[index] + 1)

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its line break."""
        starts = self.line_starts()
        if not 1 <= line <= len(starts):
            return ""
        start = starts[line - 1]
        end = starts[line] if line < len(starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def offset_of(self, line: int, column: int) -> int:
        """The character offset of a 1-based line and column."""
        starts = self.line_starts()
        line = max(1, min(line, len(starts)))
        return min(starts[line - 1] + max(column, 1) - 1, len(self.text))


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


class ByteOffsets:
    """Converts UTF-8 byte offsets into a text to character offsets.

    pglast reports byte offsets. For ASCII text the two agree, which is the common case and
    costs nothing; otherwise a sorted table of the multi-byte characters is searched.
    """

    __slots__ = ("_ends", "_extra")

    def __init__(self, text: str) -> None:
        self._ends: list[int] = []
        self._extra: list[int] = []
        if text.isascii():
            return
        extra = 0  # bytes beyond one per character so far
        for match in _NON_ASCII.finditer(text):  # a regex visits only the multi-byte characters
            code = ord(match.group())
            extra += 1 if code < 0x800 else 2 if code < 0x10000 else 3  # UTF-8 width - 1 (surrogates: 3 bytes)
            self._ends.append(match.end() + extra)  # the byte offset just after this character
            self._extra.append(extra)

    def to_char(self, byte_offset: int) -> int:
        if not self._ends:
            return byte_offset
        index = bisect_right(self._ends, byte_offset) - 1
        return byte_offset - (self._extra[index] if index >= 0 else 0)


class ReadProblem(Record, frozen=True):
    """Why a file could not be read as text; becomes an E003 finding."""

    path: str
    message: str


def display_path(path: Path, cwd: Path | None = None) -> str:
    """The path as findings show it: relative to the working directory when inside it."""
    cwd = cwd or Path.cwd()
    try:
        rel = os.path.relpath(path, cwd)
    except ValueError:  # another drive on Windows
        rel = str(path)
    if rel.startswith(".." + os.sep) and path.is_absolute():
        rel = str(path)
    return rel.replace(os.sep, "/")


def decode(data: bytes, path: str) -> SourceFile | ReadProblem:
    """Decode file bytes as UTF-8 (with or without BOM), refusing binary data."""
    bom = data.startswith(b"\xef\xbb\xbf")
    if bom:
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return ReadProblem(path, "UTF-16 text; dbvet reads UTF-8 only (re-save the file as UTF-8)")
    if b"\x00" in data:
        return ReadProblem(path, "binary file (contains NUL bytes); expected UTF-8 text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return ReadProblem(
            path, f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); re-save the file as UTF-8"
        )
    return SourceFile(path=path, text=text, bom=bom)


# Texts that stand in for files on disk, by the path they are read from: `--fix` and `--diff`
# lint their own edits again before anything is written (`linter.fix.settle`).
STAND_INS: dict[str, SourceFile] = {}


def read_source(
    path: str | os.PathLike[str], shown: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> SourceFile | ReadProblem:
    """Read a file as text, or say in one line why it cannot be read."""
    where = os.fspath(path)
    shown = shown or display_path(Path(where))
    if STAND_INS and where in STAND_INS:
        stand_in = STAND_INS[where]
        return SourceFile(path=shown, text=stand_in.text, where=where, bom=stand_in.bom)
    try:
        size = os.stat(where).st_size
        if size > max_bytes:
            return ReadProblem(shown, f"file is {size:,} bytes, over the {max_bytes:,}-byte limit (option max-file-size)")
        data = _read_bytes(where, max_bytes + 1)
    except IsADirectoryError:
        return ReadProblem(shown, "is a directory, not a file")
    except OSError as exc:
        return ReadProblem(shown, f"cannot read file: {exc.strerror or exc}")
    if len(data) > max_bytes:
        return ReadProblem(shown, f"file is over the {max_bytes:,}-byte limit (option max-file-size)")
    result = decode(data, shown)
    if isinstance(result, SourceFile):
        result.where = where
    return result


# The most one `os.read` asks for: it allocates what it is asked for, and `limit` comes from
# max-file-size, which may be set far beyond any file (or beyond what a read may ask).
_READ_CHUNK = 1 << 20


def _read_bytes(where: str, limit: int) -> bytes:
    """Up to `limit` bytes of a file: what `open(where, "rb").read(limit)` returns, without the
    buffered file object, whose set-up costs as much as the read itself for a small file. A
    directory fails at the first read (IsADirectoryError), as it does there."""
    descriptor = os.open(where, os.O_RDONLY | getattr(os, "O_BINARY", 0))  # Windows: no newline translation
    try:
        chunks = []
        while limit > 0:  # a pipe may hand over less than asked for before its end
            chunk = os.read(descriptor, min(limit, _READ_CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            limit -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)
