"""Expression text close to what PostgreSQL's `pg_get_expr` prints, from pglast's JSON.

Defaults, CHECK expressions, index predicates and USING clauses are compared as text (a
migration's down must restore `'active'::text`, not `'active'`), so they are printed in one
canonical form: operators in parentheses, literals with the cast PostgreSQL shows
(`'{}'::jsonb`, `'-1'::integer`), SQL value functions in capitals (`CURRENT_TIMESTAMP`).
Literal types are resolved the simple way the server mostly does: a bare string takes the
type of the column it is compared with or defaults, else `text`; constants print as the
server's output functions print them (`linter.dialects.pg_values`). Where the statement does
not say the column types (CREATE INDEX, a generated column), the replay prints the
expression again with them (`typed_text`): a varchar column shows its cast to text, a literal
beside an enum column the enum's name. Nodes this printer does not know make the caller fall
back to the expression's exact source text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from linter.dialects.pg_types import format_type, quote_ident, quoted_type, type_names, without_typmod
from linter.dialects.pg_values import bits, float_text, int_text, quote_literal, string_literal


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
_WIDER_NUMBERS = frozenset({"numeric", "real", "double precision"})
# Operators whose operands share one type, so a literal takes the other operand's.
_SAME_TYPE_OPERATORS = frozenset(
    {"=", "<>", "!=", "<", ">", "<=", ">=", "~~", "~~*", "!~~", "!~~*", "~", "~*", "!~", "!~*",
     "@>", "<@", "&&", "||"}
)  # fmt: skip
_ARITHMETIC = frozenset({"+", "-", "*", "/", "%"})
# json / jsonb operators whose right operand is a path or a list of keys.
_RIGHT_OPERAND = {"#>": "text[]", "#>>": "text[]", "#-": "text[]", "?|": "text[]", "?&": "text[]"}


# Built-in functions whose first parameter has a type a bare string literal resolves to,
# by (name, number of arguments): `to_tsvector('english', body)` stores `'english'::regconfig`.
_FIRST_ARGUMENT = {
    ("nextval", 1): "regclass",
    ("currval", 1): "regclass",
    ("setval", 2): "regclass",
    ("setval", 3): "regclass",
    ("to_tsvector", 2): "regconfig",
    ("to_tsquery", 2): "regconfig",
    ("plainto_tsquery", 2): "regconfig",
    ("phraseto_tsquery", 2): "regconfig",
    ("websearch_to_tsquery", 2): "regconfig",
}


# Arguments of these functions keep their own type ("any" / anyelement parameters); every
# other function's argument of a varchar or char column is relabelled or cast to text.
_ANY_ARGUMENTS = frozenset(
    {"concat", "concat_ws", "format", "json_build_object", "jsonb_build_object", "json_build_array",
     "jsonb_build_array", "to_json", "to_jsonb", "num_nulls", "num_nonnulls", "pg_typeof", "coalesce"}
)  # fmt: skip


def _result_type(node: dict[str, Any]) -> str | None:
    """The type of a call whose result type is fixed: EXTRACT gives numeric (PostgreSQL 14+)."""
    call = node.get("FuncCall")
    sql_syntax = call is not None and call.get("funcformat") == "COERCE_SQL_SYNTAX"
    return "numeric" if sql_syntax and call["funcname"][-1]["String"]["sval"] == "extract" else None


def _operator_type(column_type: str) -> str:
    """The type a column takes in an operator: varchar has no operators of its own and is
    compared as text; char(n) as bpchar; every type without its modifiers."""
    base, array = (column_type[:-2], "[]") if column_type.endswith("[]") else (column_type, "")
    base = without_typmod(base)
    if base == "character varying" and not array:  # arrays compare as arrays of their own type
        base = "text"
    elif base == "character":
        base = "bpchar"
    return quoted_type(base) + array


class _Printer:
    """Prints pglast JSON; `columns` (name -> the model's type) makes column operands typed."""

    __slots__ = ("columns", "indent", "one_line")

    def __init__(self, columns: Mapping[str, str] | None = None, one_line: bool = False) -> None:
        self.columns = columns or {}
        self.indent = 0  # of the CASE being printed: the server puts its clauses on lines of their own
        self.one_line = one_line

    def printed(self, node: dict[str, Any]) -> str:
        """The whole expression: a line break drops the spaces before it, as the server's
        printer does (`x AND` + line break + `CASE`), outside quoted text."""
        text = self.expr(node)
        return _SPACES_BEFORE_BREAK.sub(lambda m: m.group(1) or "", text) if "\n" in text else text

    def column_type(self, node: dict[str, Any] | None) -> str | None:
        ref = node.get("ColumnRef") if node is not None and self.columns else None
        if ref is None:
            return None
        last = ref["fields"][-1].get("String")
        return self.columns.get(last["sval"]) if last is not None else None

    def value_type(self, node: dict[str, Any]) -> str | None:
        """The type of a column, a cast, or a COALESCE of them (the model's spelling)."""
        ((tag, body),) = node.items()
        if tag == "ColumnRef":
            return self.column_type(node)
        if tag == "TypeCast":
            return format_type(body["typeName"])
        if tag in ("CoalesceExpr", "MinMaxExpr"):
            return next((found for item in body["args"] if (found := self.value_type(item)) is not None), None)
        return None

    def operand(self, node: dict[str, Any], hint: str | None, function: bool = False) -> str:
        """An operator's operand or a function's argument: a varchar value shows its
        relabelling to text (`(email)::text`), in a function a char(n) value its cast too."""
        printed = self.expr(node, hint)
        value_type = self.value_type(node)
        if value_type is None:
            return printed
        if value_type.endswith("[]"):
            return printed  # an array of varchar keeps its type (array operators take any array)
        base = without_typmod(value_type)
        if base == "character varying" or (function and base == "bpchar"):
            return f"({printed})::text"
        return printed

    # --- literals ------------------------------------------------------------------------
    def const(self, node: dict[str, Any], hint: str | None) -> str:
        if "ival" in node:
            printed = int_text(node["ival"].get("ival", 0))
            # Beside a numeric or float operand the integer shows its cast (the server prints
            # implicit casts everywhere below an expression's top).
            return f"({printed})::{hint}" if hint in _WIDER_NUMBERS else printed
        if "fval" in node:
            return float_text(node["fval"]["fval"])
        if "sval" in node:
            return string_literal(node["sval"].get("sval", ""), hint)
        if "boolval" in node:
            return "true" if node["boolval"].get("boolval") else "false"
        if "bsval" in node:
            return quote_literal(bits(node["bsval"]["bsval"])) + '::"bit"'
        if node.get("isnull"):
            return "NULL"
        raise Unprintable("A_Const")

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
            return self.type_cast(node, hint)
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
            return "COALESCE(" + self.args(node["args"], self.common_hint(node["args"], hint)) + ")"
        if tag == "MinMaxExpr":
            name = "GREATEST" if node["op"] == "IS_GREATEST" else "LEAST"
            return f"{name}({self.args(node['args'], self.common_hint(node['args'], hint))})"
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

    def common_hint(self, items: Any, hint: str | None) -> str | None:
        """COALESCE / GREATEST take the type of their first typed argument (a varchar keeps
        varchar here), and their literals with it."""
        for item in items:
            value_type = self.value_type(item)
            if value_type is not None:
                return quoted_type(without_typmod(value_type))
        return hint

    def args(self, items: Any, hint: str | None) -> str:
        return ", ".join(self.expr(item, hint) for item in items)

    def type_cast(self, node: dict[str, Any], hint: str | None = None) -> str:
        spelled = quoted_type(format_type(node["typeName"]))
        arg = node["arg"]
        const = arg.get("A_Const")
        if const is not None:
            if "sval" in const:
                # Printed text read back: `'a'::text` is how a bare literal printed where its
                # type was not known; next to a typed column it takes that column's type.
                typed = hint if spelled == "text" and self.columns and hint else spelled
                return string_literal(const["sval"].get("sval", ""), typed)
            if const.get("isnull"):
                return f"NULL::{spelled}"
        column_type = self.column_type(arg)
        if column_type is not None and quoted_type(column_type) == spelled:
            return self.expr(arg)  # a cast to the type the column has: the server drops it
        array = arg.get("A_ArrayExpr")
        if array is not None:
            if not array.get("elements"):
                return f"ARRAY[]::{spelled}"
            # The server casts each element instead of the array, and prints each cast.
            element_type = without_typmod(spelled.removesuffix("[]"))
            return "ARRAY[" + ", ".join(self.element(item, element_type) for item in array["elements"]) + "]"
        return f"({self.expr(arg)})::{spelled}"

    def element(self, node: dict[str, Any], element_type: str) -> str:
        """An element of `ARRAY[…]::element_type[]`: cast to the element type unless it has it."""
        printed = self.expr(node, element_type)
        if "A_Const" in node and "ival" in node["A_Const"]:
            return printed if element_type in ("integer", *_WIDER_NUMBERS) else f"({printed})::{element_type}"
        own = self.value_type(node)
        if own is None or quoted_type(without_typmod(own)) == element_type:
            return printed
        return f"({printed})::{element_type}"

    def func_call(self, node: dict[str, Any]) -> str:
        if node.get("agg_order") or node.get("over") or node.get("agg_filter") or node.get("agg_within_group"):
            raise Unprintable("aggregate")
        names = [item["String"]["sval"] for item in node["funcname"]]
        if node.get("funcformat") == "COERCE_SQL_SYNTAX":
            if names[-1] == "timezone" and len(node.get("args", ())) == 2:
                zone, value = node["args"]
                return f"({self.expr(value)} AT TIME ZONE {self.expr(zone)})"
            if names[-1] == "extract" and len(node.get("args", ())) == 2:
                field, value = node["args"]
                return f"EXTRACT({field['A_Const']['sval']['sval']} FROM {self.expr(value)})"
            raise Unprintable("SQL-syntax function")
        if len(names) >= 2 and names[-2] not in ("pg_catalog", "public"):
            name = f"{quote_ident(names[-2])}.{quote_ident(names[-1])}"
        else:
            name = quote_ident(names[-1])
        if node.get("agg_star"):
            return f"{name}(*)"
        args = node.get("args", ())
        hint = _FIRST_ARGUMENT.get((names[-1], len(args))) if len(names) == 1 or names[-2] == "pg_catalog" else None
        rendered = []
        for item in args:
            named = item.get("NamedArgExpr")
            if named is not None:
                rendered.append(f"{quote_ident(named['name'])} => {self.expr(named['arg'], hint)}")
            elif names[-1] in _ANY_ARGUMENTS:
                rendered.append(self.expr(item, hint))
            else:
                rendered.append(self.operand(item, hint, function=True))
            hint = None  # only the first argument has a known type
        if node.get("func_variadic") and rendered:
            rendered[-1] = "VARIADIC " + rendered[-1]
        distinct = "DISTINCT " if node.get("agg_distinct") else ""
        return f"{name}({distinct}{', '.join(rendered)})"

    def operand_hint(self, other: dict[str, Any] | None, element: bool = False, operator: str = "=") -> str | None:
        """The type a bare string literal takes next to `other`: a cast's type, or for an
        operator between two values of one type a known column's (its element type for
        `= ANY (column)`). Next to a column of unknown type it stays text."""
        if other is None:
            return None
        cast = other.get("TypeCast")
        if cast is not None:
            cast_type = format_type(cast["typeName"])
            if operator not in _SAME_TYPE_OPERATORS:  # as for a column, below
                return quoted_type(cast_type) if operator in _ARITHMETIC and cast_type in _WIDER_NUMBERS else None
            return _operator_type(cast_type.removesuffix("[]") if element else cast_type)  # varchar as text
        column_type = self.column_type(other) or _result_type(other)
        if column_type is None:
            return None
        if operator not in _SAME_TYPE_OPERATORS:
            # `->>`, `?`, `+`: the operator's own parameter type decides, except that an
            # integer beside a numeric or float operand is cast to its type.
            return column_type if operator in _ARITHMETIC and column_type in _WIDER_NUMBERS else None
        if element:
            column_type = column_type.removesuffix("[]")
        hint = _operator_type(column_type)
        if operator == "||" and hint not in ("text", "bpchar", "jsonb") and not hint.endswith("[]"):
            return None  # text || anything: the literal is text, the other operand is cast
        return hint

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
                return f"({operator} {self.operand(right, None)})"
            right_hint = _RIGHT_OPERAND.get(operator) or self.operand_hint(left, operator=operator)
            return (
                f"({self.operand(left, self.operand_hint(right, operator=operator))} {operator}"
                f" {self.operand(right, right_hint)})"
            )
        if kind in ("AEXPR_OP_ANY", "AEXPR_OP_ALL"):
            quantifier = "ANY" if kind == "AEXPR_OP_ANY" else "ALL"
            subject = self.operand(left, self.operand_hint(right, element=True))
            array = self.operand(right, self.operand_hint(left))
            array_type = self.value_type(right)
            if array_type is not None and without_typmod(array_type.removesuffix("[]")) == "character varying":
                array = f"({array})::text[]"  # its elements are compared as text
            return f"({subject} {operator} {quantifier} ({array}))"
        if kind in ("AEXPR_DISTINCT", "AEXPR_NOT_DISTINCT"):
            words = "IS DISTINCT FROM" if kind == "AEXPR_DISTINCT" else "IS NOT DISTINCT FROM"
            return (
                f"({self.operand(left, self.operand_hint(right))} {words}"
                f" {self.operand(right, self.operand_hint(left))})"
            )
        if kind == "AEXPR_NULLIF":
            return f"NULLIF({self.expr(left)}, {self.expr(right, self.operand_hint(left))})"
        if kind == "AEXPR_IN" and "List" in right:
            hint = self.operand_hint(left)
            column_type = self.column_type(left)
            varchar = column_type is not None and without_typmod(column_type) == "character varying"
            if varchar:
                hint = "character varying"  # the list is a varchar array, compared as text[]
            items = ", ".join(self.expr(item, hint) for item in right["List"]["items"])
            array = f"(ARRAY[{items}])::text[]" if varchar else f"ARRAY[{items}]"
            quantifier = "ANY" if operator == "=" else "ALL"
            return f"({self.operand(left, None)} {operator} {quantifier} ({array}))"
        if kind in ("AEXPR_BETWEEN", "AEXPR_NOT_BETWEEN") and "List" in right:
            low, high = right["List"]["items"]
            hint = self.operand_hint(left)
            subject = self.operand(left, None)
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
        """On lines of their own, indented four spaces a level: `CASE`, each `WHEN … THEN …`,
        `ELSE …` (a typed NULL where the statement has none) and `END`."""
        outer = " " * self.indent
        inner = outer + " " * 4
        parts = ["\n" + outer + "CASE" + (" " + self.expr(node["arg"]) if node.get("arg") else "")]
        self.indent += 4
        try:
            results = [when["CaseWhen"]["result"] for when in node["args"]]
            for when in node["args"]:
                clause = when["CaseWhen"]
                parts.append(f"\n{inner}WHEN {self.expr(clause['expr'])} THEN {self.expr(clause['result'])}")
            if node.get("defresult"):
                parts.append(f"\n{inner}ELSE {self.expr(node['defresult'])}")
            elif all(_is_boolean(result) for result in results):
                parts.append(f"\n{inner}ELSE NULL::boolean")
            else:  # the NULL takes the result's type
                typed = next((found for result in results if (found := self.value_type(result)) is not None), None)
                if typed is None:
                    raise Unprintable("CASE without ELSE")
                parts.append(f"\n{inner}ELSE NULL::{quoted_type(without_typmod(typed))}")
        finally:
            self.indent -= 4
        parts.append(f"\n{outer}END")
        if self.one_line:
            return " ".join(part.strip() for part in parts)
        return "".join(parts)


_SPACES_BEFORE_BREAK = re.compile(r"""('(?:[^']|'')*'|"(?:[^"]|"")*")| +(?=\n)""")
COMPARISON_OPERATORS = frozenset({"=", "<>", "!=", "<", ">", "<=", ">="})
_COMPARISON_KINDS = frozenset({"AEXPR_OP", "AEXPR_IN", "AEXPR_DISTINCT", "AEXPR_NOT_DISTINCT", "AEXPR_LIKE",
                               "AEXPR_ILIKE", "AEXPR_SIMILAR", "AEXPR_BETWEEN", "AEXPR_NOT_BETWEEN"})  # fmt: skip


def _is_boolean(node: dict[str, Any]) -> bool:
    """Whether an expression is plainly boolean: a test, a comparison, AND/OR/NOT, true or false."""
    ((tag, body),) = node.items()
    if tag in ("BoolExpr", "NullTest", "BooleanTest"):
        return True
    if tag == "A_Const":
        return "boolval" in body
    if tag == "A_Expr":
        kind = body.get("kind")
        operator = next((item["String"]["sval"] for item in reversed(body.get("name", ())) if "String" in item), None)
        return kind in _COMPARISON_KINDS and (kind != "AEXPR_OP" or operator in COMPARISON_OPERATORS)
    return tag == "TypeCast" and format_type(body["typeName"]) == "boolean"


_PRINT_ERRORS = (Unprintable, KeyError, TypeError, ValueError, IndexError, AttributeError, RecursionError)


def expr_text(node: dict[str, Any], source: Callable[[], str], one_line: bool = False) -> str:
    """The expression as `pg_get_expr` would print it, or `source()` (its exact text) when a
    node is beyond this printer. A bare string literal prints as `'…'::text`; for a column
    default, pass the result through `retype_default` with the column's type. `one_line`: a
    CASE on one line, for an expression the server keeps nowhere (a USING, quoted in advice)."""
    try:
        return _Printer(one_line=one_line).printed(node)
    except _PRINT_ERRORS:
        return source()


def typed_text(node: dict[str, Any], columns: Mapping[str, str]) -> str | None:
    """An expression as `pg_get_expr` prints it on a table whose columns have these types
    (`lower((email)::text)` for a varchar column, `'a'::mood` next to an enum column); None
    when a node is beyond this printer. The statement alone does not say the column types;
    the replay knows them."""
    try:
        return _Printer(columns).printed(node)
    except _PRINT_ERRORS:
        return None


_LONE_TEXT_LITERAL = re.compile(r"(E?)'((?:[^']|'')*)'::text")


# Types whose modifiers are applied by a length-coercion function: a NULL default for such a
# column is stored inside that call, so the server keeps it (and prints its constant).
_COERCED_BY_TYPMOD = frozenset(
    {"character varying", "bpchar", "numeric", "bit", '"bit"', "bit varying", "timestamp without time zone",
     "timestamp with time zone", "time without time zone", "time with time zone"}
)  # fmt: skip


def null_default(column_type: str) -> str | None:
    """What `DEFAULT NULL` leaves in the catalog: nothing (a bare NULL is not stored), unless
    the column's modifiers coerce it: `NULL::character varying` for varchar(n)."""
    bare = without_typmod(column_type)
    if bare == column_type or bare.removesuffix("[]") not in _COERCED_BY_TYPMOD:
        return None
    return f"NULL::{quoted_type(bare)}"


def retype_default(default: str | None, column_type: str) -> str | None:
    """A default printed by `expr_text`, as the server stores it for a column of
    `column_type`: a lone string literal takes the column's type (`'x'::character varying`,
    `'{}'::jsonb`, `5` for an integer, `true` for a boolean). The replay applies this to
    `ALTER COLUMN … SET DEFAULT`, where the statement does not say the column's type."""
    if default is None:
        return None
    if default == "NULL" or default.startswith("NULL::"):
        return null_default(column_type)
    match = _LONE_TEXT_LITERAL.fullmatch(default)
    if match is None or column_type == "text":
        return default
    value = match.group(2).replace("''", "'")
    if match.group(1):
        value = value.replace("\\\\", "\\")
    return string_literal(value, quoted_type(without_typmod(column_type)))


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
