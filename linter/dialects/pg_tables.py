"""CREATE TABLE and ALTER TABLE as neutral actions.

An ALTER TABLE with several sub-commands gives one action per sub-command, each spanning
its own sub-command: pglast gives `AlterTableCmd` no location, so the sub-commands are
found as the top-level commas of the statement after the table name.
"""

from __future__ import annotations

import re
from typing import Any

from linter import actions as a
from linter.dialects import pg_scan
from linter.dialects.pg_columns import ColumnBuilder
from linter.dialects.pg_context import StmtSource, range_name, strings
from linter.dialects.pg_expr import expr_text
from linter.dialects.pg_types import format_type
from linter.schema import Column, Constraint, Name, PrimaryKey

_TABLE_OBJECTS = ("OBJECT_TABLE", "OBJECT_FOREIGN_TABLE")
_USING = frozenset({"using"})
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")

# Options of ALTER TABLE sub-commands that do not change the table's shape, by subtype.
_OPTIONS = {
    "AT_SetTableSpace": "set tablespace",
    "AT_SetLogged": "set logged",
    "AT_SetUnLogged": "set unlogged",
    "AT_ChangeOwner": "owner to",
    "AT_SetRelOptions": "set storage parameters",
    "AT_ResetRelOptions": "reset storage parameters",
    "AT_ReplaceRelOptions": "replace storage parameters",
    "AT_SetAccessMethod": "set access method",
    "AT_ClusterOn": "cluster on",
    "AT_DropCluster": "set without cluster",
    "AT_EnableTrig": "enable trigger",
    "AT_EnableAlwaysTrig": "enable always trigger",
    "AT_EnableReplicaTrig": "enable replica trigger",
    "AT_DisableTrig": "disable trigger",
    "AT_EnableTrigAll": "enable trigger all",
    "AT_DisableTrigAll": "disable trigger all",
    "AT_EnableTrigUser": "enable trigger user",
    "AT_DisableTrigUser": "disable trigger user",
    "AT_EnableRule": "enable rule",
    "AT_DisableRule": "disable rule",
    "AT_EnableRowSecurity": "enable row level security",
    "AT_DisableRowSecurity": "disable row level security",
    "AT_ForceRowSecurity": "force row level security",
    "AT_NoForceRowSecurity": "no force row level security",
    "AT_ReplicaIdentity": "replica identity",
    "AT_AddInherit": "inherit",
    "AT_DropInherit": "no inherit",
    "AT_AddOf": "of",
    "AT_DropOf": "not of",
    "AT_AttachPartition": "attach partition",
    "AT_DetachPartition": "detach partition",
    "AT_DetachPartitionFinalize": "detach partition finalize",
    "AT_SetStatistics": "alter column set statistics",
    "AT_SetOptions": "alter column set options",
    "AT_ResetOptions": "alter column reset options",
    "AT_SetStorage": "alter column set storage",
    "AT_SetCompression": "alter column set compression",
    "AT_DropExpression": "alter column drop expression",
    "AT_SetExpression": "alter column set expression",
    "AT_AlterConstraint": "alter constraint",
    "AT_GenericOptions": "options",
    "AT_AlterColumnGenericOptions": "alter column options",
    "AT_SetIdentity": "alter column set identity options",
}


def create_table(node: dict[str, Any], src: StmtSource) -> list[a.Action]:
    table = range_name(node.get("relation") or {})
    builder = ColumnBuilder(src, table)
    text = src.text
    # Element ends: the commas and the closing parenthesis of the element list (depth 1).
    bounds = pg_scan.separators(text, src.start, src.end, 1)
    columns: list[Column] = []
    constraints: list[Constraint] = []
    from_query = False
    not_null: set[str] = set()
    for element in node.get("tableElts", ()):
        if "ColumnDef" in element:
            coldef = element["ColumnDef"]
            start = src.at(coldef.get("location"))
            column, inline = builder.column(coldef, pg_scan.next_boundary(bounds, start, src.end), start)
            columns.append(column)
            constraints.extend(inline)
        elif "Constraint" in element:
            item = element["Constraint"]
            if item.get("contype") == "CONSTR_NOTNULL":
                not_null.update(strings(item.get("keys")))  # `NOT NULL col` (PostgreSQL 18)
                continue
            start = src.at(item.get("location"))
            built = builder.constraint(item, start, pg_scan.next_boundary(bounds, start, src.end), in_create=True)
            if built is not None:
                constraints.append(built)
        elif "TableLikeClause" in element:
            from_query = True
    _not_null(columns, constraints, not_null)
    inherits = node.get("inhRelations") or ()
    partition_of = None
    if node.get("partbound") is not None and inherits:
        partition_of = range_name(inherits[0]["RangeVar"])
    elif inherits:
        from_query = True  # INHERITS adds the parents' columns
    if node.get("ofTypename"):
        from_query = True
    return [
        a.CreateTable(
            span=src.whole(),
            table=table,
            columns=tuple(columns),
            constraints=tuple(constraints),
            if_not_exists=bool(node.get("if_not_exists")),
            temporary=(node.get("relation") or {}).get("relpersistence") == "t",
            from_query=from_query,
            partition_of=partition_of,
        )
    ]


def _not_null(columns: list[Column], constraints: list[Constraint], keys: set[str]) -> None:
    """Table-level NOT NULL and a primary key make their columns NOT NULL, as PostgreSQL
    records them."""
    keys = keys | {name for item in constraints if isinstance(item, PrimaryKey) for name in item.columns}
    for column in columns:
        if column.name in keys:
            column.nullable = False


def create_table_as(node: dict[str, Any], src: StmtSource) -> list[a.Action]:
    into = node.get("into") or {}
    relation = into.get("rel") or {}
    if node.get("objtype") == "OBJECT_MATVIEW":
        return [a.CreateView(span=src.whole(), view=range_name(relation), materialized=True)]
    return [
        a.CreateTable(
            span=src.whole(),
            table=range_name(relation),
            if_not_exists=bool(node.get("if_not_exists")),
            temporary=relation.get("relpersistence") == "t",
            from_query=True,
        )
    ]


def _subcommand_ranges(node: dict[str, Any], src: StmtSource, count: int) -> list[tuple[int, int]]:
    """[start, end) of each sub-command; the whole statement for each when the text does not
    split into exactly `count` pieces."""
    text = src.text
    name_start = src.at((node.get("relation") or {}).get("location"))
    first = pg_scan.skip_trivia(text, pg_scan.skip_name(text, name_start, src.end), src.end)
    if text.find(",", first, src.end) < 0:
        commas = []  # the common case, one sub-command: no comma to look at
    else:
        commas = [pos for pos in pg_scan.separators(text, first, src.end, 0) if text[pos] == ","]
    if len(commas) != count - 1:
        return [(src.start, src.end)] * count
    starts = [first] + [pg_scan.skip_trivia(text, pos + 1, src.end) for pos in commas]
    ends = commas + [src.end]
    return [(start, pg_scan.trim_end(text, start, end)) for start, end in zip(starts, ends)]


def alter_table(node: dict[str, Any], src: StmtSource) -> list[a.Action]:
    table = range_name(node.get("relation") or {})
    if node.get("objtype") not in _TABLE_OBJECTS:
        return [a.Opaque(span=src.whole(), what="AlterTableStmt")]  # ALTER INDEX / VIEW / SEQUENCE …
    cmds = [cmd["AlterTableCmd"] for cmd in node.get("cmds", ()) if "AlterTableCmd" in cmd]
    builder = ColumnBuilder(src, table)
    result: list[a.Action] = []
    for cmd, (start, end) in zip(cmds, _subcommand_ranges(node, src, len(cmds))):
        result.append(_subcommand(cmd, table, builder, src, start, end))
    return result


def _subcommand(
    cmd: dict[str, Any], table: Name, builder: ColumnBuilder, src: StmtSource, start: int, end: int
) -> a.Action:
    span = src.span(start, end)
    subtype = cmd.get("subtype", "")
    column = cmd.get("name", "")
    definition = cmd.get("def") or {}
    if subtype == "AT_AddColumn" and "ColumnDef" in definition:
        added, inline = builder.column(definition["ColumnDef"], end)
        return a.AddColumn(
            span=span, table=table, column=added, constraints=tuple(inline), if_not_exists=bool(cmd.get("missing_ok"))
        )
    if subtype == "AT_DropColumn":
        return a.DropColumn(
            span=span,
            table=table,
            column=column,
            if_exists=bool(cmd.get("missing_ok")),
            cascade=cmd.get("behavior") == "DROP_CASCADE",
        )
    if subtype == "AT_AlterColumnType" and "ColumnDef" in definition:
        coldef = definition["ColumnDef"]
        using = None
        if coldef.get("raw_default") is not None:
            found = pg_scan.find_word(src.text, start, end, _USING)
            first = found[2] if found else start
            using = expr_text(coldef["raw_default"], src.source(first, end), one_line=True)
        return a.AlterColumnType(
            span=span, table=table, column=column, type=format_type(coldef.get("typeName") or {}), using=using
        )
    if subtype == "AT_SetNotNull":
        return a.SetNotNull(span=span, table=table, column=column)
    if subtype == "AT_DropNotNull":
        return a.DropNotNull(span=span, table=table, column=column)
    if subtype == "AT_ColumnDefault":
        default = builder.default_text(definition, start, end, None) if definition else None
        return a.SetDefault(span=span, table=table, column=column, default=default)
    if subtype == "AT_AddConstraint" and "Constraint" in definition:
        return _add_constraint(definition["Constraint"], table, builder, span, start, end)
    if subtype == "AT_DropConstraint":
        return a.DropConstraint(
            span=span,
            table=table,
            name=column,
            if_exists=bool(cmd.get("missing_ok")),
            cascade=cmd.get("behavior") == "DROP_CASCADE",
        )
    if subtype == "AT_ValidateConstraint":
        return a.ValidateConstraint(span=span, table=table, name=column)
    if subtype == "AT_AddIdentity" and "Constraint" in definition:
        when = definition["Constraint"].get("generated_when")
        return a.SetIdentity(span=span, table=table, column=column, identity="always" if when == "a" else "by default")
    if subtype == "AT_DropIdentity":
        return a.SetIdentity(span=span, table=table, column=column, identity=None)
    if subtype == "AT_SetIdentity":
        generated = _identity_generated(definition)
        if generated is not None:
            return a.SetIdentity(span=span, table=table, column=column, identity=generated)
    return a.TableOption(span=span, table=table, option=_OPTIONS.get(subtype) or _describe(subtype))


def _add_constraint(
    item: dict[str, Any], table: Name, builder: ColumnBuilder, span: Any, start: int, end: int
) -> a.Action:
    keys = strings(item.get("keys"))
    if item.get("contype") == "CONSTR_NOTNULL" and len(keys) == 1:
        # `ADD CONSTRAINT name NOT NULL col` (PostgreSQL 18) is SET NOT NULL with a name.
        return a.SetNotNull(span=span, table=table, column=keys[0])
    built = builder.constraint(item, start, end)
    if built is None:
        return a.TableOption(span=span, table=table, option="add constraint " + _describe(item.get("contype", "")))
    return a.AddConstraint(
        span=span,
        table=table,
        constraint=built,
        not_valid=bool(item.get("skip_validation")),
        using_index=item.get("indexname"),
    )


def _identity_generated(definition: dict[str, Any]) -> str | None:
    """ALTER COLUMN … SET GENERATED ALWAYS / BY DEFAULT, if that is among the options."""
    for option in (definition.get("List") or {}).get("items", ()):
        elem = option.get("DefElem") or {}
        if elem.get("defname") == "generated":
            code = (elem.get("arg") or {}).get("Integer", {}).get("ival")
            return "always" if code == ord("a") else "by default"
    return None


def _describe(subtype: str) -> str:
    """`AT_EnableAlwaysRule` -> `enable always rule`: a readable name for any other subtype."""
    words = subtype.removeprefix("AT_").removeprefix("CONSTR_")
    return _CAMEL.sub(" ", words).replace("_", " ").lower()
