"""ALTER TABLE of MySQL/MariaDB (every clause migrations use) and SQLite (its four forms).

Each clause becomes its own actions, spanning the clause from its first keyword. MySQL's
MODIFY and CHANGE replace the whole column definition, so they become the set of actions
that makes the replayed column equal the new definition: type, nullability, default,
AUTO_INCREMENT and comment, plus any inline key it declares.
"""

from __future__ import annotations

from sqlglot.tokens import TokenType

from linter import actions as a
from linter.dialects.sg_columns import (
    ColumnDefinition,
    parse_column,
    parse_default,
    parse_table_constraint,
    starts_table_constraint,
)
from linter.dialects.sg_create import Translation
from linter.dialects.sg_cursor import Frame
from linter.dialects.sg_types import mysql_default
from linter.findings import Span
from linter.schema import Index, Name

_OTHER_ALTERS = frozenset(
    {
        "DATABASE",
        "SCHEMA",
        "VIEW",
        "FUNCTION",
        "PROCEDURE",
        "EVENT",
        "USER",
        "SERVER",
        "TABLESPACE",
        "LOGFILE",
        "INSTANCE",
        "RESOURCE",
        "SEQUENCE",
        "ALGORITHM",
        "DEFINER",
        "SQL",
    }
)
_TABLE_OPTIONS = frozenset(
    {
        "AUTOEXTEND_SIZE",
        "AUTO_INCREMENT",
        "AVG_ROW_LENGTH",
        "CHARSET",
        "CHECKSUM",
        "COLLATE",
        "COMMENT",
        "COMPRESSION",
        "CONNECTION",
        "DELAY_KEY_WRITE",
        "ENCRYPTION",
        "ENGINE",
        "ENGINE_ATTRIBUTE",
        "INSERT_METHOD",
        "KEY_BLOCK_SIZE",
        "MAX_ROWS",
        "MIN_ROWS",
        "PACK_KEYS",
        "PASSWORD",
        "ROW_FORMAT",
        "SECONDARY_ENGINE_ATTRIBUTE",
        "STATS_AUTO_RECALC",
        "STATS_PERSISTENT",
        "STATS_SAMPLE_PAGES",
        "TABLESPACE",
        "UNION",
        "PAGE_CHECKSUM",
        "PAGE_COMPRESSED",
        "PAGE_COMPRESSION_LEVEL",
        "TRANSACTIONAL",
        "ENCRYPTED",
        "ENCRYPTION_KEY_ID",
    }
)
_PARTITION_OPS = frozenset(
    {
        "ANALYZE",
        "CHECK",
        "OPTIMIZE",
        "REBUILD",
        "REPAIR",
        "TRUNCATE",
        "COALESCE",
        "REORGANIZE",
        "EXCHANGE",
        "DISCARD",
        "IMPORT",
    }
)
_VALUE_TYPES = frozenset({TokenType.STRING, TokenType.NUMBER, TokenType.IDENTIFIER})


def alter(frame: Frame) -> Translation:
    cur = frame.cur
    cur.expect("ALTER")
    if not cur.sqlite:
        cur.accept_any("ONLINE", "OFFLINE")
        cur.accept("IGNORE")
    if not cur.accept("TABLE"):
        word = cur.word()
        if not cur.sqlite and word in _OTHER_ALTERS:
            what = f"alter {word.lower()}"
            return what, [a.Opaque(span=frame.span, what=what)]
        raise cur.error("TABLE")
    if not cur.sqlite:
        cur.accept_if_exists()
    name, schema = cur.qualified_name("a table name")
    reader = _AlterReader(frame, Name(name, schema))
    return "alter table", reader.read()


class _AlterReader:
    __slots__ = ("actions", "cur", "first", "frame", "table")

    def __init__(self, frame: Frame, table: Name) -> None:
        self.frame = frame
        self.cur = frame.cur
        self.table = table
        self.first = 0
        self.actions: list[a.Action] = []

    def span(self) -> Span:
        return self.frame.span_of(self.first, self.cur.i - 1)

    def read(self) -> list[a.Action]:
        cur = self.cur
        if cur.at_end():
            if cur.sqlite:
                raise cur.error("RENAME, ADD or DROP")
            return []  # MySQL accepts a bare ALTER TABLE t (it rebuilds the table)
        while True:
            self.first = cur.i
            option = self._clause()
            if cur.at_end():
                return self.actions
            if cur.sqlite:
                raise cur.error("end of statement")
            if cur.accept(","):
                if cur.at_end():
                    raise cur.error("an ALTER TABLE clause")
                continue
            if option and self._starts_table_option():
                continue  # MySQL table options need no comma between them
            if cur.word() == "PARTITION":
                continue
            raise cur.error("',' or end of statement")

    def _clause(self) -> bool:
        """Read one clause into `self.actions`; True when it was a table option."""
        cur = self.cur
        word = cur.word()
        if word == "ADD":
            self._add()
        elif word == "DROP":
            self._drop()
        elif word == "RENAME":
            self._rename()
        elif cur.sqlite:
            raise cur.error("RENAME, ADD or DROP")
        elif word == "MODIFY":
            cur.i += 1
            cur.accept("COLUMN")
            cur.accept_if_exists()
            self._redefine(None, parse_column(cur, self.table, self.frame.span_of, allow_position=True))
        elif word == "CHANGE":
            cur.i += 1
            cur.accept("COLUMN")
            cur.accept_if_exists()
            old = cur.name("a column name")
            self._redefine(old, parse_column(cur, self.table, self.frame.span_of, allow_position=True))
        elif word == "ALTER":
            self._alter()
        elif self._starts_table_option():
            self._table_option()
            return True
        else:
            self._mysql_other()
        return False

    # --- ADD ----------------------------------------------------------------------------
    def _add(self) -> None:
        cur = self.cur
        cur.expect("ADD")
        if cur.accept("COLUMN"):
            if_not_exists = not cur.sqlite and cur.accept_if_not_exists()
            if not cur.sqlite and cur.at("("):
                self._add_columns(if_not_exists)
            else:
                self._add_column(if_not_exists)
            return
        if cur.sqlite:
            if starts_table_constraint(cur):
                raise cur.error("COLUMN or a column definition")
            self._add_column(False)
            return
        if cur.at("("):
            self._add_columns(False)
        elif starts_table_constraint(cur):
            constraint, if_not_exists = parse_table_constraint(cur, self.table)
            constraint.span = self.frame.span_of(self.first + 1, cur.i - 1)
            if isinstance(constraint, Index) and constraint.constraint is None:
                self.actions.append(a.CreateIndex(span=self.span(), index=constraint, if_not_exists=if_not_exists))
            else:
                self.actions.append(a.AddConstraint(span=self.span(), table=self.table, constraint=constraint))
        elif cur.word() == "PARTITION":
            self._partition("add partition")
        else:
            self._add_column(cur.accept_if_not_exists())

    def _add_column(self, if_not_exists: bool) -> None:
        definition = parse_column(self.cur, self.table, self.frame.span_of, allow_position=not self.cur.sqlite)
        self.actions.append(
            a.AddColumn(
                span=self.span(),
                table=self.table,
                column=definition.column,
                constraints=tuple(definition.constraints),
                if_not_exists=if_not_exists,
            )
        )

    def _add_columns(self, if_not_exists: bool) -> None:
        cur = self.cur
        cur.expect("(")
        definitions = [parse_column(cur, self.table, self.frame.span_of)]
        while cur.accept(","):
            definitions.append(parse_column(cur, self.table, self.frame.span_of))
        cur.expect(")")
        span = self.span()
        for definition in definitions:
            self.actions.append(
                a.AddColumn(
                    span=span,
                    table=self.table,
                    column=definition.column,
                    constraints=tuple(definition.constraints),
                    if_not_exists=if_not_exists,
                )
            )

    # --- DROP ---------------------------------------------------------------------------
    def _drop(self) -> None:
        cur = self.cur
        table = self.table
        cur.expect("DROP")
        if not cur.sqlite:
            if cur.accept("PRIMARY", "KEY"):
                self.actions.append(a.DropConstraint(span=self.span(), table=table, name="PRIMARY", kind="primary"))
                return
            kind = None
            if cur.accept("FOREIGN", "KEY"):
                kind = "foreign"
            elif cur.accept_any("CHECK"):
                kind = "check"
            elif cur.accept_any("CONSTRAINT"):
                kind = "constraint"
            elif cur.accept_any("INDEX", "KEY"):
                kind = "index"
            elif cur.word() == "PARTITION":
                self._partition("drop partition")
                return
            if kind is not None:
                if_exists = cur.accept_if_exists()
                name = cur.name("a name")
                if kind == "index":
                    action: a.Action = a.DropIndex(
                        span=self.span(), indexes=(Name(name),), if_exists=if_exists, table=table
                    )
                else:
                    action = a.DropConstraint(
                        span=self.span(),
                        table=table,
                        name=name,
                        if_exists=if_exists,
                        kind=None if kind == "constraint" else kind,
                    )
                self.actions.append(action)
                return
        cur.accept("COLUMN")
        if_exists = not cur.sqlite and cur.accept_if_exists()
        column = cur.name("a column name")
        cascade = not cur.sqlite and cur.accept_any("CASCADE", "RESTRICT") == "CASCADE"
        self.actions.append(
            a.DropColumn(span=self.span(), table=table, column=column, if_exists=if_exists, cascade=cascade)
        )

    # --- RENAME -------------------------------------------------------------------------
    def _rename(self) -> None:
        cur = self.cur
        table = self.table
        cur.expect("RENAME")
        column_rename = cur.accept("COLUMN") or (
            cur.sqlite and cur.word() != "TO" and cur.is_name() and cur.word(1) == "TO"
        )
        if column_rename:
            old = cur.name("a column name")
            cur.expect("TO")
            new = cur.name("a column name")
            self.actions.append(a.RenameColumn(span=self.span(), table=table, column=old, new_name=new))
            return
        if not cur.sqlite and cur.accept_any("INDEX", "KEY"):
            old = cur.name("an index name")
            cur.expect("TO")
            new = cur.name("an index name")
            self.actions.append(a.RenameIndex(span=self.span(), index=Name(old), new_name=new, table=table))
            return
        if cur.sqlite:
            cur.expect("TO")
        else:
            cur.accept_any("TO", "AS")
        new, _ = cur.qualified_name("a table name")
        self.actions.append(a.RenameTable(span=self.span(), table=table, new_name=new))

    # --- MODIFY / CHANGE ----------------------------------------------------------------
    def _redefine(self, old: str | None, definition: ColumnDefinition) -> None:
        span = self.span()
        table = self.table
        column = definition.column
        name = column.name
        if old is not None and old != name:
            self.actions.append(a.RenameColumn(span=span, table=table, column=old, new_name=name))
        self.actions.append(a.AlterColumnType(span=span, table=table, column=name, type=column.type))
        if column.nullable:
            self.actions.append(a.DropNotNull(span=span, table=table, column=name))
        else:
            self.actions.append(a.SetNotNull(span=span, table=table, column=name))
        self.actions.append(a.SetDefault(span=span, table=table, column=name, default=column.default))
        self.actions.append(a.SetIdentity(span=span, table=table, column=name, identity=column.identity))
        self.actions.append(a.Comment(span=span, target="column", object=table, column=name, text=column.comment))
        for constraint in definition.constraints:
            self.actions.append(a.AddConstraint(span=span, table=table, constraint=constraint))

    # --- ALTER [COLUMN] -----------------------------------------------------------------
    def _alter(self) -> None:
        cur = self.cur
        cur.expect("ALTER")
        if cur.accept("INDEX"):
            cur.name("an index name")
            if cur.accept_any("VISIBLE", "INVISIBLE", "IGNORED") is None and not cur.accept("NOT", "IGNORED"):
                raise cur.error("VISIBLE or INVISIBLE")
            self.actions.append(a.TableOption(span=self.span(), table=self.table, option="alter index"))
            return
        if cur.accept_any("CHECK", "CONSTRAINT"):
            cur.name("a constraint name")
            cur.accept("NOT")
            cur.expect("ENFORCED")
            self.actions.append(a.TableOption(span=self.span(), table=self.table, option="alter constraint"))
            return
        cur.accept("COLUMN")
        column = cur.name("a column name")
        if cur.accept("SET", "DEFAULT"):
            # The column's type is not known here: the literal gets the server's spelling,
            # the replay converts it to the column's type.
            default = mysql_default(parse_default(cur), None)
        elif cur.accept("DROP", "DEFAULT"):
            default = None
        elif cur.accept("SET") and cur.accept_any("VISIBLE", "INVISIBLE"):
            return
        else:
            raise cur.error("SET DEFAULT, DROP DEFAULT, SET VISIBLE or SET INVISIBLE")
        self.actions.append(a.SetDefault(span=self.span(), table=self.table, column=column, default=default))

    # --- table options and the rest -----------------------------------------------------
    def _starts_table_option(self) -> bool:
        cur = self.cur
        word = cur.word()
        if word == "DEFAULT":
            return cur.word(1) in ("CHARACTER", "CHARSET", "COLLATE")
        if word == "CHARACTER":
            return cur.word(1) == "SET"
        if word == "DATA":
            return cur.word(1) == "DIRECTORY"
        return word in _TABLE_OPTIONS

    def _table_option(self) -> None:
        cur = self.cur
        cur.accept("DEFAULT")
        if cur.accept("CHARACTER", "SET"):
            option = "character set"
        elif cur.accept("DATA", "DIRECTORY"):
            option = "data directory"
        else:
            option = cur.advance().text.lower()
            if option == "charset":
                option = "character set"
        cur.accept("=")
        token = cur.peek()
        if token is None:
            raise cur.error("a value")
        if token.token_type == TokenType.L_PAREN:
            cur.skip_group()
        elif token.token_type in _VALUE_TYPES or cur.word() is not None:
            cur.i += 1
        else:
            raise cur.error("a value")
        if option == "comment":
            self.actions.append(a.Comment(span=self.span(), target="table", object=self.table, text=token.text))
        else:
            self.actions.append(a.TableOption(span=self.span(), table=self.table, option=option))

    def _mysql_other(self) -> None:
        cur = self.cur
        if cur.accept("CONVERT", "TO"):
            if not (cur.accept("CHARACTER", "SET") or cur.accept("CHARSET")):
                raise cur.error("CHARACTER SET")
            cur.value("a character set")
            if cur.accept("COLLATE"):
                cur.value("a collation")
            self.actions.append(a.TableOption(span=self.span(), table=self.table, option="convert to character set"))
        elif cur.accept_any("ALGORITHM", "LOCK"):
            cur.accept("=")
            cur.value("a value")  # how MySQL runs the statement, not what it changes
        elif cur.accept("FORCE"):
            self.actions.append(a.TableOption(span=self.span(), table=self.table, option="force"))
        elif cur.accept("ORDER", "BY"):
            cur.name("a column name")
            cur.accept_any("ASC", "DESC")
            self.actions.append(a.TableOption(span=self.span(), table=self.table, option="order by"))
        elif cur.accept_any("ENABLE", "DISABLE"):
            cur.expect("KEYS")
            option = cur.tokens[self.first].text.lower() + " keys"
            self.actions.append(a.TableOption(span=self.span(), table=self.table, option=option))
        elif cur.at("DISCARD", "TABLESPACE") or cur.at("IMPORT", "TABLESPACE"):
            option = cur.advance().text.lower() + " tablespace"
            cur.i += 1
            self.actions.append(a.TableOption(span=self.span(), table=self.table, option=option))
        elif cur.accept_any("WITH", "WITHOUT"):
            cur.expect("VALIDATION")
        elif cur.word() in ("PARTITION", "REMOVE", "UPGRADE") or (
            cur.word() in _PARTITION_OPS and cur.word(1) == "PARTITION"
        ):
            self._partition("partition")
        else:
            raise cur.error("an ALTER TABLE clause")

    def _partition(self, option: str) -> None:
        """Partition maintenance: kept as one opaque option up to the next top-level comma
        (PARTITION BY … runs to the end of the statement)."""
        cur = self.cur
        by = cur.at("PARTITION", "BY")
        depth = 0
        while not cur.at_end():
            token_type = cur.peek().token_type
            if token_type == TokenType.L_PAREN:
                depth += 1
            elif token_type == TokenType.R_PAREN:
                depth -= 1
            elif token_type == TokenType.COMMA and depth == 0 and not by:
                break
            cur.i += 1
        self.actions.append(a.TableOption(span=self.span(), table=self.table, option=option))
