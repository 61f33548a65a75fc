"""CREATE, DROP, RENAME TABLE and TRUNCATE statements of MySQL/MariaDB and SQLite."""

from __future__ import annotations

from sqlglot.tokens import TokenType

from linter import actions as a
from linter.dialects.sg_columns import (
    index_options,
    index_type,
    key_parts,
    parse_column,
    parse_table_constraint,
    starts_table_constraint,
)
from linter.dialects.sg_cursor import Cursor, Frame
from linter.schema import Column, Constraint, Index, Name

Translation = tuple[str, list[a.Action]]  # (statement kind, actions)

_ROUTINES = frozenset({"FUNCTION", "PROCEDURE", "TRIGGER", "EVENT", "PACKAGE"})
_MYSQL_OBJECTS = frozenset(
    {
        "TABLE",
        "INDEX",
        "VIEW",
        "DATABASE",
        "SCHEMA",
        "USER",
        "ROLE",
        "SERVER",
        "SEQUENCE",
        "TABLESPACE",
        "LOGFILE",
        "RESOURCE",
    }
    | _ROUTINES
)
_MYSQL_CREATE_MODIFIERS = frozenset(
    {
        "OR",
        "TEMPORARY",
        "ALGORITHM",
        "DEFINER",
        "SQL",
        "AGGREGATE",
        "UNIQUE",
        "FULLTEXT",
        "SPATIAL",
        "ONLINE",
        "OFFLINE",
        "UNDO",
    }
)
_SQLITE_OBJECTS = frozenset({"TABLE", "INDEX", "VIEW", "TRIGGER"})
_SQLITE_CREATE_MODIFIERS = frozenset({"TEMP", "TEMPORARY", "UNIQUE", "VIRTUAL"})
_MYSQL_DROPPABLE = _MYSQL_OBJECTS | frozenset({"PREPARE", "SPATIAL"})


# --- CREATE ---------------------------------------------------------------------------
def create(frame: Frame) -> Translation:
    cur = frame.cur
    cur.expect("CREATE")
    objects = _SQLITE_OBJECTS if cur.sqlite else _MYSQL_OBJECTS
    modifiers = _SQLITE_CREATE_MODIFIERS if cur.sqlite else _MYSQL_CREATE_MODIFIERS
    if cur.word() not in objects and cur.word() not in modifiers:
        raise cur.error("the kind of object to create (TABLE, INDEX, VIEW, …)")
    or_replace = cur.accept("OR", "REPLACE")
    found = _object_word(cur, objects)
    if found is None:
        return "create", [a.Opaque(span=frame.span, what="create")]
    word, index = found
    if word == "TABLE" and not any(cur.word_at(j) == "VIRTUAL" for j in range(cur.i, index)):
        temporary = any(cur.word_at(j) in ("TEMPORARY", "TEMP") for j in range(cur.i, index))
        cur.i = index
        return "create table", create_table(frame, temporary)
    if word == "INDEX":
        return "create index", [_create_index(frame)]
    if word == "VIEW":
        cur.i = index + 1
        cur.accept_if_not_exists()
        name, schema = cur.qualified_name("a view name")
        return "create view", [a.CreateView(span=frame.span, view=Name(name, schema), or_replace=or_replace)]
    if word in ("DATABASE", "SCHEMA"):
        cur.i = index + 1
        if_not_exists = cur.accept_if_not_exists()
        name = cur.name("a database name")
        return "create schema", [a.CreateSchema(span=frame.span, schema=name, if_not_exists=if_not_exists)]
    what = "create virtual table" if word == "TABLE" else f"create {word.lower()}"
    return what, [a.Opaque(span=frame.span, what=what)]


def _object_word(cur: Cursor, objects: frozenset[str]) -> tuple[str, int] | None:
    for j in range(cur.i, min(cur.i + 24, cur.n)):
        word = cur.word_at(j)
        if word in objects:
            return word, j
        if cur.tokens[j].token_type == TokenType.L_PAREN:
            return None
    return None


def create_table(frame: Frame, temporary: bool) -> list[a.Action]:
    cur = frame.cur
    cur.expect("TABLE")
    if_not_exists = cur.accept_if_not_exists()
    name, schema = cur.qualified_name("a table name")
    table = Name(name, schema)
    columns: list[Column] = []
    constraints: list[Constraint] = []
    from_query = False
    comment: str | None = None
    if cur.accept("LIKE") or cur.at("(", "LIKE") or cur.at("(", "SELECT") or cur.at("(", "WITH"):
        from_query = True
        cur.i = cur.n  # LIKE t / (SELECT …): columns come from elsewhere
    else:
        has_elements = cur.at("(")
        if has_elements:
            _table_elements(frame, table, columns, constraints)
        from_query, comment = (_sqlite_tail if cur.sqlite else _mysql_tail)(cur)
        if not has_elements and not from_query:
            raise cur.error("'(', LIKE or AS")
    actions: list[a.Action] = [
        a.CreateTable(
            span=frame.span,
            table=table,
            columns=tuple(columns),
            constraints=tuple(constraints),
            if_not_exists=if_not_exists,
            temporary=temporary,
            from_query=from_query,
        )
    ]
    if comment is not None:
        actions.append(a.Comment(span=frame.span, target="table", object=table, text=comment))
    return actions


def _table_elements(frame: Frame, table: Name, columns: list[Column], constraints: list[Constraint]) -> None:
    cur = frame.cur
    cur.expect("(")
    while True:
        first = cur.i
        if cur.at(")") or cur.at(","):
            raise cur.error("a column or constraint definition")
        is_constraint = starts_table_constraint(cur)
        if is_constraint:
            constraint, _ = parse_table_constraint(cur, table)
            constraint.span = frame.span_of(first, cur.i - 1)
            constraints.append(constraint)
        else:
            definition = parse_column(cur, table, frame.span_of)
            columns.append(definition.column)
            constraints.extend(definition.constraints)
        if cur.accept(","):
            continue
        if cur.accept(")"):
            return
        if cur.sqlite and is_constraint and starts_table_constraint(cur):
            continue  # SQLite takes table constraints without a comma between them
        raise cur.error("',' or ')'")


def _mysql_tail(cur: Cursor) -> tuple[bool, str | None]:
    """Table options, partitioning and `[IGNORE|REPLACE] [AS] SELECT` after the elements."""
    comment = None
    depth = 0
    while not cur.at_end():
        token = cur.peek()
        if token.token_type == TokenType.L_PAREN:
            depth += 1
        elif token.token_type == TokenType.R_PAREN:
            depth -= 1
        elif depth == 0:
            word = cur.word()
            if word in ("AS", "SELECT", "WITH", "VALUES", "TABLE"):
                cur.i = cur.n
                return True, comment
            if word == "COMMENT":
                cur.i += 1
                cur.accept("=")
                if cur.at_type(TokenType.STRING):
                    comment = cur.peek().text
                continue
        cur.i += 1
    return False, comment


def _sqlite_tail(cur: Cursor) -> tuple[bool, str | None]:
    if cur.accept("AS"):
        cur.i = cur.n
        return True, None
    while not cur.at_end():
        if cur.accept("WITHOUT"):
            cur.expect("ROWID")
        elif not cur.accept("STRICT"):
            raise cur.error("WITHOUT ROWID, STRICT or end of statement")
        if not cur.accept(","):
            break
    if not cur.at_end():
        raise cur.error("end of statement")
    return False, None


def _create_index(frame: Frame) -> a.CreateIndex:
    cur = frame.cur
    cur.accept_any("ONLINE", "OFFLINE")
    kind = cur.accept_any("UNIQUE", "FULLTEXT", "SPATIAL")
    method = kind.lower() if kind in ("FULLTEXT", "SPATIAL") else "btree"
    cur.expect("INDEX")
    if_not_exists = cur.accept_if_not_exists()
    name, schema = cur.qualified_name("an index name")
    method = index_type(cur, method)
    cur.expect("ON")
    table_name, table_schema = cur.qualified_name("a table name")
    elements = key_parts(cur)
    predicate = None
    if cur.sqlite:
        if cur.accept("WHERE"):
            if cur.at_end():
                raise cur.error("an expression")
            predicate = cur.raw(cur.i, cur.n - 1)
            cur.i = cur.n
    else:
        method = index_options(cur, method)
        _algorithm_and_lock(cur)
    if not cur.at_end():
        raise cur.error("end of statement")
    if cur.sqlite and table_schema is None:
        table_schema = schema  # SQLite: the index's database is its table's
    index = Index(
        name=name,
        table=Name(table_name, table_schema),
        elements=elements,
        unique=kind == "UNIQUE",
        method=method,
        predicate=predicate,
        span=frame.span,
    )
    return a.CreateIndex(span=frame.span, index=index, if_not_exists=if_not_exists, schema=schema)


def _algorithm_and_lock(cur: Cursor) -> None:
    while cur.accept_any("ALGORITHM", "LOCK"):
        cur.accept("=")
        cur.value("an ALGORITHM or LOCK value")


# --- DROP -----------------------------------------------------------------------------
def drop(frame: Frame) -> Translation:
    cur = frame.cur
    cur.expect("DROP")
    temporary = cur.accept_any("TEMPORARY", "TEMP") is not None
    word = cur.word()
    if word == "TABLE":
        cur.i += 1
        if_exists = cur.accept_if_exists()
        tables = _name_list(cur, "a table name")
        cascade = cur.accept_any("CASCADE", "RESTRICT") == "CASCADE"
        _end(cur)
        return "drop table", [a.DropTable(span=frame.span, tables=tables, if_exists=if_exists, cascade=cascade)]
    if temporary:
        raise cur.error("TABLE")
    if word == "INDEX" or (not cur.sqlite and word in ("ONLINE", "OFFLINE") and cur.word(1) == "INDEX"):
        return "drop index", [_drop_index(frame)]
    if word == "VIEW":
        cur.i += 1
        if_exists = cur.accept_if_exists()
        views = _name_list(cur, "a view name")
        cascade = cur.accept_any("CASCADE", "RESTRICT") == "CASCADE"
        _end(cur)
        return "drop view", [a.DropView(span=frame.span, views=views, if_exists=if_exists, cascade=cascade)]
    if not cur.sqlite and word in ("DATABASE", "SCHEMA"):
        cur.i += 1
        if_exists = cur.accept_if_exists()
        name = cur.name("a database name")
        _end(cur)
        return "drop schema", [a.DropSchema(span=frame.span, schemas=(name,), if_exists=if_exists)]
    if word in (_SQLITE_OBJECTS if cur.sqlite else _MYSQL_DROPPABLE):
        what = f"drop {word.lower()}"
        return what, [a.Opaque(span=frame.span, what=what)]
    raise cur.error("the kind of object to drop (TABLE, INDEX, VIEW, …)")


def _drop_index(frame: Frame) -> a.DropIndex:
    cur = frame.cur
    cur.accept_any("ONLINE", "OFFLINE")
    cur.expect("INDEX")
    if_exists = cur.accept_if_exists()
    name, schema = cur.qualified_name("an index name")
    table = None
    if not cur.sqlite:
        cur.expect("ON")
        table_name, table_schema = cur.qualified_name("a table name")
        table = Name(table_name, table_schema)
        _algorithm_and_lock(cur)
    _end(cur)
    return a.DropIndex(span=frame.span, indexes=(Name(name, schema),), if_exists=if_exists, table=table)


def _name_list(cur: Cursor, what: str) -> tuple[Name, ...]:
    names = []
    while True:
        name, schema = cur.qualified_name(what)
        names.append(Name(name, schema))
        if not cur.accept(","):
            return tuple(names)


def _end(cur: Cursor) -> None:
    if not cur.at_end():
        raise cur.error("end of statement")


# --- RENAME TABLE, TRUNCATE -----------------------------------------------------------
def rename(frame: Frame) -> Translation:
    """MySQL `RENAME TABLE a TO b [, c TO d]` (the cursor starts after RENAME)."""
    cur = frame.cur
    if cur.word() != "TABLE":
        if cur.word() == "USER":
            return "rename user", [a.Opaque(span=frame.span, what="rename user")]
        raise cur.error("TABLE or USER")
    cur.i += 1
    actions: list[a.Action] = []
    while True:
        old, old_schema = cur.qualified_name("a table name")
        cur.expect("TO")
        new, _ = cur.qualified_name("a table name")
        actions.append(a.RenameTable(span=frame.span, table=Name(old, old_schema), new_name=new))
        if not cur.accept(","):
            break
    _end(cur)
    return "rename table", actions


def truncate(frame: Frame) -> Translation:
    cur = frame.cur
    cur.expect("TRUNCATE")
    cur.accept("TABLE")
    name, schema = cur.qualified_name("a table name")
    _end(cur)
    return "truncate", [a.Truncate(span=frame.span, tables=(Name(name, schema),))]
