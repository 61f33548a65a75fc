"""Cutting MySQL and SQLite text into statements, as their clients and servers do.

Two layers. The MySQL command-line client's `DELIMITER //` directive is not SQL: the client
reads it and then cuts the text at `//` instead of `;`. `client_chunks` replays that (it
runs only when the word "delimiter" occurs at all). Within each chunk, statements end at
`;` tokens from sqlglot's tokenizer, except inside the BEGIN … END body of a stored
routine or trigger: the server parses such a body as part of one statement, and files
run through a driver (authelia) or by SQLite (triggers) rely on that.
"""

from __future__ import annotations

import re

from sqlglot.errors import TokenError
from sqlglot.tokens import Token, Tokenizer, TokenType

from linter.dialects.sg_cursor import word_of
from linter.records import Record

_DIRECTIVE = re.compile(r"[ \t]*delimiter[ \t]+(\S+)[^\r\n]*", re.IGNORECASE)
_HAS_DIRECTIVE = re.compile(r"^[ \t]*delimiter[ \t]", re.IGNORECASE | re.MULTILINE)

# Words after CREATE that make a statement a routine whose body may hold `;`.
_ROUTINES = frozenset({"FUNCTION", "PROCEDURE", "TRIGGER", "EVENT", "PACKAGE"})
_NOT_ROUTINES = frozenset({"TABLE", "INDEX", "VIEW", "DATABASE", "SCHEMA", "USER", "ROLE", "SEQUENCE", "SERVER"})
# `END IF`, `END LOOP`, … close blocks we do not count; a plain END (or END CASE) closes
# a BEGIN or a CASE.
_UNCOUNTED_ENDS = frozenset({"IF", "LOOP", "WHILE", "REPEAT", "FOR"})


class Chunk(Record, frozen=True):
    start: int  # offsets into the part's text
    end: int
    delimiter: str  # ";" for ordinary text; the custom delimiter that ended this piece otherwise


class RawStatement(Record):
    tokens: list[Token]  # offsets relative to `text`
    text: str  # the chunk's text
    base: int  # offset of `text` within the part's text


class TokenProblem(Record, frozen=True):
    offset: int  # within the part's text
    message: str


def client_chunks(text: str, mysql: bool) -> list[Chunk]:
    """The pieces the MySQL client would send, honouring DELIMITER directives."""
    if not mysql or _HAS_DIRECTIVE.search(text) is None:
        return [Chunk(0, len(text), ";")]
    chunks: list[Chunk] = []
    delimiter = ";"
    chunk_start = 0
    i = 0
    n = len(text)
    line_start = True
    blank = True  # only whitespace and comments since the last statement ended
    while i < n:
        if line_start and blank:
            directive = _DIRECTIVE.match(text, i)
            if directive is not None:
                if text[chunk_start:i].strip():
                    chunks.append(Chunk(chunk_start, i, delimiter))
                delimiter = directive.group(1)
                i = chunk_start = directive.end()
                line_start = False
                continue
        char = text[i]
        if char in "\r\n":
            line_start = True
            i += 1
            continue
        line_start = False
        if char in "'\"`":
            i = _skip_quoted(text, i, char)
            blank = False
        elif char == "#" or (text.startswith("--", i) and (i + 2 >= n or text[i + 2] in " \t\r\n")):
            while i < n and text[i] not in "\r\n":
                i += 1
        elif text.startswith("/*", i):
            close = text.find("*/", i + 2)
            i = n if close < 0 else close + 2
        elif text.startswith(delimiter, i):
            if delimiter != ";":
                chunks.append(Chunk(chunk_start, i, delimiter))
                chunk_start = i + len(delimiter)
            i += len(delimiter)
            blank = True
        else:
            if not char.isspace():
                blank = False
            i += 1
    if text[chunk_start:].strip():
        chunks.append(Chunk(chunk_start, n, delimiter))
    return chunks


def _skip_quoted(text: str, i: int, quote: str) -> int:
    j = i + 1
    n = len(text)
    while j < n:
        char = text[j]
        if char == "\\" and quote != "`":
            j += 2
            continue
        if char == quote:
            if j + 1 < n and text[j + 1] == quote:
                j += 2
                continue
            return j + 1
        j += 1
    return n


def split_chunk(part_text: str, chunk: Chunk, tokenizer: Tokenizer) -> tuple[list[RawStatement], TokenProblem | None]:
    """Tokenize one chunk and cut it into statements."""
    text = part_text[chunk.start : chunk.end]
    problem = None
    try:
        tokens = tokenizer.tokenize(text)
    except TokenError as exc:
        # Keep what was read before the bad token: the statements before it still count.
        tokens = list(tokenizer.tokens)
        failed_at = getattr(getattr(tokenizer, "_core", None), "_start", None)
        if not isinstance(failed_at, int):
            failed_at = tokens[-1].end + 1 if tokens else 0
        problem = TokenProblem(chunk.start + failed_at, _token_message(text, failed_at, exc))
    groups = _split_tokens(tokens, whole=chunk.delimiter != ";")
    if problem is not None and groups and groups[-1][1] is False:
        groups.pop()  # the statement the bad token belongs to
    return [RawStatement(group, text, chunk.start) for group, _ in groups], problem


def _token_message(text: str, offset: int, exc: TokenError) -> str:
    if text.startswith("/*", offset):
        return "unterminated /* comment"
    if offset < len(text) and text[offset] in "'\"`":
        return f"unterminated quoted text starting with {text[offset]}"
    if offset + 1 < len(text) and text[offset + 1] == "'":
        return "unterminated quoted text"
    cause = exc.__cause__
    return f"cannot read this token ({cause})" if cause else "cannot read this token"


def _split_tokens(tokens: list[Token], whole: bool) -> list[tuple[list[Token], bool]]:
    """Groups of tokens, one per statement, each with whether a `;` closed it."""
    groups: list[tuple[list[Token], bool]] = []
    n = len(tokens)
    i = 0
    while i < n:
        if tokens[i].token_type == TokenType.SEMICOLON:
            i += 1
            continue
        routine = _is_routine(tokens, i)
        if routine and whole:
            # A piece cut by a custom delimiter is sent whole: the routine is all of it.
            end = n
            while end > i and tokens[end - 1].token_type == TokenType.SEMICOLON:
                end -= 1
            groups.append((tokens[i:end], end < n))
            break
        depth = 0
        j = i
        closed = False
        while j < n:
            token = tokens[j]
            if token.token_type == TokenType.SEMICOLON and depth == 0:
                closed = True
                break
            if routine:
                word = word_of(token)
                if word == "BEGIN" or word == "CASE":
                    depth += 1
                elif word == "END" and depth > 0:
                    following = word_of(tokens[j + 1]) if j + 1 < n else None
                    if following not in _UNCOUNTED_ENDS:
                        depth -= 1
            j += 1
        groups.append((tokens[i:j], closed))
        i = j + 1
    return groups


def _is_routine(tokens: list[Token], i: int) -> bool:
    if word_of(tokens[i]) != "CREATE":
        return False
    for j in range(i + 1, min(i + 16, len(tokens))):
        token = tokens[j]
        word = word_of(token)
        if word in _ROUTINES:
            return True
        if word in _NOT_ROUTINES or token.token_type in (TokenType.L_PAREN, TokenType.SEMICOLON):
            return False
    return False
