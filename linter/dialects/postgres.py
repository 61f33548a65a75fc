"""The PostgreSQL front-end: SQL text to `Statement`s with exact spans and neutral actions.

pglast's C parser (libpg_query, the server's own grammar) returns JSON; walking plain dicts
is several times cheaper than building pglast's Python AST. Node locations in that JSON are
UTF-8 byte offsets into the parsed text; they become file-level character offsets here.

When the text does not parse, the parser's message is reported at its position and the
statements that do parse are still returned: the text is split at its semicolons (outside
strings, comments and dollar quotes) and each statement is parsed alone, so a bad statement
costs only itself. (pglast's scanner-based `split` is not used for this: it drops statements
that start with an identifier, such as a misspelt keyword.)
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from linter import actions as a
from linter.dialects import ParsedPart, SyntaxProblem, pg_scan, pg_statements, pg_tables
from linter.dialects.pg_context import StmtSource
from linter.dialects.pg_parser import ParseError, parse_sql_json, split
from linter.findings import Span
from linter.migrations import Part
from linter.source import ByteOffsets, SourceFile

Translator = Callable[[dict[str, Any], StmtSource], list[a.Action]]

_TRANSLATORS: dict[str, Translator] = {
    "CreateStmt": pg_tables.create_table,
    "CreateTableAsStmt": pg_tables.create_table_as,
    "AlterTableStmt": pg_tables.alter_table,
    "IndexStmt": pg_statements.create_index,
    "RenameStmt": pg_statements.rename,
    "AlterObjectSchemaStmt": pg_statements.alter_object_schema,
    "DropStmt": pg_statements.drop,
    "CreateEnumStmt": pg_statements.create_enum,
    "CreateDomainStmt": pg_statements.create_domain,
    "AlterDomainStmt": pg_statements.alter_domain,
    "AlterEnumStmt": pg_statements.alter_enum,
    "CreateSchemaStmt": pg_statements.create_schema,
    "ViewStmt": pg_statements.create_view,
    "CommentStmt": pg_statements.comment,
    "VariableSetStmt": pg_statements.set_variable,
    "TransactionStmt": pg_statements.transaction,
    "InsertStmt": pg_statements.insert,
    "UpdateStmt": pg_statements.update,
    "DeleteStmt": pg_statements.delete,
    "MergeStmt": pg_statements.merge,
    "CopyStmt": pg_statements.copy,
    "TruncateStmt": pg_statements.truncate,
    "VacuumStmt": pg_statements.vacuum,
    "ClusterStmt": pg_statements.cluster,
    "ReindexStmt": pg_statements.reindex,
    "LockStmt": pg_statements.lock,
}

# Translation reads parser output whose shape can vary between pglast versions; a surprise
# there must cost one statement's detail, never the run.
_SHAPE_ERRORS = (KeyError, TypeError, ValueError, IndexError, AttributeError, RecursionError)


def parse_part(part: Part) -> ParsedPart:
    """Parse a Part of a file; offsets in the result are character offsets into the file."""
    text = part.text
    result = ParsedPart()
    try:
        data = parse_sql_json(text)
    except ParseError as error:
        _recover(part, text, error, result)
        return result
    _translate_json(part.file, text, part.start, data, result.statements)
    return result


def _translate_json(file: SourceFile, text: str, base: int, data: str, into: list[a.Statement]) -> None:
    """Statements from pglast's JSON for `text` (at file offset `base`)."""
    try:
        stmts = json.loads(data).get("stmts", ())
    except RecursionError:
        _translate_deep(file, text, base, into)
        return
    _translate_all(stmts, file, text, base, into)


_STMT_KIND = re.compile(r'"stmt":\{"(\w+)"')


def _translate_deep(file: SourceFile, text: str, base: int, into: list[a.Statement]) -> None:
    """Statements too deeply nested for Python's JSON decoder (a chain of hundreds of `||`):
    decode one statement at a time, and keep a statement that still cannot be decoded as
    an opaque statement of its kind."""
    for piece in split(text, with_parser=True, only_slices=True):
        piece_text = text[piece.start : piece.stop]
        piece_base = base + piece.start
        data = parse_sql_json(piece_text)
        try:
            stmts = json.loads(data).get("stmts", ())
        except RecursionError:
            kind_match = _STMT_KIND.search(data)
            kind = kind_match.group(1) if kind_match else "unknown"
            span = Span(file, *pg_scan.strip_range(file.text, piece_base, piece_base + len(piece_text)))
            into.append(a.Statement(span=span, kind=kind, node={}, actions=[a.Opaque(span=span, what=kind)]))
            continue
        _translate_all(stmts, file, piece_text, piece_base, into)


def _translate_all(stmts: Any, file: SourceFile, text: str, base: int, into: list[a.Statement]) -> None:
    """Statements of `text` (which starts at file offset `base`) to `Statement`s."""
    offsets = ByteOffsets(text)
    full = file.text
    text_end = base + len(text)
    for raw in stmts:
        location = raw.get("stmt_location", 0)
        length = raw.get("stmt_len", 0)
        first = base + offsets.to_char(location)
        last = base + offsets.to_char(location + length) if length else text_end
        start = pg_scan.skip_trivia(full, first, last)
        end = max(start, pg_scan.trim_end(full, start, last))
        ((kind, node),) = raw["stmt"].items()
        span = Span(file, start, end)
        src = StmtSource(file, base, offsets, start, end, span)
        into.append(a.Statement(span=span, kind=kind, node=node, actions=_actions(kind, node, src)))


def _actions(kind: str, node: dict[str, Any], src: StmtSource) -> list[a.Action]:
    translate = _TRANSLATORS.get(kind)
    try:
        if translate is not None:
            return translate(node, src)
        return pg_statements.opaque(kind, node, src)
    except _SHAPE_ERRORS:
        return [a.Opaque(span=src.whole(), what=kind)]


# --- syntax errors ---------------------------------------------------------------------------
def _recover(part: Part, text: str, error: ParseError, result: ParsedPart) -> None:
    """Report what does not parse and keep every statement that does."""
    file = part.file
    cleaned, problems = _without_meta_commands(part, text)
    try:
        split(cleaned, with_parser=False)  # raises only when the lexer itself stops
        pieces = pg_scan.split_statements(cleaned, 0, len(cleaned))
    except ParseError as lexer_error:
        # An unterminated string or comment runs to the end of the text for the server:
        # keep the statements before the one it starts in.
        message, index = _error_args(lexer_error)
        problems.append(_problem(file, part.start, cleaned, message, index))
        pieces = pg_scan.split_statements(cleaned, 0, len(cleaned) if index is None else index)
        if pieces and index is not None and not cleaned[pieces[-1][1] : index].lstrip().startswith(";"):
            pieces.pop()
    for first, last in pieces:
        piece_text = cleaned[first:last]
        base = part.start + first
        try:
            data = parse_sql_json(piece_text)
        except ParseError as piece_error:
            message, index = _error_args(piece_error)
            problems.append(_problem(file, base, piece_text, message, index))
            continue
        _translate_json(file, piece_text, base, data, result.statements)
    if not problems:
        # The statements parse alone but not together (a `;` inside a body the splitter cut):
        # report the whole text's error where the parser put it.
        message, index = _error_args(error)
        problems.append(_problem(file, part.start, text, message, index))
    result.errors.extend(sorted(problems, key=lambda problem: problem.span.start))


def _error_args(error: ParseError) -> tuple[str, int | None]:
    """pglast's ParseError args: (message, 0-based character index or None at end of input)."""
    args = error.args
    message = str(args[0]) if args else str(error)
    index = args[1] if len(args) > 1 and isinstance(args[1], int) else None
    return message.splitlines()[0] if message else "syntax error", index


def _problem(file: SourceFile, base: int, text: str, message: str, index: int | None) -> SyntaxProblem:
    """A one-character span at the parser's position; at end of input, just after the last
    token (a zero-width span)."""
    if index is None or index >= len(text):
        end = pg_scan.trim_end(file.text, base, base + len(text))
        return SyntaxProblem(Span(file, end, end), message)
    return SyntaxProblem(Span(file, base + index, base + index + 1), message)


def _without_meta_commands(part: Part, text: str) -> tuple[str, list[SyntaxProblem]]:
    """The text with psql meta-commands (`\\connect db`, `\\set x 1`) blanked out, and a
    problem for each: they are client commands the server cannot run."""
    if "\\" not in text:
        return text, []
    problems = []
    pieces = []
    done = 0
    while True:
        pos = next((pos for char, pos in pg_scan.structure(text, done, len(text)) if char == "\\"), -1)
        if pos < 0:
            break
        line_end = len(text)
        for stop in (text.find("\n", pos), text.find("\r", pos)):
            if stop >= 0:
                line_end = min(line_end, stop)
        word_end = pos + 1
        while word_end < line_end and not text[word_end].isspace():
            word_end += 1
        problems.append(
            SyntaxProblem(
                Span(part.file, part.start + pos, part.start + word_end),
                f'psql meta-command "{text[pos:word_end]}" is not SQL; the server cannot run it',
            )
        )
        # Blank it out keeping every offset, so the statements around it still parse.
        pieces.append(text[done:pos])
        pieces.append(" " * (line_end - pos))
        done = line_end
    pieces.append(text[done:])
    return "".join(pieces), problems
