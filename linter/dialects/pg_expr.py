"""Expression text close to what PostgreSQL's `pg_get_expr` prints, from pglast's JSON.

Defaults, CHECK expressions, index predicates and USING clauses are compared as text (a
migration's down must restore `'active'::text`, not `'active'`), so they are printed in one
canonical form: operators in parentheses, literals with the cast PostgreSQL shows
(`'{}'::jsonb`, `'-1'::integer`), SQL value functions in capitals (`CURRENT_TIMESTAMP`).
Literal types are resolved the simple way the server mostly does: a bare string takes the
type of the column it is compared with or defaults, else `text`. Nodes this printer does
not know make the caller fall back to the expression's exact source text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from linter.dialects.pg_types import format_type, quoted_type, type_names, without_typmod


class Unprintable(Exception):
    """An expression node this printer does not render; the caller uses the source text."""


_SQL_VALUE = {
    "SVFOP_CURRENT_DATE": "CURRENT_DATE",
    "SVFOP_CURRENT_TIME": "CURRENT_TIME",
    "SVFOP_CURRENT_TIME_N": "CURRENT_TIME",
    "SVFOP_CURRENT_TIMESTAMP": "CURRENT_TIMESTAMP",
    "SVFOP_CURRENT_TIMESTAMP_N": "CURRENT_TIMESTAMP",
    "SVFOP_LOCALTIME": "LOCALTIME",
    "SVFOP_LOCALTIME_N": "LOCALTIME",
    "SVFOP_LOCALTIMESTAMP": "LOCALTIMESTAMP",
    "SVFOP_LOCALTIMESTAMP_N": "LOCALTIMESTAMP",
    "SVFOP_CURRENT_ROLE": "CURRENT_ROLE",
    "SVFOP_CURRENT_USER": "CURRENT_USER",
    "SVFOP_USER": "USER",
    "SVFOP_SESSION_USER": "SESSION_USER",
    "SVFOP_CURRENT_CATALOG": "CURRENT_CATALOG",
    "SVFOP_CURRENT_SCHEMA": "CURRENT_SCHEMA",
}
_BOOLEAN_TEST = {
    "IS_TRUE": "IS TRUE",
    "IS_NOT_TRUE": "IS NOT TRUE",
    "IS_FALSE": "IS FALSE",
    "IS_NOT_FALSE": "IS NOT FALSE",
    "IS_UNKNOWN": "IS UNKNOWN",
    "IS_NOT_UNKNOWN": "IS NOT UNKNOWN",
}
_TRUE_WORDS = frozenset({"t", "tr", "tru", "true", "y", "ye", "yes", "on", "1"})
_FALSE_WORDS = frozenset({"f", "fa", "fal", "fals", "false", "n", "no", "of", "off", "0"})
_INT4_MIN, _INT4_MAX = -(2**31), 2**31 - 1
_INT8_MIN, _INT8_MAX = -(2**63), 2**63 - 1
_INTEGER_TYPES = {"integer": "integer", "smallint": "smallint", "bigint": "bigint"}


_BARE_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")


def quote_ident(name: str) -> str:
    """`quote_identifier`: plain lower-case names stay bare, others get double quotes."""
    if _BARE_IDENTIFIER.fullmatch(name) and not _is_keyword(name):
        return name
    return '"' + name.replace('"', '""') + '"'


_KEYWORDS: frozenset[str] | None = None


def _is_keyword(name: str) -> bool:
    """Every keyword but the unreserved ones needs quotes as an identifier."""
    global _KEYWORDS
    if _KEYWORDS is None:
        from pglast import keywords

        _KEYWORDS = frozenset(
            keywords.RESERVED_KEYWORDS | keywords.TYPE_FUNC_NAME_KEYWORDS | keywords.COL_NAME_KEYWORDS
        )
    return name in _KEYWORDS


def quote_literal(value: str) -> str:
    """`simple_quote_literal`: E'' form when the text holds a backslash."""
    if "\\" in value:
        return "E'" + value.replace("\\", "\\\\").replace("'", "''") + "'"
    return "'" + value.replace("'", "''") + "'"


def _numeric_text(value: str) -> str:
    """How PostgreSQL's numeric output prints a float-looking literal (`1e3` -> `1000`)."""
    try:
        return format(Decimal(value), "f")
    except InvalidOperation:
        return value


class _Printer:
    __slots__ = ()

    # --- literals ------------------------------------------------------------------------
    def const(self, node: dict[str, Any], hint: str | None) -> str:
        if "ival" in node:
            return _int_text(node["ival"].get("ival", 0))
        if "fval" in node:
            return _float_text(node["fval"]["fval"])
        if "sval" in node:
            return self.string(node["sval"].get("sval", ""), hint)
        if "boolval" in node:
            return "true" if node["boolval"].get("boolval") else "false"
        if "bsval" in node:
            return quote_literal(_bits(node["bsval"]["bsval"])) + '::"bit"'
        if node.get("isnull"):
            return "NULL"
        raise Unprintable("A_Const")

    def string(self, value: str, hint: str | None) -> str:
        """A string literal coerced to `hint` (default text), as the server prints the constant."""
        hint = hint or "text"
        if hint in _INTEGER_TYPES:
            try:
                number = int(value.strip())
            except ValueError:
                return f"{quote_literal(value)}::{hint}"
            if hint == "integer":
                return _int_text(number)
            return f"'{number}'::{hint}"
        if hint == "boolean":
            word = value.strip().lower()
            if word in _TRUE_WORDS:
                return "true"
            if word in _FALSE_WORDS:
                return "false"
        if hint == "numeric":
            try:
                Decimal(value.strip())
            except InvalidOperation:
                return f"{quote_literal(value)}::numeric"
            return _float_text(value.strip())
        return f"{quote_literal(value)}::{hint}"

    # --- the dispatcher --------------------------------------------------------------------
    def expr(self, wrapped: dict[str, Any], hint: str | None = None) -> str:
        ((tag, node),) = wrapped.items()
        if tag == "A_Const":
            return self.const(node, hint)
        if tag == "ColumnRef":
            return ".".join(
                "*" if "A_Star" in field else quote_ident(field["String"]["sval"]) for field in node["fields"]
            )
        if tag == "TypeCast":
            return self.type_cast(node)
        if tag == "FuncCall":
            return self.func_call(node)
        if tag == "A_Expr":
            return self.a_expr(node)
        if tag == "BoolExpr":
            return self.bool_expr(node)
        if tag == "NullTest":
            test = "IS NOT NULL" if node["nulltesttype"] == "IS_NOT_NULL" else "IS NULL"
            return f"({self.expr(node['arg'])} {test})"
        if tag == "BooleanTest":
            return f"({self.expr(node['arg'])} {_BOOLEAN_TEST[node['booltesttype']]})"
        if tag == "SQLValueFunction":
            name = _SQL_VALUE[node["op"]]
            typmod = node.get("typmod", -1)
            return f"{name}({typmod})" if node["op"].endswith("_N") and typmod >= 0 else name
        if tag == "A_ArrayExpr":
            return "ARRAY[" + ", ".join(self.expr(item, hint) for item in node.get("elements", ())) + "]"
        if tag == "CoalesceExpr":
            return "COALESCE(" + self.args(node["args"], hint) + ")"
        if tag == "MinMaxExpr":
            name = "GREATEST" if node["op"] == "IS_GREATEST" else "LEAST"
            return f"{name}({self.args(node['args'], hint)})"
        if tag == "RowExpr":
            return "ROW(" + self.args(node.get("args", ()), None) + ")"
        if tag == "CaseExpr":
            return self.case(node)
        if tag == "CollateClause":
            collation = ".".join(quote_ident(item["String"]["sval"]) for item in node["collname"])
            return f"({self.expr(node['arg'])} COLLATE {collation})"
        if tag == "ParamRef":
            return f"${node.get('number', 0)}"
        raise Unprintable(tag)

    def args(self, items: Any, hint: str | None) -> str:
        return ", ".join(self.expr(item, hint) for item in items)

    def type_cast(self, node: dict[str, Any]) -> str:
        spelled = quoted_type(format_type(node["typeName"]))
        arg = node["arg"]
        const = arg.get("A_Const")
        if const is not None:
            if "sval" in const:
                return self.string(const["sval"].get("sval", ""), spelled)
            if const.get("isnull"):
                return f"NULL::{spelled}"
        array = arg.get("A_ArrayExpr")
        if array is not None:
            if not array.get("elements"):
                return f"ARRAY[]::{spelled}"
            element_type = spelled.removesuffix("[]")
            return self.expr(arg, without_typmod(element_type))
        return f"({self.expr(arg)})::{spelled}"

    def func_call(self, node: dict[str, Any]) -> str:
        if node.get("agg_order") or node.get("over") or node.get("agg_filter") or node.get("agg_within_group"):
            raise Unprintable("aggregate")
        names = [item["String"]["sval"] for item in node["funcname"]]
        if node.get("funcformat") == "COERCE_SQL_SYNTAX":
            if names[-1] == "timezone" and len(node.get("args", ())) == 2:
                zone, value = node["args"]
                return f"({self.expr(value)} AT TIME ZONE {self.expr(zone)})"
            raise Unprintable("SQL-syntax function")
        if len(names) >= 2 and names[-2] not in ("pg_catalog", "public"):
            name = f"{quote_ident(names[-2])}.{quote_ident(names[-1])}"
        else:
            name = quote_ident(names[-1])
        if node.get("agg_star"):
            return f"{name}(*)"
        hint = "regclass" if names[-1] in ("nextval", "currval", "setval") else None
        rendered = []
        for item in node.get("args", ()):
            named = item.get("NamedArgExpr")
            if named is not None:
                rendered.append(f"{quote_ident(named['name'])} => {self.expr(named['arg'], hint)}")
            else:
                rendered.append(self.expr(item, hint))
            hint = None  # only a sequence function's first argument is a regclass
        if node.get("func_variadic") and rendered:
            rendered[-1] = "VARIADIC " + rendered[-1]
        distinct = "DISTINCT " if node.get("agg_distinct") else ""
        return f"{name}({distinct}{', '.join(rendered)})"

    def operand_hint(self, other: dict[str, Any] | None) -> str | None:
        """The type a bare string literal takes next to `other` when that is a cast. (Next to
        a column the server would use the column's type; the statement alone does not say
        it, and text keeps CREATE TABLE and ALTER TABLE spellings the same.)"""
        if other is None:
            return None
        cast = other.get("TypeCast")
        if cast is not None:
            return quoted_type(without_typmod(format_type(cast["typeName"])))
        return None

    def a_expr(self, node: dict[str, Any]) -> str:
        kind = node["kind"]
        names = [item["String"]["sval"] for item in node.get("name", ()) if "String" in item]
        if len(names) != 1:
            raise Unprintable("qualified operator")
        operator = names[0]
        left = node.get("lexpr")
        right = node.get("rexpr")
        if kind in ("AEXPR_OP", "AEXPR_LIKE", "AEXPR_ILIKE"):
            if right is not None and "FuncCall" in right and kind != "AEXPR_OP":
                raise Unprintable("LIKE … ESCAPE")
            if left is None:
                return f"({operator} {self.expr(right)})"
            return (
                f"({self.expr(left, self.operand_hint(right))} {operator} {self.expr(right, self.operand_hint(left))})"
            )
        if kind in ("AEXPR_OP_ANY", "AEXPR_OP_ALL"):
            quantifier = "ANY" if kind == "AEXPR_OP_ANY" else "ALL"
            return f"({self.expr(left)} {operator} {quantifier} ({self.expr(right)}))"
        if kind in ("AEXPR_DISTINCT", "AEXPR_NOT_DISTINCT"):
            words = "IS DISTINCT FROM" if kind == "AEXPR_DISTINCT" else "IS NOT DISTINCT FROM"
            return f"({self.expr(left, self.operand_hint(right))} {words} {self.expr(right, self.operand_hint(left))})"
        if kind == "AEXPR_NULLIF":
            return f"NULLIF({self.expr(left)}, {self.expr(right, self.operand_hint(left))})"
        if kind == "AEXPR_IN" and "List" in right:
            hint = self.operand_hint(left)
            items = ", ".join(self.expr(item, hint) for item in right["List"]["items"])
            quantifier = "ANY" if operator == "=" else "ALL"
            return f"({self.expr(left)} {operator} {quantifier} (ARRAY[{items}]))"
        if kind in ("AEXPR_BETWEEN", "AEXPR_NOT_BETWEEN") and "List" in right:
            low, high = right["List"]["items"]
            hint = self.operand_hint(left)
            subject = self.expr(left)
            if kind == "AEXPR_BETWEEN":
                return f"(({subject} >= {self.expr(low, hint)}) AND ({subject} <= {self.expr(high, hint)}))"
            return f"(({subject} < {self.expr(low, hint)}) OR ({subject} > {self.expr(high, hint)}))"
        raise Unprintable(kind)

    def bool_expr(self, node: dict[str, Any]) -> str:
        op = node["boolop"]
        if op == "NOT_EXPR":
            return f"(NOT {self.expr(node['args'][0])})"
        joiner = " AND " if op == "AND_EXPR" else " OR "
        return "(" + joiner.join(self.expr(arg) for arg in node["args"]) + ")"

    def case(self, node: dict[str, Any]) -> str:
        parts = ["CASE"]
        if node.get("arg"):
            parts.append(self.expr(node["arg"]))
        for when in node["args"]:
            clause = when["CaseWhen"]
            parts.append(f"WHEN {self.expr(clause['expr'])} THEN {self.expr(clause['result'])}")
        if node.get("defresult"):
            parts.append(f"ELSE {self.expr(node['defresult'])}")
        parts.append("END")
        return " ".join(parts)


def _int_text(value: int) -> str:
    """An integer constant: int4 values print bare unless negative; wider ones are labelled."""
    if _INT4_MIN <= value <= _INT4_MAX:
        return str(value) if value >= 0 else f"'{value}'::integer"
    if _INT8_MIN <= value <= _INT8_MAX:
        return f"'{value}'::bigint"
    return f"'{value}'::numeric"


def _float_text(literal: str) -> str:
    """A literal the lexer read as a float: integers too wide for int4, or numerics."""
    if not any(char in literal for char in ".eE"):
        try:
            return _int_text(int(literal))
        except ValueError:
            return f"'{literal}'::numeric"
    text = _numeric_text(literal)
    if text[:1].isdigit() and any(char in text for char in ".eE"):
        return text
    return f"'{text}'::numeric"


def _bits(literal: str) -> str:
    """The bits of a `B'…'` or `X'…'` literal as pglast gives it (`b101`, `x1f`)."""
    if literal[:1] in "xX":
        return "".join(f"{int(digit, 16):04b}" for digit in literal[1:])
    return literal[1:]


def expr_text(node: dict[str, Any], source: Callable[[], str]) -> str:
    """The expression as `pg_get_expr` would print it, or `source()` (its exact text) when a
    node is beyond this printer. A bare string literal prints as `'…'::text`; for a column
    default, pass the result through `retype_default` with the column's type."""
    try:
        return _Printer().expr(node)
    except (Unprintable, KeyError, TypeError, ValueError, IndexError, AttributeError, RecursionError):
        return source()


_LONE_TEXT_LITERAL = re.compile(r"(E?)'((?:[^']|'')*)'::text")


def retype_default(default: str | None, column_type: str) -> str | None:
    """A default printed by `expr_text`, as the server stores it for a column of
    `column_type`: a lone string literal takes the column's type (`'x'::character varying`,
    `'{}'::jsonb`, `5` for an integer, `true` for a boolean). The replay applies this to
    `ALTER COLUMN … SET DEFAULT`, where the statement does not say the column's type."""
    if default is None:
        return None
    match = _LONE_TEXT_LITERAL.fullmatch(default)
    if match is None or column_type == "text":
        return default
    value = match.group(2).replace("''", "'")
    if match.group(1):
        value = value.replace("\\\\", "\\")
    return _Printer().string(value, quoted_type(without_typmod(column_type)))


def column_refs(node: Any) -> list[str]:
    """Distinct column names an expression mentions (the last part of each reference)."""
    found: dict[str, None] = {}
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            ref = item.get("ColumnRef")
            if ref is not None:
                last = ref["fields"][-1].get("String")
                if last is not None:
                    found[last["sval"]] = None
                continue
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))
    return list(found)


def is_null(node: dict[str, Any]) -> bool:
    """`NULL` or `NULL::type`: a default PostgreSQL does not store."""
    cast = node.get("TypeCast")
    if cast is not None:
        node = cast.get("arg") or {}
    return bool((node.get("A_Const") or {}).get("isnull"))


def not_null_column(node: dict[str, Any]) -> str | None:
    """The column when the expression is exactly `col IS NOT NULL`."""
    test = node.get("NullTest")
    if test is None or test.get("nulltesttype") != "IS_NOT_NULL":
        return None
    ref = test["arg"].get("ColumnRef")
    if ref is None or len(ref["fields"]) != 1:
        return None
    field = ref["fields"][0].get("String")
    return field["sval"] if field else None


_FIGURE_NAMES = {
    "A_ArrayExpr": "array",
    "RowExpr": "row",
    "CoalesceExpr": "coalesce",
}


def _figure(node: dict[str, Any]) -> tuple[int, str | None]:
    """`FigureColnameInternal`: (strength, name) of an expression's default column name."""
    ((tag, body),) = node.items()
    if tag == "ColumnRef":
        names = [field["String"]["sval"] for field in body["fields"] if "String" in field]
        return (2, names[-1]) if names else (0, None)
    if tag == "A_Indirection":
        names = [item["String"]["sval"] for item in body.get("indirection", ()) if "String" in item]
        return (2, names[-1]) if names else _figure(body["arg"])
    if tag == "FuncCall":
        return 2, body["funcname"][-1]["String"]["sval"]
    if tag == "A_Expr" and body.get("kind") == "AEXPR_NULLIF":
        return 2, "nullif"
    if tag == "TypeCast":
        strength, name = _figure(body["arg"])
        if strength <= 1:
            names = type_names(body["typeName"])
            if names:
                return 1, names[-1]
        return strength, name
    if tag == "CollateClause":
        return _figure(body["arg"])
    if tag == "SubLink":
        kind = body.get("subLinkType")
        if kind == "EXISTS_SUBLINK":
            return 2, "exists"
        if kind == "ARRAY_SUBLINK":
            return 2, "array"
        return 0, None
    if tag == "CaseExpr":
        strength, name = _figure(body["defresult"]) if body.get("defresult") else (0, None)
        return (1, "case") if strength <= 1 else (strength, name)
    if tag in _FIGURE_NAMES:
        return 2, _FIGURE_NAMES[tag]
    if tag == "MinMaxExpr":
        return 2, "greatest" if body.get("op") == "IS_GREATEST" else "least"
    if tag == "SQLValueFunction":
        return 2, _SQL_VALUE.get(body.get("op", ""), "").lower() or None
    return 0, None


def index_column_name(node: dict[str, Any]) -> str:
    """The name an index expression contributes to a generated index name
    (`FigureIndexColname`, or `expr` when it has none): `lower(email)` gives `lower`."""
    try:
        return _figure(node)[1] or "expr"
    except (KeyError, TypeError, IndexError, ValueError, RecursionError):
        return "expr"
