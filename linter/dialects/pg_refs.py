"""What a PostgreSQL expression refers to, from its parse tree or its printed text.

The columns an expression names (a dropped column takes the indexes whose expressions use it),
a column renamed inside printed text (the server reprints expressions with the new name), and
the parse trees the replay prints again once it knows the table's column types.
"""

from __future__ import annotations

import json
import re
from typing import Any

from linter.dialects.pg_types import quote_ident


def _column_definition(text: str) -> dict[str, Any] | None:
    """The ColumnDef node of a column definition's text (`email text NOT NULL …`)."""
    from linter.dialects.pg_parser import ParseError, parse_sql_json

    try:
        (parsed,) = json.loads(parse_sql_json(f"CREATE TABLE _ ({text})"))["stmts"]
        (element,) = parsed["stmt"]["CreateStmt"]["tableElts"]
        return element["ColumnDef"]
    except (ParseError, ValueError, KeyError, TypeError, RecursionError):
        return None


def generated_node(column_definition: str) -> dict[str, Any] | None:
    """The expression of a column definition's GENERATED ALWAYS AS (…), from its text."""
    node = _column_definition(column_definition)
    for item in (node or {}).get("constraints", ()):
        constraint = item.get("Constraint") or {}
        if constraint.get("contype") == "CONSTR_GENERATED":
            return constraint.get("raw_expr")
    return None


def column_type_name(column_definition: str) -> dict[str, Any] | None:
    """The TypeName node of a column definition, from its text."""
    node = _column_definition(column_definition)
    return node.get("typeName") if node is not None else None


def check_node(constraint: str) -> dict[str, Any] | None:
    """The expression of a CHECK constraint, from the text of its definition (`CHECK (…)`,
    `CONSTRAINT name CHECK (…) NOT VALID`, as a table or a column constraint, or the ALTER
    TABLE sub-command `ADD CONSTRAINT …`)."""
    from linter.dialects.pg_parser import ParseError, parse_sql_json

    command = constraint if _ADD.match(constraint) else f"ADD {constraint}"
    try:
        (parsed,) = json.loads(parse_sql_json(f"ALTER TABLE t {command}"))["stmts"]
        (command,) = parsed["stmt"]["AlterTableStmt"]["cmds"]
        node = command["AlterTableCmd"]["def"]["Constraint"]
        return node["raw_expr"] if node.get("contype") == "CONSTR_CHECK" else None
    except (ParseError, ValueError, KeyError, TypeError, RecursionError):
        return None


_ADD = re.compile(r"ADD\s", re.IGNORECASE)


def index_nodes(statement: str) -> tuple[list[dict[str, Any] | None], dict[str, Any] | None] | None:
    """The key element expressions (None for plain columns) and the WHERE clause of a
    CREATE INDEX statement's text, or None when it is not one."""
    from linter.dialects.pg_parser import ParseError, parse_sql_json

    try:
        (parsed,) = json.loads(parse_sql_json(statement))["stmts"]
        node = parsed["stmt"]["IndexStmt"]
        elements = [param["IndexElem"].get("expr") for param in node.get("indexParams", ())]
        return elements, node.get("whereClause")
    except (ParseError, ValueError, KeyError, TypeError, RecursionError):
        return None


# The tokens of a printed expression: string literals, quoted and bare identifiers, `::`, the rest.
_TOKEN = re.compile(r"""E?'(?:[^']|'')*'|"(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_$]*|::|\s+|.""", re.DOTALL)


def _column_tokens(text: str, name: str) -> list[tuple[int, int]]:
    """Where a printed expression names the column `name`: identifiers equal to it that are
    not a function's name (followed by `(`) nor a type's (after `::`)."""
    spelled = quote_ident(name)
    found = []
    previous = ""
    tokens = list(_TOKEN.finditer(text))
    for position, token in enumerate(tokens):
        value = token.group()
        if value.isspace():
            continue
        if value == spelled and previous != "::":
            following = next((t.group() for t in tokens[position + 1 :] if not t.group().isspace()), "")
            if following != "(":
                found.append(token.span())
        previous = value
    return found


def mentions_column(text: str, name: str) -> bool:
    """Whether a printed expression uses the column `name`."""
    return bool(_column_tokens(text, name))


def rename_column_in(text: str, old: str, new: str) -> str:
    """A printed expression with the column `old` renamed to `new`, as the server reprints it."""
    spans = _column_tokens(text, old)
    if not spans:
        return text
    pieces = []
    done = 0
    for start, end in spans:
        pieces.append(text[done:start])
        pieces.append(quote_ident(new))
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


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
