"""PostgreSQL statements other than CREATE / ALTER TABLE, as neutral actions."""

from __future__ import annotations

from typing import Any

from linter import actions as a
from linter.dialects import pg_scan
from linter.dialects.pg_columns import ColumnBuilder
from linter.dialects.pg_context import StmtSource, list_name, object_name, range_name, strings
from linter.dialects.pg_expr import expr_text
from linter.dialects.pg_types import format_type
from linter.schema import Index, Name

_WHERE = frozenset({"where"})
_RENAME = frozenset({"rename"})


def _cascade(node: dict[str, Any]) -> bool:
    return node.get("behavior") == "DROP_CASCADE"


def create_index(node: dict[str, Any], src: StmtSource) -> list[a.Action]:
    relation = node.get("relation") or {}
    table = range_name(relation)
    text = src.text
    name_end = pg_scan.skip_name(text, src.at(relation.get("location")), src.end)
    builder = ColumnBuilder(src, table)
    params = [param["IndexElem"] for param in node.get("indexParams", ())]
    elements, close_at = builder.index_elements(params, name_end, src.end)
    predicate = None
    if node.get("whereClause") is not None:
        found = pg_scan.find_word(text, min(close_at + 1, src.end), src.end, _WHERE)
        first = found[2] if found else close_at
        predicate = expr_text(node["whereClause"], src.source(first, src.end))
    index = Index(
        name=node.get("idxname"),
        table=table,
        elements=elements,
        unique=bool(node.get("unique")),
        method=node.get("accessMethod") or "btree",
        predicate=predicate,
        include=[param["IndexElem"].get("name", "") for param in node.get("indexIncludingParams", ())],
        nulls_not_distinct=bool(node.get("nulls_not_distinct")),
        span=src.whole(),
    )
    return [
        a.CreateIndex(
            span=src.whole(),
            index=index,
            concurrently=bool(node.get("concurrent")),
            if_not_exists=bool(node.get("if_not_exists")),
            schema=relation.get("schemaname"),
        )
    ]


def rename(node: dict[str, Any], src: StmtSource) -> list[a.Action]:
    kind = node.get("renameType")
    span = src.whole()
    new_name = node.get("newname", "")
    relation = node.get("relation")
    if kind in ("OBJECT_TABLE", "OBJECT_FOREIGN_TABLE") and relation:
        return [a.RenameTable(span=span, table=range_name(relation), new_name=new_name)]
    if kind == "OBJECT_COLUMN" and relation and node.get("relationType") in ("OBJECT_TABLE", "OBJECT_FOREIGN_TABLE"):
        return [
            a.RenameColumn(
                span=_rename_clause(relation, src),
                table=range_name(relation),
                column=node.get("subname", ""),
                new_name=new_name,
            )
        ]
    if kind == "OBJECT_TABCONSTRAINT" and relation:
        return [
            a.RenameConstraint(
                span=_rename_clause(relation, src),
                table=range_name(relation),
                name=node.get("subname", ""),
                new_name=new_name,
            )
        ]
    if kind == "OBJECT_INDEX" and relation:
        return [a.RenameIndex(span=span, index=range_name(relation), new_name=new_name)]
    if kind == "OBJECT_SEQUENCE" and relation:
        return [a.RenameSequence(span=span, sequence=range_name(relation), new_name=new_name)]
    if kind in ("OBJECT_TYPE", "OBJECT_DOMAIN") and node.get("object"):
        return [a.RenameType(span=span, type=object_name(node["object"]), new_name=new_name)]
    if kind == "OBJECT_DOMCONSTRAINT" and node.get("object"):
        domain = object_name(node["object"])
        return [
            a.AlterDomain(
                span=span, domain=domain, change="rename check", constraint=node.get("subname"), new_name=new_name
            )
        ]
    return [a.Opaque(span=span, what="RenameStmt")]  # views, sequences, functions, …


def _rename_clause(relation: dict[str, Any], src: StmtSource) -> Any:
    """`RENAME [COLUMN] a TO b` of an ALTER TABLE: the sub-command that names the column or
    constraint, like the other ALTER TABLE sub-commands."""
    text = src.text
    name_end = pg_scan.skip_name(text, src.at(relation.get("location")), src.end)
    found = pg_scan.find_word(text, name_end, src.end, _RENAME)
    return src.span(found[1], src.end) if found else src.whole()


def alter_object_schema(node: dict[str, Any], src: StmtSource) -> list[a.Action]:
    relation = node.get("relation")
    if node.get("objectType") in ("OBJECT_TABLE", "OBJECT_FOREIGN_TABLE") and relation:
        return [a.SetTableSchema(span=src.whole(), table=range_name(relation), new_schema=node.get("newschema", ""))]
    if node.get("objectType") in ("OBJECT_TYPE", "OBJECT_DOMAIN") and node.get("object"):
        return [a.SetTypeSchema(span=src.whole(), type=object_name(node["object"]), new_schema=node.get("newschema", ""))]
    return [a.Opaque(span=src.whole(), what="AlterObjectSchemaStmt")]


def drop(node: dict[str, Any], src: StmtSource) -> list[a.Action]:
    kind = node.get("removeType")
    names = tuple(object_name(obj) for obj in node.get("objects", ()))
    span = src.whole()
    if_exists = bool(node.get("missing_ok"))
    cascade = _cascade(node)
    if kind in ("OBJECT_TABLE", "OBJECT_FOREIGN_TABLE"):
        return [a.DropTable(span=span, tables=names, if_exists=if_exists, cascade=cascade)]
    if kind == "OBJECT_INDEX":
        return [
            a.DropIndex(
                span=span,
                indexes=names,
                concurrently=bool(node.get("concurrent")),
                if_exists=if_exists,
                cascade=cascade,
            )
        ]
    if kind == "OBJECT_TYPE":
        return [a.DropType(span=span, types=names, if_exists=if_exists, cascade=cascade)]
    if kind == "OBJECT_DOMAIN":
        return [a.DropDomain(span=span, domains=names, if_exists=if_exists, cascade=cascade)]
    if kind == "OBJECT_SCHEMA":
        return [
            a.DropSchema(span=span, schemas=tuple(name.name for name in names), if_exists=if_exists, cascade=cascade)
        ]
    if kind in ("OBJECT_VIEW", "OBJECT_MATVIEW"):
        return [
            a.DropView(
                span=span, views=names, if_exists=if_exists, cascade=cascade, materialized=kind == "OBJECT_MATVIEW"
            )
        ]
    return [a.Opaque(span=span, what="DropStmt")]


def create_enum(node: dict[str, Any], src: StmtSource) -> list[a.Action]:
    values = tuple(strings(node.get("vals")))
    return [a.CreateEnum(span=src.whole(), enum=list_name(strings(node.get("typeName"))), values=values)]


def create_domain(node: dict[str, Any], src: StmtSource) -> list[a.Action]:
    domain = list_name(strings(node.get("domainname")))
    base_type = format_type(node.get("typeName") or {})
    default, not_null, checks = None, False, []
    items = [item["Constraint"] for item in node.get("constraints", ()) if "Constraint" in item]
    starts = [src.at(item.get("location")) for item in items]
    for index, item in enumerate(items):
        kind = item.get("contype")
        if kind == "CONSTR_DEFAULT":
            end = starts[index + 1] if index + 1 < len(items) else src.end
            default = ColumnBuilder(src, domain).default_text(item["raw_expr"], starts[index], end, base_type)
        elif kind in ("CONSTR_NOTNULL", "CONSTR_NULL"):
            not_null = kind == "CONSTR_NOTNULL"
        elif kind == "CONSTR_CHECK":
            checks.append(item.get("conname"))
    return [
        a.CreateDomain(
            span=src.whole(),
            domain=domain,
            base_type=base_type,
            default=default,
            not_null=not_null,
            checks=tuple(checks),
        )
    ]


# ALTER DOMAIN's sub-commands by the parser's letter (V, VALIDATE CONSTRAINT, changes nothing modelled).
_DOMAIN_CHANGES = {"N": "drop not null", "O": "set not null", "C": "add check", "X": "drop check"}


def alter_domain(node: dict[str, Any], src: StmtSource) -> list[a.Action]:
    domain = list_name(strings(node.get("typeName")))
    subtype = node.get("subtype")
    span = src.whole()
    if subtype == "T":
        expr = node.get("def")
        if expr is None:
            return [a.AlterDomain(span=span, domain=domain, change="drop default")]
        # The base type is the replay's to know: the default is printed as written.
        default = ColumnBuilder(src, domain).default_text(expr, src.start, src.end, None)
        return [a.AlterDomain(span=span, domain=domain, change="set default", default=default)]
    change = _DOMAIN_CHANGES.get(subtype or "")
    if change is None:
        return [a.Opaque(span=span, what="AlterDomainStmt")]
    definition = node.get("def", {}).get("Constraint", {})
    if change == "add check" and definition.get("contype") != "CONSTR_CHECK":
        return [a.Opaque(span=span, what="AlterDomainStmt")]  # ADD CONSTRAINT … NOT NULL (PostgreSQL 17)
    constraint = node.get("name") if change == "drop check" else definition.get("conname")
    return [
        a.AlterDomain(
            span=span, domain=domain, change=change, constraint=constraint, if_exists=bool(node.get("missing_ok"))
        )
    ]


def alter_enum(node: dict[str, Any], src: StmtSource) -> list[a.Action]:
    enum = list_name(strings(node.get("typeName")))
    if node.get("oldVal") is not None:
        return [a.RenameEnumValue(span=src.whole(), enum=enum, value=node["oldVal"], new_value=node.get("newVal", ""))]
    neighbor = node.get("newValNeighbor")
    after = bool(node.get("newValIsAfter"))
    return [
        a.AddEnumValue(
            span=src.whole(),
            enum=enum,
            value=node.get("newVal", ""),
            before=neighbor if neighbor is not None and not after else None,
            after=neighbor if neighbor is not None and after else None,
            if_not_exists=bool(node.get("skipIfNewValExists")),
        )
    ]


def create_schema(node: dict[str, Any], src: StmtSource) -> list[a.Action]:
    name = node.get("schemaname") or (node.get("authrole") or {}).get("rolename", "")
    return [a.CreateSchema(span=src.whole(), schema=name, if_not_exists=bool(node.get("if_not_exists")))]


def create_view(node: dict[str, Any], src: StmtSource) -> list[a.Action]:
    return [
        a.CreateView(span=src.whole(), view=range_name(node.get("view") or {}), or_replace=bool(node.get("replace")))
    ]


_COMMENT_TARGETS = {"OBJECT_TABLE": "table", "OBJECT_COLUMN": "column", "OBJECT_INDEX": "index", "OBJECT_TYPE": "type"}


def comment(node: dict[str, Any], src: StmtSource) -> list[a.Action]:
    kind = node.get("objtype", "")
    target = _COMMENT_TARGETS.get(kind) or kind.removeprefix("OBJECT_").lower().replace("_", " ")
    obj = node.get("object") or {}
    text = node.get("comment")
    if kind == "OBJECT_COLUMN" and "List" in obj:
        parts = strings(obj["List"].get("items"))
        return [a.Comment(span=src.whole(), target=target, object=list_name(parts[:-1]), column=parts[-1], text=text)]
    return [a.Comment(span=src.whole(), target=target, object=object_name(obj), text=text)]


def _setting_value(arg: dict[str, Any]) -> str:
    const = arg.get("A_Const")
    if const is not None:
        if "sval" in const:
            return const["sval"].get("sval", "")
        if "ival" in const:
            return str(const["ival"].get("ival", 0))
        if "fval" in const:
            return const["fval"]["fval"]
        if "boolval" in const:
            return "on" if const["boolval"].get("boolval") else "off"
    return expr_text(arg, lambda: "")


def set_variable(node: dict[str, Any], src: StmtSource) -> list[a.Action]:
    kind = node.get("kind")
    span = src.whole()
    local = bool(node.get("is_local"))
    name = (node.get("name") or "").lower()
    if kind == "VAR_SET_VALUE":
        values = tuple(_setting_value(arg) for arg in node.get("args", ()))
        return [a.SetVariable(span=span, name=name, value=", ".join(values), local=local, values=values)]
    if kind in ("VAR_SET_DEFAULT", "VAR_RESET", "VAR_SET_CURRENT"):
        return [a.SetVariable(span=span, name=name, value=None, local=local)]
    if kind == "VAR_RESET_ALL":
        return [a.SetVariable(span=span, name="all", value=None, local=local)]
    return [a.Opaque(span=span, what="VariableSetStmt")]


_TRANSACTION_OPS = {
    "TRANS_STMT_BEGIN": "begin",
    "TRANS_STMT_START": "begin",
    "TRANS_STMT_COMMIT": "commit",
    "TRANS_STMT_ROLLBACK": "rollback",
    "TRANS_STMT_SAVEPOINT": "savepoint",
    "TRANS_STMT_RELEASE": "release",
    "TRANS_STMT_ROLLBACK_TO": "rollback to",
    "TRANS_STMT_PREPARE": "prepare",
    "TRANS_STMT_COMMIT_PREPARED": "commit prepared",
    "TRANS_STMT_ROLLBACK_PREPARED": "rollback prepared",
}


def transaction(node: dict[str, Any], src: StmtSource) -> list[a.Action]:
    op = _TRANSACTION_OPS.get(node.get("kind", ""), "begin")
    return [a.Transaction(span=src.whole(), op=op)]


def _relation(node: dict[str, Any]) -> Name | None:
    relation = node.get("relation")
    return range_name(relation) if relation else None


def insert(node: dict[str, Any], src: StmtSource) -> list[a.Action]:
    select = (node.get("selectStmt") or {}).get("SelectStmt")
    from_query = select is not None and not select.get("valuesLists")
    return [a.DataChange(span=src.whole(), op="insert", table=_relation(node), from_query=from_query)]


def update(node: dict[str, Any], src: StmtSource) -> list[a.Action]:
    return [
        a.DataChange(
            span=src.whole(),
            op="update",
            table=_relation(node),
            has_where=node.get("whereClause") is not None,
            from_query=bool(node.get("fromClause")),
        )
    ]


def delete(node: dict[str, Any], src: StmtSource) -> list[a.Action]:
    return [
        a.DataChange(
            span=src.whole(),
            op="delete",
            table=_relation(node),
            has_where=node.get("whereClause") is not None,
            from_query=bool(node.get("usingClause")),
        )
    ]


def merge(node: dict[str, Any], src: StmtSource) -> list[a.Action]:
    return [a.DataChange(span=src.whole(), op="merge", table=_relation(node), from_query=True)]


def copy(node: dict[str, Any], src: StmtSource) -> list[a.Action]:
    return [a.DataChange(span=src.whole(), op="copy", table=_relation(node), from_query=node.get("query") is not None)]


def truncate(node: dict[str, Any], src: StmtSource) -> list[a.Action]:
    tables = tuple(range_name(item["RangeVar"]) for item in node.get("relations", ()) if "RangeVar" in item)
    return [a.Truncate(span=src.whole(), tables=tables, cascade=_cascade(node))]


def _option_names(items: Any) -> set[str]:
    return {item["DefElem"].get("defname", "") for item in items or () if "DefElem" in item}


def vacuum(node: dict[str, Any], src: StmtSource) -> list[a.Action]:
    tables = tuple(
        range_name(item["VacuumRelation"]["relation"])
        for item in node.get("rels", ())
        if "VacuumRelation" in item and item["VacuumRelation"].get("relation")
    )
    if not node.get("is_vacuumcmd"):
        op = "analyze"
    else:
        op = "vacuum full" if "full" in _option_names(node.get("options")) else "vacuum"
    return [a.Maintenance(span=src.whole(), op=op, tables=tables)]


def cluster(node: dict[str, Any], src: StmtSource) -> list[a.Action]:
    table = _relation(node)
    return [a.Maintenance(span=src.whole(), op="cluster", tables=(table,) if table else ())]


def reindex(node: dict[str, Any], src: StmtSource) -> list[a.Action]:
    table = _relation(node) if node.get("kind") == "REINDEX_OBJECT_TABLE" else None
    return [
        a.Maintenance(
            span=src.whole(),
            op="reindex",
            tables=(table,) if table else (),
            concurrently="concurrently" in _option_names(node.get("params")),
        )
    ]


# LockStmt's `mode`: PostgreSQL's lock mode numbers (lockdefs.h), 1 the weakest.
_LOCK_MODES = (
    "ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE", "SHARE",
    "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE",
)  # fmt: skip


def lock(node: dict[str, Any], src: StmtSource) -> list[a.Action]:
    tables = tuple(range_name(item["RangeVar"]) for item in node.get("relations", ()) if "RangeVar" in item)
    mode = node.get("mode", len(_LOCK_MODES))
    return [
        a.LockTable(
            span=src.whole(),
            tables=tables,
            mode=_LOCK_MODES[mode - 1] if 1 <= mode <= len(_LOCK_MODES) else "ACCESS EXCLUSIVE",
            nowait=bool(node.get("nowait")),
        )
    ]


def opaque(tag: str, node: dict[str, Any], src: StmtSource) -> list[a.Action]:
    """Any other statement; the tables it names where the node says plainly."""
    tables: list[Name] = []
    relation = node.get("relation")
    if isinstance(relation, dict) and "relname" in relation:
        tables.append(range_name(relation))
    table = node.get("table")  # CREATE POLICY
    if isinstance(table, dict) and "relname" in table:
        tables.append(range_name(table))
    for item in node.get("relations", ()) or ():  # CREATE STATISTICS
        if isinstance(item, dict) and "RangeVar" in item:
            tables.append(range_name(item["RangeVar"]))
    if tag == "GrantStmt" and node.get("objtype") == "OBJECT_TABLE":
        tables.extend(range_name(item["RangeVar"]) for item in node.get("objects", ()) if "RangeVar" in item)
    return [a.Opaque(span=src.whole(), what=tag, tables=tuple(tables))]
