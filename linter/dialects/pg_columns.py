"""Column definitions and constraints of PostgreSQL statements, as schema objects.

Shared by CREATE TABLE and ALTER TABLE: a `ColumnDef` becomes a `Column` plus the
constraints written inline, a `Constraint` node becomes a PrimaryKey / Index / ForeignKey /
Check. Every object gets the span of its own text.
"""

from __future__ import annotations

import re
from typing import Any

from linter.dialects import pg_scan
from linter.dialects.pg_context import StmtSource, range_name, strings
from linter.dialects.pg_expr import expr_text, index_column_name, retype_default
from linter.dialects.pg_names import sequence_name
from linter.dialects.pg_refs import column_refs, is_null, not_null_column
from linter.dialects.pg_types import column_type, quote_ident
from linter.dialects.pg_values import quote_literal
from linter.findings import Span
from linter.schema import Check, Column, Constraint, ForeignKey, Index, IndexElement, Name, PrimaryKey

_FK_ACTIONS = {"r": "restrict", "c": "cascade", "n": "set null", "d": "set default"}
_ON_DELETE = re.compile(r"\bon\s+delete\b", re.IGNORECASE)
_ON_UPDATE = re.compile(r"\bon\s+update\b", re.IGNORECASE)
_DEFAULT = frozenset({"default"})
_CHECK_OR_AS = frozenset({"check", "as"})


def _fk_action(code: str | None, pattern: re.Pattern[str], text: str) -> str | None:
    """An FK action; None when the SQL does not state one (the parser says "no action" for
    both, so the text decides)."""
    if code and code != "a":
        return _FK_ACTIONS.get(code)
    return "no action" if pattern.search(text) else None


class ColumnBuilder:
    """Builds columns and constraints of one table from one statement."""

    __slots__ = ("src", "table")

    def __init__(self, src: StmtSource, table: Name) -> None:
        self.src = src
        self.table = table

    # --- expressions -------------------------------------------------------------------------
    def _after_word(self, start: int, end: int, words: frozenset[str]) -> tuple[int, int]:
        """The range after the first of `words` in [start, end) (the whole range if absent)."""
        found = pg_scan.find_word(self.src.text, start, end, words)
        return (found[2], end) if found else (start, end)

    def _in_parens(self, start: int, end: int) -> tuple[int, int]:
        """The inside of the first parenthesised group in [start, end)."""
        text = self.src.text
        open_at = pg_scan.first_open(text, start, end)
        if open_at < 0:
            return start, end
        return open_at + 1, pg_scan.matching_close(text, open_at, end)

    def default_text(self, expr: dict[str, Any], start: int, end: int, column_type: str | None) -> str | None:
        """A DEFAULT's expression; [start, end) holds `DEFAULT <expr>`. The source text is
        located only when the printer needs it. `DEFAULT NULL` is `NULL` until the column's
        type says whether the server stores it (see `retype_default`)."""
        if is_null(expr):
            return retype_default("NULL", column_type) if column_type else "NULL"
        printed = expr_text(expr, lambda: self.src.text_of(*self._after_word(start, end, _DEFAULT)))
        return retype_default(printed, column_type) if column_type else printed

    def paren_expr(self, expr: dict[str, Any], start: int, end: int) -> str:
        """The expression of `CHECK (…)` or `GENERATED ALWAYS AS (…)` starting at `start`."""

        def source() -> str:
            keyword = pg_scan.find_word(self.src.text, start, end, _CHECK_OR_AS)
            return self.src.text_of(*self._in_parens(keyword[2] if keyword else start, end))

        return expr_text(expr, source)

    # --- columns -------------------------------------------------------------------------------
    def column(self, node: dict[str, Any], end: int, start: int | None = None) -> tuple[Column, list[Constraint]]:
        """A ColumnDef whose text ends at `end`, and its inline constraints; `start` is where
        the node's location puts it, if the caller knows already."""
        src = self.src
        if start is None:
            start = src.at(node.get("location"))
        name = node.get("colname", "")
        spelled, serial = column_type(node.get("typeName") or {})
        column = Column(name=name, type=spelled, span=src.trimmed(start, end))
        if serial:
            column.nullable = False
            sequence = sequence_name(self.table.name, name)
            qualified = (
                f"{quote_ident(self.table.schema)}.{quote_ident(sequence)}"
                if self._foreign_schema()
                else quote_ident(sequence)
            )
            column.default = f"nextval({quote_literal(qualified)}::regclass)"
        constraints: list[Constraint] = []
        items = [item["Constraint"] for item in node.get("constraints", ()) if "Constraint" in item]
        starts = [src.at(item.get("location")) for item in items]
        for index, item in enumerate(items):
            item_end = starts[index + 1] if index + 1 < len(items) else end
            self._column_constraint(column, item, starts[index], max(starts[index], item_end), constraints)
        return column, constraints

    def _foreign_schema(self) -> bool:
        return self.table.schema is not None and self.table.schema != "public"

    def _column_constraint(
        self, column: Column, item: dict[str, Any], start: int, end: int, constraints: list[Constraint]
    ) -> None:
        kind = item.get("contype")
        if kind == "CONSTR_NOTNULL":
            column.nullable = False
        elif kind == "CONSTR_NULL":
            column.nullable = True
        elif kind == "CONSTR_DEFAULT":
            column.default = self.default_text(item["raw_expr"], start, end, column.type)
        elif kind == "CONSTR_IDENTITY":
            column.identity = "always" if item.get("generated_when") == "a" else "by default"
            column.nullable = False
        elif kind == "CONSTR_GENERATED":
            column.generated = self.paren_expr(item["raw_expr"], start, end)
        elif kind in ("CONSTR_ATTR_DEFERRABLE", "CONSTR_ATTR_NOT_DEFERRABLE"):
            # A column constraint's attributes are separate nodes that modify the one before.
            if constraints and isinstance(constraints[-1], ForeignKey):
                constraints[-1].deferrable = kind == "CONSTR_ATTR_DEFERRABLE"
        else:
            if kind == "CONSTR_PRIMARY":
                column.nullable = False
            built = self.constraint(item, start, end, [column.name])
            if built is not None:
                constraints.append(built)

    # --- constraints ---------------------------------------------------------------------------
    def constraint(
        self, item: dict[str, Any], start: int, end: int, columns: list[str] | None = None, in_create: bool = False
    ) -> Constraint | None:
        """A constraint node whose text is [start, end); `columns` for a column constraint."""
        src = self.src
        span = src.trimmed(start, end)
        kind = item.get("contype")
        name = item.get("conname")
        keys = columns if columns is not None else strings(item.get("keys"))
        if kind == "CONSTR_PRIMARY":
            return PrimaryKey(name=name, columns=[] if item.get("indexname") else list(keys), span=span)
        if kind == "CONSTR_UNIQUE":
            elements = [] if item.get("indexname") else [IndexElement(key) for key in keys]
            return Index(
                name=name,
                table=self.table,
                elements=elements,
                unique=True,
                include=strings(item.get("including")),
                constraint="unique",
                nulls_not_distinct=bool(item.get("nulls_not_distinct")),
                span=span,
            )
        if kind == "CONSTR_FOREIGN":
            text = src.text[start:end]
            return ForeignKey(
                name=name,
                columns=list(columns) if columns is not None else strings(item.get("fk_attrs")),
                ref_table=range_name(item.get("pktable") or {}),
                ref_columns=strings(item.get("pk_attrs")),
                on_delete=_fk_action(item.get("fk_del_action"), _ON_DELETE, text),
                on_update=_fk_action(item.get("fk_upd_action"), _ON_UPDATE, text),
                # CREATE TABLE validates at once (the table is empty); NOT VALID matters later.
                validated=in_create or not item.get("skip_validation"),
                deferrable=bool(item.get("deferrable")),
                span=span,
            )
        if kind == "CONSTR_CHECK":
            expr = item["raw_expr"]
            return Check(
                name=name,
                expression=self.paren_expr(expr, start, end),
                validated=in_create or not item.get("skip_validation"),
                not_null_column=not_null_column(expr),
                columns=column_refs(expr),
                span=span,
            )
        if kind == "CONSTR_EXCLUSION":
            return self._exclusion(item, name, start, end, span)
        return None

    def index_elements(self, elems: list[dict[str, Any]], start: int, end: int) -> tuple[list[IndexElement], int]:
        """The IndexElems of the first parenthesised list at or after `start`, and the offset
        of the parenthesis closing that list."""
        text = self.src.text
        open_at = pg_scan.first_open(text, start, end)
        close_at = pg_scan.matching_close(text, open_at, end) if open_at >= 0 else end
        bounds = pg_scan.separators(text, open_at + 1, close_at + 1, 0) if open_at >= 0 else []
        elements = []
        for position, elem in enumerate(elems):
            first = bounds[position - 1] + 1 if 0 < position <= len(bounds) else open_at + 1
            last = bounds[position] if position < len(bounds) else close_at
            elements.append(self.index_element(elem, first, last))
        return elements, close_at

    def _exclusion(self, item: dict[str, Any], name: str | None, start: int, end: int, span: Span) -> Index:
        elems = [pair["List"]["items"][0]["IndexElem"] for pair in item.get("exclusions", ())]
        elements, close_at = self.index_elements(elems, start, end)
        predicate = item.get("where_clause")
        where_text = None
        if predicate is not None:
            first, last = self._after_word(min(close_at + 1, end), end, frozenset({"where"}))
            where_text = expr_text(predicate, self.src.source(first, last))
        return Index(
            name=name,
            table=self.table,
            elements=elements,
            method=item.get("access_method") or "btree",
            predicate=where_text,
            include=strings(item.get("including")),
            constraint="exclude",
            span=span,
        )

    def index_element(self, elem: dict[str, Any], start: int, end: int) -> IndexElement:
        """An IndexElem whose text lies in [start, end)."""
        opclass = strings(elem.get("opclass"))
        descending = elem.get("ordering") == "SORTBY_DESC"
        expr = elem.get("expr") or {}
        column = elem.get("name") or _plain_column(expr)
        if column:
            return IndexElement(column, descending=descending, opclass=opclass[-1] if opclass else None)
        first, last = self._expression_extent(start, end)
        return IndexElement(
            expr_text(expr, self.src.source(first, last)),
            is_expression=True,
            descending=descending,
            opclass=opclass[-1] if opclass else None,
            name_hint=index_column_name(expr),
        )

    def _expression_extent(self, start: int, end: int) -> tuple[int, int]:
        """An index expression inside its element's text: `(expr)` or a function call."""
        text = self.src.text
        first = pg_scan.skip_trivia(text, start, end)
        if text.startswith("(", first):
            return first + 1, pg_scan.matching_close(text, first, end)
        open_at = pg_scan.first_open(text, first, end)
        if open_at < 0:
            return first, end
        return first, pg_scan.matching_close(text, open_at, end) + 1


def _plain_column(expr: dict[str, Any]) -> str | None:
    """`(col)` or `(col COLLATE "C")`: PostgreSQL indexes these as the plain column."""
    collate = expr.get("CollateClause")
    if collate is not None:
        expr = collate.get("arg") or {}
    fields = (expr.get("ColumnRef") or {}).get("fields") or ()
    if len(fields) == 1 and "String" in fields[0]:
        return fields[0]["String"]["sval"]
    return None
