"""The MySQL/MariaDB and SQLite front-end: SQL text to `Statement`s with exact spans.

sqlglot's tokenizer cuts the text (it knows each dialect's quotes, comments and escapes and
gives character offsets); `sg_split` groups tokens into statements (honouring the MySQL
client's DELIMITER and routine bodies). Statements that shape the schema (CREATE, ALTER,
DROP, RENAME, TRUNCATE) and session/transaction statements are read from the tokens by our
own modules, because sqlglot's parser drops positions and source text and rejects or
misreads much real MySQL/SQLite DDL. Data statements (INSERT, UPDATE, DELETE, SELECT) go
through sqlglot's parser, whose tree becomes `Statement.node`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError
from sqlglot.tokens import Token

from linter import actions as a
from linter.dialects import ParsedPart, SyntaxProblem
from linter.dialects.sg_alter import alter
from linter.dialects.sg_create import Translation, create, drop, rename, truncate
from linter.dialects.sg_cursor import Cursor, DdlError, Frame
from linter.dialects.sg_misc import insert_without_tree, maintenance, set_statement, transaction
from linter.dialects.sg_split import RawStatement, client_chunks, split_chunk
from linter.findings import Span
from linter.migrations import Part
from linter.records import Record
from linter.schema import Name

# Above this many tokens an INSERT is read without a tree: seed data can be huge, and the
# tree would only tell us the table.
_INSERT_TREE_LIMIT = 2000

_MYSQL_OPAQUE = frozenset(
    {
        "CALL", "DO", "PREPARE", "EXECUTE", "DEALLOCATE", "LOCK", "UNLOCK", "GRANT", "REVOKE", "FLUSH",
        "OPTIMIZE", "REPAIR", "CHECK", "CHECKSUM", "HANDLER", "XA", "SHOW", "DESCRIBE", "DESC", "EXPLAIN",
        "USE", "KILL", "RESET", "PURGE", "INSTALL", "UNINSTALL", "LOAD", "CACHE", "SIGNAL", "RESIGNAL",
        "GET", "BINLOG", "CHANGE", "HELP", "SHUTDOWN", "RESTART", "CLONE", "IMPORT", "BACKUP",
    }
)  # fmt: skip
_SQLITE_OPAQUE = frozenset({"PRAGMA", "ATTACH", "DETACH", "EXPLAIN"})
_TRANSACTIONS = frozenset({"BEGIN", "START", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"})
_WITH_TREE = frozenset({"INSERT", "UPDATE", "DELETE", "SELECT", "WITH", "VALUES"})


class _Front(Record):
    tokenizer: Any  # sqlglot Tokenizer (reused: tokenize() resets it)
    parser: Any  # our sqlglot Parser subclass (reused: parse() resets it)
    sqlite: bool
    handlers: dict[str, Callable[[Frame], Translation]]


def parse_part(part: Part, dialect: str) -> ParsedPart:
    """Parse a part of a file as MySQL/MariaDB ("mysql") or SQLite ("sqlite") SQL."""
    front = _front(dialect)
    result = ParsedPart()
    text = part.text
    for chunk in client_chunks(text, mysql=not front.sqlite):
        raws, problem = split_chunk(text, chunk, front.tokenizer)
        for raw in raws:
            _statement(front, part, raw, result)
        if problem is not None:
            offset = part.start + problem.offset
            end = min(offset + 1, part.stop)
            result.errors.append(SyntaxProblem(Span(part.file, offset, max(offset, end)), problem.message))
    return result


@cache
def _front(dialect: str) -> _Front:
    name = {"mysql": "mysql", "mariadb": "mysql", "sqlite": "sqlite"}.get(dialect)
    if name is None:
        raise ValueError(f"the sqlglot front-end reads mysql or sqlite, not {dialect!r}")
    sg_dialect = sqlglot.Dialect.get_or_raise(name)
    sqlite = name == "sqlite"
    handlers: dict[str, Callable[[Frame], Translation]] = {"CREATE": create, "ALTER": alter, "DROP": drop}
    for word in _TRANSACTIONS:
        handlers[word] = transaction
    handlers["ANALYZE"] = maintenance
    if sqlite:
        handlers["END"] = transaction
        handlers["VACUUM"] = maintenance
        handlers["REINDEX"] = maintenance
    else:
        handlers["TRUNCATE"] = truncate
        handlers["SET"] = set_statement
    parser = _parser_class(sg_dialect.parser_class)(dialect=sg_dialect)
    return _Front(sg_dialect.tokenizer(), parser, sqlite, handlers)


def _parser_class(base: type) -> type:
    class RecordingParser(base):  # type: ignore[misc, valid-type]
        """Remembers where parsing failed: sqlglot's error carries a line and the column of
        the token's end, and says nothing when it ran out of tokens."""

        failed_token: Token | None = None
        ran_out: bool = False

        def raise_error(self, message: str, token: Token | None = None) -> None:
            self.failed_token = token or self._curr or self._prev or None
            self.ran_out = not token and not self._curr
            if token:
                super().raise_error(message, token)
            else:
                super().raise_error(message)

        def _warn_unsupported(self) -> None:
            """sqlglot logs a warning for every statement it keeps as a Command; we don't."""

    return RecordingParser


def _statement(front: _Front, part: Part, raw: RawStatement, result: ParsedPart) -> None:
    file = part.file
    tokens = raw.tokens
    base = part.start + raw.base
    start = base + tokens[0].start
    end = base + tokens[-1].end + 1
    # A command sqlglot keeps unparsed ends its text at the last character it scanned.
    while end > start and file.text[end - 1].isspace():
        end -= 1
    span = Span(file, start, end)
    frame = Frame(Cursor(tokens, raw.text, front.sqlite), file, base, span)
    try:
        kind, node, actions = _translate(front, frame, raw)
    except DdlError as error:
        offset = base + error.offset
        result.errors.append(SyntaxProblem(Span(file, offset, min(offset + 1, max(end, offset))), error.message))
        return
    result.statements.append(a.Statement(span=span, kind=kind, node=node, actions=actions))


def _translate(front: _Front, frame: Frame, raw: RawStatement) -> tuple[str, Any, list[a.Action]]:
    cur = frame.cur
    word = cur.word() or ""
    handler = front.handlers.get(word)
    if handler is not None:
        kind, actions = handler(frame)
        return kind, None, actions
    if word in ("RENAME", "REPLACE"):
        # sqlglot's tokenizer keeps the rest of these statements as one string: read it again.
        rest = _retokenized(front, frame, raw)
        if word == "RENAME" and not front.sqlite:
            kind, actions = rename(rest)
            return kind, None, actions
        if word == "REPLACE":
            kind, actions = insert_without_tree(rest, "REPLACE")
            return kind, None, actions
    if word in (_SQLITE_OPAQUE if front.sqlite else _MYSQL_OPAQUE):
        what = word.lower()
        return what, None, [a.Opaque(span=frame.span, what=what)]
    if word == "INSERT" and cur.n > _INSERT_TREE_LIMIT:
        kind, actions = insert_without_tree(frame, "INSERT")
        return kind, None, actions
    if word in _WITH_TREE or (not front.sqlite and word == "TABLE") or cur.at("("):
        return _with_tree(front, frame, raw)
    token = raw.tokens[0]
    shown = raw.text[token.start : token.end + 1]
    raise DdlError(token.start, f'syntax error at or near "{shown}": not a statement')


def _retokenized(front: _Front, frame: Frame, raw: RawStatement) -> Frame:
    command = raw.tokens[0]
    offset = command.end + 1
    text = raw.text[offset : raw.tokens[-1].end + 1]
    try:
        tokens = front.tokenizer.tokenize(text)
    except TokenError:
        raise DdlError(offset, "syntax error: cannot read the rest of this statement") from None
    if not tokens:
        raise DdlError(offset, "syntax error at end of statement: expected more")
    for token in tokens:  # offsets into the statement's chunk, like every other token
        token.start += offset
        token.end += offset
    return Frame(Cursor(tokens, raw.text, front.sqlite), frame.file, frame.base, frame.span)


# --- statements with a sqlglot tree ---------------------------------------------------
def _with_tree(front: _Front, frame: Frame, raw: RawStatement) -> tuple[str, Any, list[a.Action]]:
    parser = front.parser
    parser.failed_token = None
    parser.ran_out = False
    try:
        node = parser.parse(raw.tokens, raw.text)[0]
    except ParseError as error:
        description = (error.errors[0].get("description") if error.errors else None) or str(error).split(".")[0]
        raise _tree_error(parser, raw, description) from None
    except Exception as error:  # noqa: BLE001 - a sqlglot bug must not stop the run
        raise DdlError(raw.tokens[0].start, f"cannot parse this statement (sqlglot: {type(error).__name__})") from None
    if node is None:
        raise DdlError(raw.tokens[0].start, "cannot parse this statement")
    return node.key, node, _tree_actions(node, frame.span)


_MISSING = re.compile(r"Required keyword: '\w+' missing for <class '[\w.]*?(\w+)'>")


def _tree_error(parser: Any, raw: RawStatement, description: str) -> DdlError:
    description = _MISSING.sub(lambda match: f"incomplete expression ({match.group(1)})", description)
    token = parser.failed_token
    if parser.ran_out or token is None or not token.text:
        return DdlError(raw.tokens[-1].end + 1, f"syntax error at end of statement: {description}")
    shown = raw.text[token.start : token.end + 1]
    return DdlError(token.start, f'syntax error at or near "{shown}": {description}')


def _tree_actions(node: exp.Expr, span: Span) -> list[a.Action]:
    if isinstance(node, exp.Insert):
        from_query = isinstance(node.args.get("expression"), exp.Query)
        return [a.DataChange(span=span, op="insert", table=_table_name(node.this), from_query=from_query)]
    if isinstance(node, exp.Update):
        target = node.this
        joined = isinstance(target, exp.Table) and bool(target.args.get("joins"))
        from_query = joined or node.args.get("from_") is not None
        has_where = node.args.get("where") is not None
        return [
            a.DataChange(span=span, op="update", table=_table_name(target), has_where=has_where, from_query=from_query)
        ]
    if isinstance(node, exp.Delete):
        target = node.this
        joined = isinstance(target, exp.Table) and bool(target.args.get("joins"))
        from_query = joined or bool(node.args.get("using")) or bool(node.args.get("tables"))
        has_where = node.args.get("where") is not None
        return [
            a.DataChange(span=span, op="delete", table=_table_name(target), has_where=has_where, from_query=from_query)
        ]
    return [a.Opaque(span=span, what=node.key)]


def _table_name(node: Any) -> Name | None:
    if isinstance(node, exp.Schema):
        node = node.this
    if isinstance(node, exp.Table) and node.name:
        return Name(node.name, node.db or None)
    return None
