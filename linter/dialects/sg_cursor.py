"""A cursor over one statement's sqlglot tokens, for the DDL we parse ourselves.

sqlglot's tokenizer knows each dialect's quoting, comments and escapes and gives every
token its character offsets; its parser, though, loses positions and the text as written
and refuses or misreads much real MySQL/SQLite DDL (free-form SQLite types, FULLTEXT keys,
`RENAME AS`, MariaDB's `IF NOT EXISTS`, …). The DDL that shapes a schema is therefore read
from the tokens directly with this cursor; offsets stay relative to the text the tokens
were cut from until the front-end adds the chunk's file offset.
"""

from __future__ import annotations

import re

from sqlglot.tokens import Token, TokenType

from linter.findings import Span
from linter.records import Record
from linter.source import SourceFile

_WORD = re.compile(r"\S+")

# Keywords that cannot be unquoted names (checked against SQLite 3.40 and MariaDB 10.11):
# reading them as names would put an error at the wrong token.
_RESERVED = frozenset(
    {
        "ADD", "ALL", "ALTER", "AND", "AS", "BETWEEN", "CASE", "CHECK", "COLLATE", "CONSTRAINT", "CREATE",
        "DEFAULT", "DELETE", "DISTINCT", "DROP", "ELSE", "EXISTS", "FOREIGN", "FROM", "GROUP", "HAVING", "IN",
        "INDEX", "INSERT", "INTO", "IS", "JOIN", "LIMIT", "NOT", "NULL", "ON", "OR", "ORDER", "PRIMARY",
        "REFERENCES", "SELECT", "SET", "TABLE", "THEN", "TO", "UNION", "UNIQUE", "UPDATE", "USING", "VALUES",
        "WHEN", "WHERE",
    }
)  # fmt: skip
_MYSQL_RESERVED = _RESERVED | frozenset(
    {
        "KEY", "KEYS", "COLUMN", "IF", "RENAME", "CHANGE", "CONVERT", "FULLTEXT", "SPATIAL", "LOCK", "TRIGGER",
        "PROCEDURE", "FORCE", "RESTRICT", "CASCADE", "LIKE", "WITH", "REPLACE", "IGNORE",
    }
)  # fmt: skip

# Tokens that are never keywords, whatever their text.
_NOT_WORDS = frozenset(
    {
        TokenType.STRING,
        TokenType.NATIONAL_STRING,
        TokenType.BIT_STRING,
        TokenType.HEX_STRING,
        TokenType.BYTE_STRING,
        TokenType.RAW_STRING,
        TokenType.HEREDOC_STRING,
        TokenType.UNICODE_STRING,
        TokenType.NUMBER,
        TokenType.IDENTIFIER,
    }
)
STRINGS = frozenset(
    {
        TokenType.STRING,
        TokenType.NATIONAL_STRING,
        TokenType.BIT_STRING,
        TokenType.HEX_STRING,
        TokenType.BYTE_STRING,
        TokenType.RAW_STRING,
        TokenType.UNICODE_STRING,
    }
)


def word_of(token: Token) -> str | None:
    """The upper-cased keyword a token spells, or None for literals, quoted names, punctuation."""
    if token.token_type in _NOT_WORDS:
        return None
    text = token.text
    first = text[:1]
    if first.isalpha() or first == "_":
        return text.upper()
    return None


class DdlError(Exception):
    """A syntax error found by our own DDL reading, at a character offset of the chunk text."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset
        self.message = message


class Cursor:
    """Reads a token list left to right; `i` is the index of the next token."""

    __slots__ = ("_reserved", "_words", "i", "n", "sqlite", "text", "tokens")

    def __init__(self, tokens: list[Token], text: str, sqlite: bool, start: int = 0) -> None:
        if any(" " in token.text and token.token_type not in _NOT_WORDS for token in tokens):
            tokens = _split_keywords(tokens, text)
        self.tokens = tokens
        self.text = text
        self.i = start
        self.n = len(tokens)
        self.sqlite = sqlite
        self._words = [word_of(token) for token in tokens]
        self._reserved = _RESERVED if sqlite else _MYSQL_RESERVED

    # --- looking -----------------------------------------------------------------------
    def at_end(self) -> bool:
        return self.i >= self.n

    def peek(self, k: int = 0) -> Token | None:
        j = self.i + k
        return self.tokens[j] if 0 <= j < self.n else None

    def word(self, k: int = 0) -> str | None:
        j = self.i + k
        return self._words[j] if 0 <= j < self.n else None

    def word_at(self, index: int) -> str | None:
        return self._words[index] if 0 <= index < self.n else None

    def at(self, *words: str) -> bool:
        """Whether the next tokens spell `words` (keywords, or punctuation such as "(")."""
        for k, expected in enumerate(words):
            j = self.i + k
            if j >= self.n:
                return False
            if self._words[j] != expected and not self._is_punct(j, expected):
                return False
        return True

    def _is_punct(self, j: int, text: str) -> bool:
        token = self.tokens[j]
        return self._words[j] is None and token.token_type not in _NOT_WORDS and token.text == text

    def at_type(self, token_type: TokenType, k: int = 0) -> bool:
        token = self.peek(k)
        return token is not None and token.token_type == token_type

    # --- consuming ---------------------------------------------------------------------
    def advance(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def accept(self, *words: str) -> bool:
        if self.at(*words):
            self.i += len(words)
            return True
        return False

    def accept_any(self, *words: str) -> str | None:
        """Consume one keyword among `words`; return it."""
        current = self.word()
        if current is not None and current in words:
            self.i += 1
            return current
        return None

    def expect(self, *words: str) -> None:
        if not self.accept(*words):
            raise self.error(" ".join(words))

    def accept_if_not_exists(self) -> bool:
        return self.accept("IF", "NOT", "EXISTS")

    def accept_if_exists(self) -> bool:
        return self.accept("IF", "EXISTS")

    # --- names -------------------------------------------------------------------------
    def is_name(self, k: int = 0) -> bool:
        token = self.peek(k)
        if token is None:
            return False
        if token.token_type == TokenType.IDENTIFIER:
            return True
        word = self.word(k)
        if word is not None:
            return word not in self._reserved
        # SQLite takes a string literal where a name is expected ('x' as a column name).
        return self.sqlite and token.token_type == TokenType.STRING

    def is_name_at(self, index: int) -> bool:
        return self.is_name(index - self.i)

    def name(self, what: str) -> str:
        if not self.is_name():
            raise self.error(what)
        return self.advance().text

    def value(self, what: str) -> str:
        """A keyword-like value (`BTREE`, `INPLACE`, `utf8mb4`, `DEFAULT`): any word, quoted
        name or string."""
        token = self.peek()
        if token is None or not (
            self.word() is not None or token.token_type in (TokenType.IDENTIFIER, TokenType.STRING)
        ):
            raise self.error(what)
        self.i += 1
        return token.text

    def qualified_name(self, what: str) -> tuple[str, str | None]:
        """`name` or `schema.name`; returns (name, schema). SQLite's `main.` is the default
        database, so it is dropped: `main.t` and `t` are the same table."""
        first = self.name(what)
        if self.at_type(TokenType.DOT):
            self.i += 1
            name = self.name(what)
            if self.sqlite and first.lower() == "main":
                return name, None
            return name, first
        return first, None

    # --- groups and text ---------------------------------------------------------------
    def group_end(self, open_index: int) -> int:
        """Index of the ')' that closes the '(' at `open_index`."""
        depth = 0
        for j in range(open_index, self.n):
            token_type = self.tokens[j].token_type
            if token_type == TokenType.L_PAREN:
                depth += 1
            elif token_type == TokenType.R_PAREN:
                depth -= 1
                if depth == 0:
                    return j
        self.i = self.n
        raise self.error("')'")

    def skip_group(self) -> tuple[int, int]:
        """Consume a parenthesised group; return the indexes of its '(' and ')'."""
        if not self.at_type(TokenType.L_PAREN):
            raise self.error("'('")
        open_index = self.i
        close_index = self.group_end(open_index)
        self.i = close_index + 1
        return open_index, close_index

    def raw(self, first: int, last: int) -> str:
        """The source text from token `first` to token `last`, both included."""
        if last < first:
            return ""
        return self.text[self.tokens[first].start : self.tokens[last].end + 1]

    def start_of(self, index: int) -> int:
        return self.tokens[index].start

    def end_of(self, index: int) -> int:
        """Offset just past token `index`."""
        return self.tokens[index].end + 1

    # --- errors ------------------------------------------------------------------------
    def error(self, expected: str) -> DdlError:
        if self.i < self.n:
            token = self.tokens[self.i]
            shown = self.text[token.start : token.end + 1]
            return DdlError(token.start, f'syntax error at or near "{shown}": expected {expected}')
        end = self.tokens[-1].end + 1 if self.tokens else 0
        return DdlError(end, f"syntax error at end of statement: expected {expected}")

    def unexpected(self, context: str) -> DdlError:
        if self.i >= self.n:
            return self.error(context)
        token = self.tokens[self.i]
        shown = self.text[token.start : token.end + 1]
        return DdlError(token.start, f'syntax error at or near "{shown}" in {context}')


def _split_keywords(tokens: list[Token], text: str) -> list[Token]:
    """sqlglot reads `PRIMARY KEY`, `FOREIGN KEY`, `LOCK TABLES`, … as one token; the cursor
    wants one token per word, each with its own offsets."""
    split: list[Token] = []
    for token in tokens:
        if " " not in token.text or token.token_type in _NOT_WORDS:
            split.append(token)
            continue
        for match in _WORD.finditer(text, token.start, token.end + 1):
            split.append(
                Token(
                    token.token_type,
                    match.group(),
                    token.line,
                    token.col,
                    match.start(),
                    match.end() - 1,
                    token.comments,
                )
            )
    return split


def type_text(cursor: Cursor, first: int, last: int) -> str:
    """A declared type as dbvet spells it: lower-case, single spaces, none around parentheses
    and commas (`DECIMAL(65, 30)` -> `decimal(65,30)`); string literals keep their case."""
    pieces: list[str] = []
    previous = ""
    for j in range(first, last + 1):
        token = cursor.tokens[j]
        raw = cursor.text[token.start : token.end + 1]
        piece = raw if token.token_type in STRINGS else raw.lower()
        if pieces and previous not in ("(", ",") and piece not in ("(", ")", ","):
            pieces.append(" ")
        pieces.append(piece)
        previous = piece
    return "".join(pieces)


class Frame(Record):
    """One statement being read: its cursor and where its text sits in the file."""

    cur: Cursor
    file: SourceFile
    base: int  # file offset of `cur.text[0]`
    span: Span  # the whole statement

    def span_of(self, first: int, last: int) -> Span:
        tokens = self.cur.tokens
        return Span(self.file, self.base + tokens[first].start, self.base + tokens[last].end + 1)
