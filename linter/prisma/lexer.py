"""Splitting Prisma schema text into tokens with one compiled regular expression.

Line breaks are tokens because Prisma's grammar is line-based (a field ends at the end of
its line); spaces and tabs are dropped. Comments are tokens too, so the parser can tell a
comment line from a trailing comment, and they are collected with their spans for the
suppression comments.
"""

from __future__ import annotations

import re

NEWLINE = "nl"
DOC_COMMENT = "doc"  # /// …
COMMENT = "comment"  # // …
BLOCK_COMMENT = "mlcomment"  # /* … */
STRING = "string"
NUMBER = "number"
IDENT = "ident"
BAD = "bad"  # a character Prisma does not accept, an unterminated string or comment
EOF = "eof"
COMMENT_KINDS = frozenset({DOC_COMMENT, COMMENT, BLOCK_COMMENT})

# Whitespace is Prisma's WHITESPACE rule: Unicode space separators and tabs, nothing else.
# A string follows JSON: no raw control characters, a backslash escapes any character.
# A number followed by an identifier character is an identifier (`1D` is a valid enum value).
_TOKEN = re.compile(
    r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]*"
    r"(?:(\r\n|\r|\n)"
    r"|(///[^\r\n]*)"
    r"|(//[^\r\n]*)"
    r"|(/\*[\s\S]*?\*/)"
    r'|("(?:[^"\\\x00-\x1f]|\\[\s\S])*")'
    r"|(-?[0-9]+(?:\.[0-9]+)?(?![A-Za-z0-9_-]))"
    r"|([A-Za-z0-9_][A-Za-z0-9_-]*)"
    r"|(@@|[@{}()\[\],:=?.!])"
    r'|("[^"\r\n]*|/\*|[\s\S]))'
)
_GROUP_KINDS = (None, NEWLINE, DOC_COMMENT, COMMENT, BLOCK_COMMENT, STRING, NUMBER, IDENT, None, BAD)


class Tokens:
    """Parallel lists of token kinds and character offsets, ending with an EOF token."""

    __slots__ = ("ends", "kinds", "starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        kinds: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        group_kinds = _GROUP_KINDS
        # Each match is the whitespace before a token and the token; trailing whitespace at
        # the end of the text matches nothing and is skipped.
        for match in _TOKEN.finditer(text):
            group = match.lastindex
            start, end = match.span(group)
            kind = group_kinds[group]
            kinds.append(text[start:end] if kind is None else kind)
            starts.append(start)
            ends.append(end)
        kinds.append(EOF)
        starts.append(len(text))
        ends.append(len(text))
        self.kinds = kinds
        self.starts = starts
        self.ends = ends

    def text_of(self, index: int) -> str:
        return self.text[self.starts[index] : self.ends[index]]
