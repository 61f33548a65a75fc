"""Column definitions, table constraints and key lists of MySQL/MariaDB and SQLite DDL.

Read from tokens with `Cursor` (see `sg_cursor` for why). Types keep their declared
spelling in lower case (`bigint unsigned`, `enum('a','b')`, SQLite's free-form
`varying character(255)`); defaults, CHECK and generated expressions keep their source text.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlglot.tokens import TokenType

from linter.dialects.sg_cursor import Cursor, type_text
from linter.dialects.sg_types import mysql_default, mysql_type
from linter.findings import Span
from linter.records import Record, field
from linter.schema import Check, Column, Constraint, ForeignKey, Index, IndexElement, Name, PrimaryKey

SpanOf = Callable[[int, int], Span]  # token indexes (first, last) -> file span

# Words that end a column's type: they start its attributes.
_TYPE_STOP = frozenset(
    {"CONSTRAINT", "PRIMARY", "NOT", "NULL", "UNIQUE", "CHECK", "DEFAULT", "COLLATE", "REFERENCES", "GENERATED", "AS"}
)
_MYSQL_TYPE_STOP = _TYPE_STOP | frozenset(
    {
        "AUTO_INCREMENT",
        "KEY",
        "COMMENT",
        "ON",
        "CHARSET",
        "VISIBLE",
        "INVISIBLE",
        "COLUMN_FORMAT",
        "STORAGE",
        "SRID",
        "STORED",
        "VIRTUAL",
        "PERSISTENT",
        "FIRST",
        "AFTER",
        "ENGINE_ATTRIBUTE",
        "SECONDARY_ENGINE_ATTRIBUTE",
        "WITH",
        "WITHOUT",
    }
)
# Words that may follow a MySQL type's first word (`double precision`, `int unsigned zerofill`,
# `national char varying`, `long varbinary`); any other word starts the attributes.
_MYSQL_TYPE_WORDS = frozenset(
    {"UNSIGNED", "SIGNED", "ZEROFILL", "PRECISION", "VARYING", "VARCHAR", "VARBINARY", "CHAR", "CHARACTER"}
    | {"BINARY", "ASCII", "UNICODE", "BYTE", "INT", "INTEGER"}
)
_SQLITE_TYPE_STOP = _TYPE_STOP | frozenset({"AUTOINCREMENT"})
_TABLE_CONSTRAINTS = frozenset({"CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK"})
_MYSQL_INDEXES = frozenset({"INDEX", "KEY", "FULLTEXT", "SPATIAL"})
_CONFLICT = ("ROLLBACK", "ABORT", "FAIL", "IGNORE", "REPLACE")


class ColumnDefinition(Record):
    column: Column
    constraints: list[Constraint] = field(default_factory=list)  # inline PRIMARY KEY, UNIQUE, REFERENCES, CHECK


def starts_table_constraint(cur: Cursor) -> bool:
    word = cur.word()
    return word in _TABLE_CONSTRAINTS or (not cur.sqlite and word in _MYSQL_INDEXES)


# --- columns --------------------------------------------------------------------------
def parse_column(cur: Cursor, table: Name, span_of: SpanOf, allow_position: bool = False) -> ColumnDefinition:
    first = cur.i
    name = cur.name("a column name")
    column = Column(name=name, type=_parse_type(cur, name))
    definition = ColumnDefinition(column)
    last = cur.i - 1
    symbol: str | None = None
    symbol_first: int | None = None
    while not (cur.at_end() or cur.at(",") or cur.at(")")):
        if cur.at("CONSTRAINT"):
            symbol_first = cur.i
            cur.i += 1
            symbol = cur.name("a constraint name") if cur.is_name() and cur.word() not in _CONSTRAINT_WORDS else None
            continue
        attribute_first = cur.i if symbol_first is None else symbol_first
        known = len(definition.constraints)
        if _column_attribute(cur, table, definition, symbol, allow_position):
            last = cur.i - 1  # FIRST / AFTER x place the column; they are not its definition
        for constraint in definition.constraints[known:]:
            constraint.span = span_of(attribute_first, cur.i - 1)  # inline keys point at themselves
        symbol = symbol_first = None
    column.span = span_of(first, last)
    if cur.sqlite:
        return definition
    if column.type == "serial":
        # MySQL: SERIAL is BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE.
        column.nullable = False
        column.identity = "by default"
        unique = Index(name=None, table=table, elements=[IndexElement(name)], unique=True, constraint="unique")
        unique.span = column.span
        definition.constraints.insert(0, unique)
    if any(isinstance(constraint, PrimaryKey) for constraint in definition.constraints):
        column.nullable = False  # MySQL makes key columns NOT NULL (SQLite does not)
    # The server's spelling of the type and default (`integer` -> `int`, `'7'` -> `7`).
    column.type = mysql_type(column.type)
    column.default = mysql_default(column.default, column.type)
    return definition


_CONSTRAINT_WORDS = frozenset(
    {"PRIMARY", "UNIQUE", "CHECK", "REFERENCES", "NOT", "NULL", "DEFAULT", "COLLATE", "FOREIGN", "GENERATED"}
)


def _parse_type(cur: Cursor, column: str) -> str:
    stop = _SQLITE_TYPE_STOP if cur.sqlite else _MYSQL_TYPE_STOP
    first = cur.i
    while not cur.at_end():
        word = cur.word()
        if word is None:
            if cur.at_type(TokenType.L_PAREN) and cur.i > first:
                cur.skip_group()
                if cur.sqlite:
                    break  # SQLite: a type is names, then at most one (n) or (n, m)
                continue
            break
        if word in stop or (word == "CHARACTER" and cur.word(1) == "SET"):
            break
        if not cur.sqlite and cur.i > first and word not in _MYSQL_TYPE_WORDS:
            break
        cur.i += 1
    if cur.i == first:
        if not cur.sqlite:
            raise cur.error(f"a data type for column {column!r}")
        return ""
    return type_text(cur, first, cur.i - 1)


def _column_attribute(
    cur: Cursor, table: Name, definition: ColumnDefinition, symbol: str | None, allow_position: bool
) -> bool:
    """Read one attribute; False when it was a position (FIRST / AFTER x) rather than part
    of the definition."""
    column = definition.column
    own = [IndexElement(column.name)]
    word = cur.word()
    if cur.accept("NOT"):
        cur.expect("NULL")
        column.nullable = False
        _on_conflict(cur)
    elif cur.accept("NULL"):
        column.nullable = True
    elif cur.accept("DEFAULT"):
        column.default = parse_default(cur)
    elif word in ("AUTO_INCREMENT", "AUTOINCREMENT"):
        cur.i += 1
        column.identity = "by default"
    elif cur.accept("PRIMARY", "KEY") or (not cur.sqlite and cur.accept("KEY")):
        cur.accept_any("ASC", "DESC")
        _on_conflict(cur)
        if cur.accept("AUTOINCREMENT"):
            column.identity = "by default"
        definition.constraints.append(PrimaryKey(name=symbol if cur.sqlite else None, columns=[column.name]))
    elif cur.accept("UNIQUE"):
        if not cur.sqlite:
            cur.accept("KEY")
        _on_conflict(cur)
        definition.constraints.append(Index(name=symbol, table=table, elements=own, unique=True, constraint="unique"))
    elif word == "CHECK":
        # MariaDB names a column's own CHECK after the column (it takes no CONSTRAINT name there).
        definition.constraints.append(parse_check(cur, symbol or (None if cur.sqlite else column.name)))
    elif word == "REFERENCES":
        definition.constraints.append(parse_references(cur, symbol, [column.name]))
    elif cur.accept("COMMENT"):
        if not cur.at_type(TokenType.STRING):
            raise cur.error("a comment string")
        column.comment = cur.advance().text
    elif cur.accept("COLLATE"):
        cur.value("a collation")
    elif cur.accept("CHARACTER", "SET") or cur.accept("CHARSET"):
        cur.value("a character set")
    elif cur.accept("ON", "UPDATE"):
        parse_default(cur)  # ON UPDATE CURRENT_TIMESTAMP: not part of the schema model
    elif cur.accept("GENERATED", "ALWAYS", "AS") or cur.accept("AS"):
        open_index, close_index = cur.skip_group()
        column.generated = cur.raw(open_index + 1, close_index - 1)
        cur.accept_any("STORED", "VIRTUAL", "PERSISTENT")
    elif cur.accept("SERIAL", "DEFAULT", "VALUE"):
        # MySQL: an alias for NOT NULL AUTO_INCREMENT UNIQUE.
        column.nullable = False
        column.identity = "by default"
        definition.constraints.append(Index(name=None, table=table, elements=own, unique=True, constraint="unique"))
    elif not cur.sqlite and _mysql_column_option(cur):
        pass
    elif allow_position and cur.accept("FIRST"):
        return False
    elif allow_position and cur.accept("AFTER"):
        cur.name("a column name")
        return False
    else:
        raise cur.unexpected(f"the definition of column {column.name!r}")
    return True


def _mysql_column_option(cur: Cursor) -> bool:
    if cur.accept_any("VISIBLE", "INVISIBLE", "STORED", "VIRTUAL", "PERSISTENT"):
        return True
    if cur.accept("COLUMN_FORMAT"):
        return cur.accept_any("FIXED", "DYNAMIC", "DEFAULT") is not None or _fail(cur, "FIXED, DYNAMIC or DEFAULT")
    if cur.accept("STORAGE"):
        return cur.accept_any("DISK", "MEMORY", "DEFAULT") is not None or _fail(cur, "DISK or MEMORY")
    if cur.accept("SRID"):
        return _take(cur, TokenType.NUMBER, "a number")
    if cur.accept_any("ENGINE_ATTRIBUTE", "SECONDARY_ENGINE_ATTRIBUTE"):
        cur.accept("=")
        return _take(cur, TokenType.STRING, "a string")
    return cur.accept("WITH", "SYSTEM", "VERSIONING") or cur.accept("WITHOUT", "SYSTEM", "VERSIONING")


def _take(cur: Cursor, token_type: TokenType, what: str) -> bool:
    if not cur.at_type(token_type):
        raise cur.error(what)
    cur.i += 1
    return True


def _fail(cur: Cursor, what: str) -> bool:
    raise cur.error(what)


def _on_conflict(cur: Cursor) -> None:
    if cur.sqlite and cur.accept("ON", "CONFLICT") and cur.accept_any(*_CONFLICT) is None:
        raise cur.error("ROLLBACK, ABORT, FAIL, IGNORE or REPLACE")


def parse_default(cur: Cursor) -> str | None:
    """A DEFAULT (or ON UPDATE) value as written; None for NULL."""
    first = cur.i
    if cur.at("-") or cur.at("+"):
        cur.i += 1
    token = cur.peek()
    if token is None:
        raise cur.error("a default value")
    if token.token_type == TokenType.L_PAREN:
        cur.skip_group()
    else:
        if cur.word() is None and token.token_type not in _VALUE_TOKENS:
            raise cur.error("a default value")
        if token.token_type == TokenType.INTRODUCER:  # _utf8mb4'text'
            cur.i += 1
        cur.i += 1
        if cur.at_type(TokenType.L_PAREN):  # CURRENT_TIMESTAMP(3), now()
            cur.skip_group()
    text = cur.raw(first, cur.i - 1)
    return None if text.upper() == "NULL" else text


_VALUE_TOKENS = frozenset(
    {
        TokenType.STRING,
        TokenType.NATIONAL_STRING,
        TokenType.BIT_STRING,
        TokenType.HEX_STRING,
        TokenType.BYTE_STRING,
        TokenType.NUMBER,
        TokenType.INTRODUCER,
        TokenType.IDENTIFIER,
    }
)


# --- constraints ----------------------------------------------------------------------
def parse_check(cur: Cursor, symbol: str | None) -> Check:
    cur.expect("CHECK")
    open_index, close_index = cur.skip_group()
    expression = cur.raw(open_index + 1, close_index - 1)
    validated = not cur.accept("NOT", "ENFORCED")
    cur.accept("ENFORCED")
    names = _names_in(cur, open_index + 1, close_index - 1)
    return Check(
        name=symbol,
        expression=expression,
        validated=validated,
        not_null_column=_not_null_column(cur, open_index + 1, close_index - 1),
        columns=names,
    )


def _names_in(cur: Cursor, first: int, last: int) -> list[str]:
    """Column names an expression mentions: plain words and quoted names that are not
    function names or qualifiers."""
    names: list[str] = []
    tokens = cur.tokens
    for j in range(first, last + 1):
        token = tokens[j]
        if token.token_type not in (TokenType.VAR, TokenType.IDENTIFIER):
            continue
        following = tokens[j + 1].token_type if j + 1 <= last else None
        if following in (TokenType.L_PAREN, TokenType.DOT):
            continue
        if token.text not in names:
            names.append(token.text)
    return names


def _not_null_column(cur: Cursor, first: int, last: int) -> str | None:
    while last - first >= 2 and cur.tokens[first].token_type == TokenType.L_PAREN and cur.group_end(first) == last:
        first, last = first + 1, last - 1
    is_not_null = [cur.word_at(j) for j in range(first + 1, last + 1)] == ["IS", "NOT", "NULL"]
    return cur.tokens[first].text if is_not_null and cur.is_name_at(first) else None


def parse_references(cur: Cursor, symbol: str | None, columns: list[str]) -> ForeignKey:
    cur.expect("REFERENCES")
    ref_name, ref_schema = cur.qualified_name("a table name")
    ref_columns = name_list(cur) if cur.at_type(TokenType.L_PAREN) else []
    fk = ForeignKey(name=symbol, columns=columns, ref_table=Name(ref_name, ref_schema), ref_columns=ref_columns)
    while True:
        if cur.accept("ON", "DELETE"):
            fk.on_delete = _ref_action(cur)
        elif cur.accept("ON", "UPDATE"):
            fk.on_update = _ref_action(cur)
        elif cur.accept("MATCH"):
            cur.value("FULL, PARTIAL or SIMPLE")
        elif cur.accept("NOT", "DEFERRABLE"):
            _initially(cur)
        elif cur.accept("DEFERRABLE"):
            fk.deferrable = True
            _initially(cur)
        else:
            return fk


def _initially(cur: Cursor) -> None:
    if cur.accept("INITIALLY") and cur.accept_any("DEFERRED", "IMMEDIATE") is None:
        raise cur.error("DEFERRED or IMMEDIATE")


def _ref_action(cur: Cursor) -> str:
    if cur.accept("SET", "NULL"):
        return "set null"
    if cur.accept("SET", "DEFAULT"):
        return "set default"
    if cur.accept("NO", "ACTION"):
        return "no action"
    word = cur.accept_any("RESTRICT", "CASCADE")
    if word is None:
        raise cur.error("CASCADE, RESTRICT, SET NULL, SET DEFAULT or NO ACTION")
    return word.lower()


def name_list(cur: Cursor) -> list[str]:
    cur.expect("(")
    names = [cur.name("a column name")]
    while cur.accept(","):
        names.append(cur.name("a column name"))
    cur.expect(")")
    return names


def key_parts(cur: Cursor) -> list[IndexElement]:
    """`(a, b(10) DESC, (lower(c)))`: columns, prefixes (kept as the column) and expressions."""
    open_index, close_index = cur.skip_group()
    elements: list[IndexElement] = []
    start = open_index + 1
    depth = 0
    for j in range(open_index + 1, close_index + 1):
        token_type = cur.tokens[j].token_type
        if token_type == TokenType.L_PAREN:
            depth += 1
        elif token_type == TokenType.R_PAREN and j < close_index:
            depth -= 1
        elif (token_type == TokenType.COMMA and depth == 0) or j == close_index:
            elements.append(_key_part(cur, start, j - 1))
            start = j + 1
    return elements


def _key_part(cur: Cursor, first: int, last: int) -> IndexElement:
    if last < first:  # `()` or `(a,,b)`: `first` is the `,` or `)` where a key part belongs
        cur.i = first
        raise cur.error("a column or expression")
    descending = False
    if cur.word_at(last) in ("ASC", "DESC"):
        descending = cur.word_at(last) == "DESC"
        last -= 1
    if last - first >= 2 and cur.word_at(last - 1) == "COLLATE":
        last -= 2
    token = cur.tokens[first]
    plain = token.token_type == TokenType.IDENTIFIER or cur.word_at(first) is not None
    if plain and (last == first or _is_prefix_length(cur, first + 1, last)):
        return IndexElement(token.text, descending=descending)
    if cur.tokens[first].token_type == TokenType.L_PAREN and cur.group_end(first) == last:
        first, last = first + 1, last - 1
    return IndexElement(cur.raw(first, last), is_expression=True, descending=descending)


def _is_prefix_length(cur: Cursor, first: int, last: int) -> bool:
    tokens = cur.tokens
    return (
        last == first + 2
        and tokens[first].token_type == TokenType.L_PAREN
        and tokens[first + 1].token_type == TokenType.NUMBER
        and tokens[last].token_type == TokenType.R_PAREN
    )


def parse_table_constraint(cur: Cursor, table: Name) -> tuple[Constraint, bool]:
    """A table constraint or MySQL index definition; also whether IF NOT EXISTS was given."""
    symbol: str | None = None
    if cur.accept("CONSTRAINT") and cur.is_name() and cur.word() not in ("PRIMARY", "UNIQUE", "FOREIGN", "CHECK"):
        symbol = cur.name("a constraint name")
    if cur.accept("PRIMARY", "KEY"):
        index_type(cur, "btree")
        columns = [element.text for element in key_parts(cur)]
        index_options(cur)
        return PrimaryKey(name=symbol if cur.sqlite else None, columns=columns), False
    if cur.accept("UNIQUE"):
        if not cur.sqlite:
            cur.accept_any("INDEX", "KEY")
        if_not_exists = cur.accept_if_not_exists()
        name = _optional_index_name(cur)
        method = index_type(cur, "btree")
        elements = key_parts(cur)
        method = index_options(cur, method)
        index = Index(
            name=name or symbol, table=table, elements=elements, unique=True, method=method, constraint="unique"
        )
        return index, if_not_exists
    if cur.accept("FOREIGN", "KEY"):
        if_not_exists = cur.accept_if_not_exists()
        # MariaDB names the constraint after the index name when no CONSTRAINT symbol is given.
        name = _optional_index_name(cur)
        columns = name_list(cur)
        return parse_references(cur, symbol or name, columns), if_not_exists
    if cur.word() == "CHECK":
        return parse_check(cur, symbol), False
    kind = None if symbol is not None or cur.sqlite else cur.accept_any(*_MYSQL_INDEXES)
    if kind is None:
        raise cur.error("PRIMARY KEY, UNIQUE, FOREIGN KEY or CHECK")
    method = "btree"
    if kind in ("FULLTEXT", "SPATIAL"):
        cur.accept_any("INDEX", "KEY")
        method = kind.lower()
    if_not_exists = cur.accept_if_not_exists()
    name = _optional_index_name(cur)
    method = index_type(cur, method)
    elements = key_parts(cur)
    method = index_options(cur, method)
    return Index(name=name, table=table, elements=elements, method=method), if_not_exists


def _optional_index_name(cur: Cursor) -> str | None:
    if cur.is_name() and cur.word() != "USING" and not cur.at_type(TokenType.L_PAREN):
        return cur.name("an index name")
    return None


def index_type(cur: Cursor, method: str) -> str:
    if cur.accept("USING"):
        return cur.value("BTREE, HASH or RTREE").lower()
    return method


def index_options(cur: Cursor, method: str = "btree") -> str:
    """MySQL index options after the key list (and SQLite's ON CONFLICT); returns the method."""
    while True:
        if cur.accept("USING"):
            method = cur.value("BTREE, HASH or RTREE").lower()
        elif cur.accept("KEY_BLOCK_SIZE"):
            cur.accept("=")
            _take(cur, TokenType.NUMBER, "a number")
        elif cur.accept("WITH", "PARSER"):
            cur.value("a parser name")
        elif cur.accept("COMMENT"):
            _take(cur, TokenType.STRING, "a comment string")
        elif cur.accept_any("VISIBLE", "INVISIBLE", "IGNORED") or cur.accept("NOT", "IGNORED"):
            pass
        elif cur.accept_any("ENGINE_ATTRIBUTE", "SECONDARY_ENGINE_ATTRIBUTE"):
            cur.accept("=")
            _take(cur, TokenType.STRING, "a string")
        elif cur.sqlite and cur.at("ON", "CONFLICT"):
            _on_conflict(cur)
        else:
            return method
