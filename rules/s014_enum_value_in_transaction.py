from __future__ import annotations

import json
from typing import Any

from linter import actions as a
from linter.context import StatementContext
from linter.dialects.pg_context import range_name
from linter.dialects.pg_expr import COMPARISON_OPERATORS
from linter.dialects.pg_types import type_names
from linter.findings import Severity
from linter.replay_tables import split_type
from linter.rule import Doc, Example, Rule
from linter.schema import Schema
from rules.s012_lock_timeout_missing import _Memo, qualified, transaction_groups

_GROUPS = _Memo()
# Per statement of the file, its string constants, read when first needed: a file that adds
# many values in one transaction would otherwise walk every later statement once per value.
_LITERALS = _Memo()


class EnumValueInTransaction(Rule):
    id = "S014"
    name = "enum-value-in-transaction"
    severity = Severity.ERROR
    summary = "ALTER TYPE … ADD VALUE used in its own transaction, or inside a transaction before PostgreSQL 12."
    dialects = frozenset({"postgresql"})
    actions = (a.AddEnumValue,)
    doc = Doc(
        what="`ALTER TYPE … ADD VALUE 'x'` followed, in the same transaction, by a statement that uses the "
        "literal `'x'` where it may be read as a value of that enum, a LANGUAGE sql function's body included (not "
        "where it is compared with, stored in or made the default of a column of another type, cast to another "
        "type, or a bare string in a SELECT list); or, on PostgreSQL < 12 (`pg-version`), `ADD VALUE` inside a transaction at all. The "
        "migration tool's transaction decides what \"same transaction\" means (Prisma and golang-migrate: "
        "a multi-statement file; dbmate, Flyway, Diesel: the whole file; plain folders: BEGIN … COMMIT). An "
        "enum created in the same file is exempt (its new values are usable at once).",
        why='PostgreSQL ≥ 12 refuses to use a new enum value before the transaction that added it commits '
        '("unsafe use of new value"); PostgreSQL < 12 refuses ADD VALUE in a transaction block altogether. '
        "Either way the migration fails at deploy time.",
        instead="Add the value in one migration and use it in a later one (or, where the tool allows, put a "
        "COMMIT between them); before PostgreSQL 12, run ADD VALUE in a migration its tool runs outside a "
        "transaction.",
        bad=Example(
            "BEGIN;\nALTER TYPE status ADD VALUE 'archived';\nUPDATE orders SET status = 'archived' WHERE closed;\nCOMMIT;\n",
            before=(
                "CREATE TYPE status AS ENUM ('open', 'closed');\n"
                "CREATE TABLE orders (id bigint PRIMARY KEY, status status, closed boolean);\n",
            ),
            expect=((2, 1),),
        ),
        good=Example(
            "BEGIN;\nALTER TYPE status ADD VALUE 'archived';\nCOMMIT;\nUPDATE orders SET status = 'archived' WHERE closed;\n",
            before=(
                "CREATE TYPE status AS ENUM ('open', 'closed');\n"
                "CREATE TABLE orders (id bigint PRIMARY KEY, status status, closed boolean);\n",
            ),
        ),
    )

    def check_action(self, action: a.AddEnumValue, ctx: StatementContext) -> None:
        statement = ctx.statement
        if statement is None or not statement.in_transaction:
            return
        enum = ctx.schema.enum(action.enum)
        if enum is not None and enum.created.migration is ctx.migration:
            return  # created in this file: its values are usable within the transaction
        name = str(action.enum)
        lock = f'EXCLUSIVE on type "{name}": blocks other ADD VALUE on it; tables using the type are not locked, until commit'
        if ctx.settings.pg_version < 12:
            ctx.report(
                action.span,
                f"ALTER TYPE {name} ADD VALUE cannot run inside a transaction block before PostgreSQL 12: the migration fails",
                lock=lock,
                fix="move the statement into a migration its tool runs outside a transaction (Prisma, golang-migrate: "
                f"a file holding only it; dbmate: `-- migrate:up transaction:false`):\n{statement.text};",
            )
            return
        enum_name = enum.name if enum is not None else action.enum.name
        groups = _GROUPS.get(ctx.statements, transaction_groups)
        literals = _LITERALS.get(ctx.statements, lambda statements: [None] * len(statements))
        group = groups[ctx.position]
        for offset, later in enumerate(ctx.later_statements, start=ctx.position + 1):
            if groups[offset] != group:
                break
            if literals[offset] is None:
                literals[offset] = _literal_hints(later.kind, later.node) if isinstance(later.node, dict) else {}
            hints = literals[offset].get(action.value, ())
            if any(may_use(hint, enum_name, ctx.schema) for hint in hints):
                line = later.span.file.position(later.span.start).line
                ctx.report(
                    action.span,
                    f"enum value '{action.value}' of \"{name}\" is used at line {line} in the transaction that adds it: "
                    '"unsafe use of new value", the migration fails',
                    lock=lock,
                    fix=f"add the value in one migration and use it in a later one:\n"
                    f"ALTER TYPE {qualified(action.enum)} ADD VALUE IF NOT EXISTS '{action.value.replace(chr(39), chr(39) * 2)}';\n"
                    f"-- in a later migration:\n{later.text};",
                )
                return


# What the parse tree says about the type a string constant takes (`_literal_hints`):
_UNKNOWN = None  # nothing: the constant may become the enum
_TEXT = ("text",)  # a bare constant in a SELECT list: PostgreSQL makes it text
# ("type", name): cast to, or the default of a column declared as, the type `name`
# ("column", relation or None, column name or position): compared with or stored in a column;
# for an unqualified name among several tables, a tuple of them (the one that has the column)



def _literal_hints(kind: str, node: Any) -> dict[str, list[tuple | None]]:
    """Each string constant of a pglast JSON tree (not identifiers or comments), with what the
    tree says of the type it takes, one hint per occurrence."""
    found: dict[str, list[tuple | None]] = {}
    if kind == "CreateFunctionStmt":
        _sql_function_body(node, found)
    hints = _hinted_children({kind: node}, _Scope(node))  # by identity, for nodes anywhere below
    if kind == "SelectStmt":
        for target in node.get("targetList", ()):
            hints[id(target.get("ResTarget", {}).get("val"))] = _TEXT
    # Each node with the tables its column names refer to: a subquery's own.
    stack: list[tuple[Any, _Scope]] = [(node, _Scope(node))]
    while stack:
        item, scope = stack.pop()
        if isinstance(item, list):
            stack.extend((child, scope) for child in item)
        elif isinstance(item, dict):
            const = item.get("A_Const")
            if isinstance(const, dict):
                value = (const.get("sval") or {}).get("sval")
                if isinstance(value, str):
                    found.setdefault(value, []).append(hints.get(id(item), _UNKNOWN))
                continue
            for query in _QUERIES.intersection(item):
                scope = _Scope(item[query])
            hints.update(_hinted_children(item, scope))
            stack.extend((child, scope) for child in item.values())
    return found


_QUERIES = frozenset({"SelectStmt", "UpdateStmt", "InsertStmt", "DeleteStmt"})


def _sql_function_body(node: dict[str, Any], found: dict[str, list[tuple | None]]) -> None:
    """The strings of a LANGUAGE sql function's body, which PostgreSQL parses and checks when
    the function is created (check_function_bodies, on by default); a plpgsql body it only
    reads when the function runs."""
    options = {
        item["DefElem"].get("defname"): item["DefElem"].get("arg")
        for item in node.get("options", ())
        if "DefElem" in item
    }
    language = (options.get("language") or {}).get("String", {}).get("sval")
    body = [part.get("String", {}).get("sval") for part in (options.get("as") or {}).get("List", {}).get("items", ())]
    if language != "sql" or len(body) != 1 or not isinstance(body[0], str):
        return
    from linter.dialects.pg_parser import ParseError, parse_sql_json

    try:
        statements = json.loads(parse_sql_json(body[0]))["stmts"]
    except (ParseError, ValueError, KeyError):
        return
    for raw in statements:
        ((kind, inner),) = raw["stmt"].items()
        for value, hints in _literal_hints(kind, inner).items():
            found.setdefault(value, []).extend(hints)


class _Scope:
    """The tables a statement's column names may refer to: the table it changes (`target`: an
    UPDATE's, INSERT's or DELETE's, an ALTER TABLE's), and every table of its FROM (or USING)
    clause and joins, by
    the name that qualifies its columns (its alias, else its name). `complete` is false when
    the FROM clause holds something else (a subquery, a function), whose columns are unknown."""

    __slots__ = ("target", "tables", "complete")

    def __init__(self, node: dict[str, Any]) -> None:
        relation = node.get("relation")
        self.target = relation if isinstance(relation, dict) and "relname" in relation else None
        self.tables: dict[str, dict[str, Any]] = {}
        self.complete = True
        if self.target is not None:
            self._add(self.target)
        pending = [*(node.get("fromClause") or ()), *(node.get("usingClause") or ())]  # DELETE … USING
        while pending:
            item = pending.pop()
            if "RangeVar" in item:
                self._add(item["RangeVar"])
            elif "JoinExpr" in item:
                pending += [side for side in (item["JoinExpr"].get("larg"), item["JoinExpr"].get("rarg")) if side]
            else:
                self.complete = False

    def _add(self, relation: dict[str, Any]) -> None:
        self.tables[(relation.get("alias") or {}).get("aliasname") or relation.get("relname", "")] = relation

    def column(self, ref: dict[str, Any]) -> tuple[Any, str | None]:
        """The table (or, for an unqualified name among several tables, the tuple of them) and
        the column a ColumnRef names; (None, None) where it cannot tell."""
        fields = [f.get("String", {}).get("sval") for f in ref.get("fields", ())]
        if len(fields) == 2:
            return self.tables.get(fields[0]), fields[1]
        if len(fields) != 1 or not self.complete or not self.tables:
            return None, None
        tables = tuple(self.tables.values())
        return (tables[0] if len(tables) == 1 else tables), fields[0]


def _hinted_children(item: dict[str, Any], scope: _Scope) -> dict[int, tuple]:
    """Hints for the children of `item` (by identity) where its shape gives one."""
    if "TypeCast" in item:
        cast = item["TypeCast"]
        return {id(cast.get("arg")): ("type", _last_name(cast.get("typeName")))}
    if "ColumnDef" in item:
        column = item["ColumnDef"]
        hint = ("type", _last_name(column.get("typeName")))
        return {
            id(c["Constraint"].get("raw_expr")): hint
            for c in column.get("constraints", ())
            if c.get("Constraint", {}).get("contype") == "CONSTR_DEFAULT"
        }
    if "AlterTableCmd" in item:
        command = item["AlterTableCmd"]
        if command.get("subtype") == "AT_ColumnDefault":
            return {id(command.get("def")): ("column", scope.target, command.get("name"))}
        return {}
    if "UpdateStmt" in item or "InsertStmt" in item:
        return _stored_values(item, scope.target)
    if "A_Expr" in item:
        expr = item["A_Expr"]
        names = [n.get("String", {}).get("sval") for n in expr.get("name", ())]
        if expr.get("kind") not in ("AEXPR_OP", "AEXPR_IN", "AEXPR_DISTINCT", "AEXPR_NOT_DISTINCT"):
            return {}
        if expr.get("kind") == "AEXPR_OP" and not (len(names) == 1 and names[0] in COMPARISON_OPERATORS):
            return {}
        left, right = expr.get("lexpr"), expr.get("rexpr")
        for column, other in ((left, right), (right, left)):
            if isinstance(column, dict) and "ColumnRef" in column:
                hint = ("column", *scope.column(column["ColumnRef"]))
                items = other.get("List", {}).get("items") if isinstance(other, dict) else None
                return {id(x): hint for x in (items or [other])}
    return {}


def _stored_values(item: dict[str, Any], relation: dict[str, Any] | None) -> dict[int, tuple]:
    """UPDATE … SET column = value, INSERT … (columns) VALUES / SELECT: each value's column."""
    if "UpdateStmt" in item:
        return {
            id(target["ResTarget"].get("val")): ("column", relation, target["ResTarget"].get("name"))
            for target in item["UpdateStmt"].get("targetList", ())
            if "ResTarget" in target
        }
    insert = item["InsertStmt"]
    columns = [c.get("ResTarget", {}).get("name") for c in insert.get("cols", ())]
    select = (insert.get("selectStmt") or {}).get("SelectStmt") or {}
    rows = [row.get("List", {}).get("items", []) for row in select.get("valuesLists", ())]
    rows.append([t.get("ResTarget", {}).get("val") for t in select.get("targetList", ())])
    hints: dict[int, tuple] = {}
    for row in rows:
        for position, value in enumerate(row):
            column = columns[position] if position < len(columns) else (None if columns else position)
            hints[id(value)] = ("column", relation, column)
    return hints


def _last_name(type_name: Any) -> str | None:
    names = type_names(type_name or {})
    return names[-1] if names else None


def may_use(hint: tuple | None, enum_name: str, schema: Schema) -> bool:
    """Whether a string constant with this hint may be read as a value of the enum `enum_name`:
    unless the tree, or the schema for a column, shows it takes another type."""
    if hint is _UNKNOWN:
        return True
    if hint is _TEXT:
        return False
    if hint[0] == "type":
        return hint[1] is None or hint[1] == enum_name
    _, relation, column = hint
    if relation is None or column is None:
        return True
    if isinstance(relation, tuple):  # an unqualified name: the one table that has the column
        tables = [schema.table(range_name(candidate)) for candidate in relation]
        if None in tables:
            return True
        holders = [table for table in tables if table is not None and table.column(column) is not None]
        table = holders[0] if len(holders) == 1 else None
    else:
        table = schema.table(range_name(relation))
    if table is None:
        return True
    if isinstance(column, int):
        columns = list(table.columns.values())
        found = columns[column] if column < len(columns) else None
    else:
        found = table.column(column)
    if found is None:
        return True
    base = split_type(found.type)[0].rsplit(".", 1)[-1].strip('"')
    return base == enum_name
