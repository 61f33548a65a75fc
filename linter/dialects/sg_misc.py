"""Session, transaction and maintenance statements, read from tokens.

sqlglot reads several of these wrongly for our purposes (SQLite's `SAVEPOINT a` becomes an
alias expression, `END TRANSACTION` a column), and they need no expression tree: the
first words say what they do.
"""

from __future__ import annotations

from sqlglot.tokens import TokenType

from linter import actions as a
from linter.dialects.sg_create import Translation
from linter.dialects.sg_cursor import Cursor, Frame
from linter.schema import Name

_SCOPES = ("GLOBAL", "SESSION", "LOCAL", "PERSIST", "PERSIST_ONLY")
_WHOLE_SETS = ("TRANSACTION", "PASSWORD", "ROLE", "DEFAULT", "RESOURCE", "STATEMENT")


def transaction(frame: Frame) -> Translation:
    cur = frame.cur
    word = cur.word()
    if word == "START" and cur.word(1) != "TRANSACTION":
        return "start", [a.Opaque(span=frame.span, what="start")]  # START REPLICA, START SLAVE, …
    if word in ("BEGIN", "START"):
        op = "begin"
    elif word in ("COMMIT", "END"):
        op = "commit"
    elif word == "ROLLBACK":
        op = "rollback to" if any(cur.word_at(j) == "TO" for j in range(cur.n)) else "rollback"
    elif word == "SAVEPOINT":
        op = "savepoint"
    else:
        op = "release"
    return op, [a.Transaction(span=frame.span, op=op)]


def set_statement(frame: Frame) -> Translation:
    """MySQL `SET a = 1, @b := 2, NAMES utf8mb4, SESSION TRANSACTION …`: one action per item."""
    cur = frame.cur
    cur.expect("SET")
    actions: list[a.Action] = []
    while True:
        cur.accept_any(*_SCOPES)
        whole = cur.accept_any(*_WHOLE_SETS)
        if whole is not None:
            # SET TRANSACTION …, SET PASSWORD …, SET ROLE …: their own syntax (commas
            # included) runs to the end, all one value.
            value = cur.raw(cur.i, cur.n - 1) if not cur.at_end() else None
            actions.append(a.SetVariable(span=frame.span, name=whole.lower(), value=value))
            return "set", actions
        name, value = _set_item(cur)
        actions.append(a.SetVariable(span=frame.span, name=name, value=value))
        if cur.at_end():
            return "set", actions
        if not cur.accept(","):
            raise cur.error("',' or end of statement")


def _set_item(cur: Cursor) -> tuple[str, str | None]:
    if cur.accept("NAMES"):
        name = "names"
    elif cur.accept("CHARACTER", "SET") or cur.accept("CHARSET"):
        name = "character set"
    else:
        name = _variable(cur)
        if not (cur.accept("=") or cur.accept(":=")):
            raise cur.error("'='")
    first = cur.i
    depth = 0
    while not cur.at_end():
        token_type = cur.peek().token_type
        if token_type == TokenType.L_PAREN:
            depth += 1
        elif token_type == TokenType.R_PAREN:
            depth -= 1
        elif token_type == TokenType.COMMA and depth == 0:
            break
        cur.i += 1
    if cur.i == first:
        raise cur.error("a value")
    if cur.i == first + 1 and cur.tokens[first].token_type == TokenType.STRING:
        return name, cur.tokens[first].text
    return name, cur.raw(first, cur.i - 1)


def _variable(cur: Cursor) -> str:
    token = cur.peek()
    if token is not None and token.token_type == TokenType.PARAMETER:  # @user_variable
        cur.i += 1
        return "@" + cur.name("a variable name")
    if token is not None and token.token_type == TokenType.SESSION_PARAMETER:  # @@[scope.]name
        cur.i += 1
    name = cur.name("a variable name")
    while cur.at_type(TokenType.DOT):  # @@session.sql_mode
        cur.i += 1
        name = cur.name("a variable name")
    return name.lower()


def maintenance(frame: Frame) -> Translation:
    cur = frame.cur
    op = cur.advance().text.lower()
    tables: list[Name] = []
    if op == "analyze" and not cur.sqlite:
        cur.accept_any("NO_WRITE_TO_BINLOG", "LOCAL")
        if cur.accept_any("TABLE", "TABLES"):
            while True:
                name, schema = cur.qualified_name("a table name")
                tables.append(Name(name, schema))
                if not cur.accept(","):
                    break
    return op, [a.Maintenance(span=frame.span, op=op, tables=tuple(tables))]


def insert_without_tree(frame: Frame, op_word: str) -> Translation:
    """INSERT/REPLACE read from tokens only: for statements too large to be worth a tree
    (seed data) and for MySQL's REPLACE, which sqlglot keeps as an unparsed command."""
    cur = frame.cur
    if cur.word() == op_word:
        cur.i += 1
    cur.accept_any("LOW_PRIORITY", "DELAYED", "HIGH_PRIORITY")
    cur.accept("IGNORE")
    if cur.accept("OR"):  # SQLite: INSERT OR REPLACE INTO …
        cur.accept_any("REPLACE", "ROLLBACK", "ABORT", "FAIL", "IGNORE")
    cur.accept("INTO")
    name, schema = cur.qualified_name("a table name")
    depth = 0
    from_query = False
    for j in range(cur.i, cur.n):
        token_type = cur.tokens[j].token_type
        if token_type == TokenType.L_PAREN:
            depth += 1
        elif token_type == TokenType.R_PAREN:
            depth -= 1
        elif depth == 0 and cur.word_at(j) in ("SELECT", "VALUES", "SET", "VALUE", "DEFAULT"):
            from_query = cur.word_at(j) == "SELECT"
            break
        elif depth == 1 and cur.word_at(j) == "SELECT" and cur.tokens[j - 1].token_type == TokenType.L_PAREN:
            from_query = True
            break
    return "insert", [a.DataChange(span=frame.span, op="insert", table=Name(name, schema), from_query=from_query)]
