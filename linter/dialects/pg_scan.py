"""A small PostgreSQL lexical scanner over file text, for the places pglast gives no location.

pglast's JSON locates most nodes but not where a statement's first token is (comments may
precede it), where a column definition or an ALTER TABLE sub-command ends, or where an
expression starts (an `A_Expr` points at its operator). These helpers answer such questions
by scanning the text between known offsets, skipping what PostgreSQL's lexer skips:
whitespace, `--` and nested `/* */` comments, '…' / E'…' strings, "…" identifiers and
$tag$…$tag$ bodies. All offsets are character offsets into the same text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

# Whitespace as PostgreSQL's lexer defines it (not Unicode spaces), and `--` comments: what
# `skip_trivia` passes over in one match (`/* */` comments nest, so they are counted instead).
_SPACE_AND_LINE_COMMENTS = re.compile(r"(?:[ \t\n\r\f\v]+|--[^\r\n]*[\r\n])*")
_TRIVIA_START = frozenset(" \t\n\r\f\v-/")

# Every token, for the few places that need words too (keywords, names, the last token).
_TOKEN = re.compile(
    r"""(?P<w>[^\W\d]\w*(?:\$\w*)*)
    |(?P<s>(?<![\w$])[eE]'[^'\\]*(?:(?:\\.|'')[^'\\]*)*'|'[^']*(?:''[^']*)*'|"[^"]*(?:""[^"]*)*")
    |(?P<c>--[^\r\n]*)
    |(?P<b>/\*)
    |(?P<d>(?<![\w$])\$(?:[^\W\d]\w*)?\$)
    |(?P<p>[,()\[\];])
    |(?P<o>(?:[^\sA-Za-z_0-9,()\[\];'"$/-]|/(?!\*)|-(?!-))+|\$\d+|\d[\w.]*)""",
    re.VERBOSE | re.DOTALL,
)

_NEWLINE = re.compile(r"[\r\n]")

_OPEN = "(["
_CLOSE = ")]"


def comment_end(text: str, start: int, end: int) -> int:
    """End of the nested `/* … */` comment starting at `start` (or `end` if unterminated)."""
    depth = 0
    pos = start
    while pos < end:
        opening = text.find("/*", pos, end)
        closing = text.find("*/", pos, end)
        if closing < 0:
            return end
        if 0 <= opening < closing:
            depth += 1
            pos = opening + 2
        else:
            depth -= 1
            pos = closing + 2
            if depth == 0:
                return pos
    return end


def _dollar_end(text: str, tag: str, after: int, end: int) -> int:
    close = text.find(tag, after, end)
    return end if close < 0 else close + len(tag)


def skip_trivia(text: str, pos: int, end: int) -> int:
    """The offset of the first token at or after `pos`: whitespace and comments skipped."""
    if 0 <= pos < end and pos < len(text) and text[pos] not in _TRIVIA_START:
        return pos  # the common case: `pos` is a token already
    while pos < end:
        pos = _SPACE_AND_LINE_COMMENTS.match(text, pos, end).end()
        if pos < end and text.startswith("/*", pos):
            pos = comment_end(text, pos, end)
        elif pos < end and text.startswith("--", pos):
            pos = end  # a `--` comment that runs to the end of the range
        else:
            break
    return min(pos, end)


def tokens(text: str, start: int, end: int) -> Iterator[tuple[str, int, int]]:
    """(kind, start, end) of each token: kind is "w" word, "s" string or quoted name, "d" dollar
    body, "p" punctuation, "o" operator or number. Comments are skipped."""
    pos = start
    search = _TOKEN.search
    while pos < end:
        match = search(text, pos, end)
        if match is None:
            return
        kind = match.lastgroup
        if kind == "c":
            pos = match.end()
            continue
        if kind == "b":
            pos = comment_end(text, match.start(), end)
            continue
        if kind == "d":
            stop = _dollar_end(text, match.group(), match.end(), end)
            yield "d", match.start(), stop
            pos = stop
            continue
        yield kind, match.start(), match.end()  # type: ignore[misc]
        pos = match.end()


def trim_end(text: str, start: int, end: int) -> int:
    """`end` moved back over trailing whitespace and comments."""
    while end > start and text[end - 1] in " \t\n\r\f\v":
        end -= 1
    if start >= 0 and text.find("--", start, end) < 0 and not text.startswith("*/", end - 2):
        return end  # the common case: no comment at all
    line = max(text.rfind("\n", start, end), text.rfind("\r", start, end)) + 1
    if not text.startswith("*/", end - 2) and text.find("--", max(line, start), end) < 0:
        return end  # nothing that may be a comment at the end
    last = start
    for _, _, token_end in tokens(text, start, end):
        last = token_end
    return last


# What `structure` passes over in one match: ordinary characters, "quoted names", plain
# 'strings' (not E'…', whose escapes need the character before), and a `-` or `/` that does
# not start a comment.
_PLAIN_RUN = re.compile(
    r"""(?:[^,()\[\];'"$\\/-]+|"[^"]*(?:""[^"]*)*"|(?<![eE])'[^']*(?:''[^']*)*'|-(?!-)|/(?!\*))+"""
)
_STRING = re.compile(r"'[^']*(?:''[^']*)*'")
_ESCAPE_STRING = re.compile(r"'[^'\\]*(?:(?:\\.|'')[^'\\]*)*'", re.DOTALL)
_QUOTED_NAME = re.compile(r'"[^"]*(?:""[^"]*)*"')
_DOLLAR_TAG = re.compile(r"\$(?:[^\W\d]\w*)?\$")
_PUNCTUATION = frozenset(",()[];\\")


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_" or char == "$"


def structure(text: str, start: int, end: int) -> Iterator[tuple[str, int]]:
    """Each `, ( ) [ ] ;` and psql backslash outside strings and comments, with its offset.

    Runs of ordinary characters, names and strings are skipped by one regular-expression
    match; only the characters that may start something else are looked at one by one."""
    pos = start
    plain = _PLAIN_RUN.match
    while pos < end:
        char = text[pos]
        if char in _PUNCTUATION:
            yield char, pos
            pos += 1
            continue
        run = plain(text, pos, end)
        if run is not None:
            pos = run.end()
        elif char == "'":
            escapes = pos > start and text[pos - 1] in "eE" and not (pos - 2 >= start and _word_char(text[pos - 2]))
            body = (_ESCAPE_STRING if escapes else _STRING).match(text, pos, end)
            pos = body.end() if body is not None else end
        elif char == '"':
            body = _QUOTED_NAME.match(text, pos, end)
            pos = body.end() if body is not None else end
        elif char == "-":
            if text.startswith("--", pos) and pos + 1 < end:
                newline = _NEWLINE.search(text, pos, end)
                pos = end if newline is None else newline.start()
            else:
                pos += 1
        elif char == "/":
            pos = comment_end(text, pos, end) if text.startswith("/*", pos) and pos + 1 < end else pos + 1
        else:  # "$": a dollar-quote tag, or a parameter / part of a name
            tag = None if pos > start and _word_char(text[pos - 1]) else _DOLLAR_TAG.match(text, pos, end)
            pos = _dollar_end(text, tag.group(), tag.end(), end) if tag is not None else pos + 1


def split_statements(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) of each statement: the text between semicolons outside strings, comments
    and dollar quotes, leaving out those holding only whitespace and comments."""
    pieces = []
    piece_start = start
    for char, pos in structure(text, start, end):
        if char == ";":
            pieces.append((piece_start, pos))
            piece_start = pos + 1
    pieces.append((piece_start, end))
    return [(first, last) for first, last in pieces if skip_trivia(text, first, last) < last]


def separators(text: str, start: int, end: int, depth: int) -> list[int]:
    """Offsets of the `,` at bracket depth `depth` (0 at `start`) and of each `)` or `]` that
    closes that depth: the ends of the elements of a list at that depth."""
    found: list[int] = []
    level = 0
    for char, pos in structure(text, start, end):
        if char in _OPEN:
            level += 1
        elif char in _CLOSE:
            if level == depth:
                found.append(pos)
            level -= 1
        elif char == "," and level == depth:
            found.append(pos)
    return found


def matching_close(text: str, open_pos: int, end: int) -> int:
    """The offset of the bracket closing the one at `open_pos` (or `end`)."""
    level = 0
    for char, pos in structure(text, open_pos, end):
        if char in _OPEN:
            level += 1
        elif char in _CLOSE:
            level -= 1
            if level == 0:
                return pos
    return end


def first_open(text: str, start: int, end: int) -> int:
    """The offset of the first `(` at depth 0 at or after `start`, or -1."""
    for char, pos in structure(text, start, end):
        if char == "(":
            return pos
        if char in _CLOSE or char == ";":
            return -1
    return -1


def next_boundary(bounds: list[int], pos: int, default: int) -> int:
    """The first offset of the sorted `bounds` after `pos`, or `default`."""
    index = bisect_right(bounds, pos)
    return bounds[index] if index < len(bounds) else default


def find_word(text: str, start: int, end: int, words: frozenset[str]) -> tuple[str, int, int] | None:
    """The first of `words` (lower-case keywords) at bracket depth 0 in the range."""
    level = 0
    for kind, token_start, token_end in tokens(text, start, end):
        if kind == "p":
            char = text[token_start]
            if char in _OPEN:
                level += 1
            elif char in _CLOSE:
                level -= 1
        elif kind == "w" and level == 0:
            word = text[token_start:token_end].lower()
            if word in words:
                return word, token_start, token_end
    return None


_NAME_PART = r'(?:"[^"]*(?:""[^"]*)*"|[^\W\d]\w*(?:\$\w*)*)'
_QUALIFIED_NAME = re.compile(rf"{_NAME_PART}(?:[ \t\n\r\f\v]*\.[ \t\n\r\f\v]*{_NAME_PART})*(?:[ \t\n\r\f\v]*\*)?")


def skip_name(text: str, pos: int, end: int) -> int:
    """The end of the (possibly qualified) name starting at `pos`, and of a following `*`."""
    match = _QUALIFIED_NAME.match(text, pos, end)
    return match.end() if match is not None else pos


def strip_range(text: str, start: int, end: int) -> tuple[int, int]:
    """The range without leading and trailing whitespace or comments."""
    start = skip_trivia(text, start, end)
    return start, max(start, trim_end(text, start, end))
