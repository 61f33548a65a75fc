"""Relations as Prisma Migrate creates them: foreign keys and implicit many-to-many tables.

A relation field with `@relation(fields: [...], references: [...])` makes a foreign key on its
model's table. When `onDelete` is not written, Prisma uses Restrict if any of the `fields:`
is required (NoAction on SQL Server, which has no Restrict) and SetNull otherwise; onUpdate
defaults to Cascade. Two list fields pointing at each other with no `fields:` make an implicit
many-to-many relation: a table `_<RelationName>` (`_AToB` from the model names in order)
with columns `A` and `B`, keyed on both, indexed on `B`, and cascading foreign keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from linter.prisma import names
from linter.prisma.ast import ArrayValue, ConstantValue, Field, Value
from linter.schema import Column, ForeignKey, Index, IndexElement, Name, PrimaryKey, Schema, Table

if TYPE_CHECKING:
    from linter.prisma.to_schema import ModelInfo

_ACTIONS = {
    "Cascade": "cascade",
    "Restrict": "restrict",
    "NoAction": "no action",
    "SetNull": "set null",
    "SetDefault": "set default",
}


def _field_names(value: Value | None) -> list[str]:
    if isinstance(value, ArrayValue):
        return [item.name for item in value.items if isinstance(item, ConstantValue)]
    if isinstance(value, ConstantValue):
        return [value.name]
    return []


def _action(value: Value | None) -> str | None:
    return _ACTIONS.get(value.name) if isinstance(value, ConstantValue) else None


def _required(item: Field) -> bool:
    return item.type is not None and not item.type.optional and not item.type.list


def add_foreign_keys(infos: dict[str, ModelInfo], provider: str) -> None:
    for info in infos.values():
        for item in info.block.fields:
            if item.type is None or item.type.name not in infos:
                continue
            relation = item.attribute("relation")
            if relation is None:
                continue
            fields = _field_names(relation.value("fields"))
            references = _field_names(relation.value("references"))
            if not fields or not references:
                continue
            target = infos[item.type.name]
            columns = [info.columns.get(name, name) for name in fields]
            on_delete = _action(relation.value("onDelete"))
            if on_delete is None:
                # Prisma's referential arity: required if any referencing scalar field is.
                scalar_required = any(_required(info.scalar_fields[n]) for n in fields if n in info.scalar_fields)
                if scalar_required or _required(item):
                    on_delete = "no action" if provider == "sqlserver" else "restrict"
                else:
                    on_delete = "set null"
            name = relation.string("map") or names.foreign_key_name(info.table.name, columns, provider)
            info.table.foreign_keys.setdefault(
                name,
                ForeignKey(
                    name=name,
                    columns=columns,
                    ref_table=Name(target.table.name, target.table.schema),
                    ref_columns=[target.columns.get(ref, ref) for ref in references],
                    on_delete=on_delete,
                    on_update=_action(relation.value("onUpdate")) or "cascade",
                    span=relation.span,
                    source=relation,
                ),
            )


def _implicit_relation_name(item: Field) -> str | None:
    relation = item.attribute("relation")
    return relation.string("name", 0) if relation is not None else None


def _is_implicit_list(item: Field, target_model: str) -> bool:
    if item.type is None or not item.type.list or item.type.name != target_model:
        return False
    relation = item.attribute("relation")
    return relation is None or (relation.value("fields") is None and relation.value("references") is None)


def add_join_tables(infos: dict[str, ModelInfo], schema: Schema, provider: str, foreign_keys: bool) -> None:
    seen: set[int] = set()
    for info in infos.values():
        for item in info.block.fields:
            if id(item) in seen or item.type is None or item.type.name not in infos:
                continue
            target = infos[item.type.name]
            if not _is_implicit_list(item, target.block.name):
                continue
            relation_name = _implicit_relation_name(item)
            back = next(
                (
                    other
                    for other in target.block.fields
                    if other is not item
                    and id(other) not in seen
                    and _is_implicit_list(other, info.block.name)
                    and _implicit_relation_name(other) == relation_name
                ),
                None,
            )
            if back is None:
                continue
            seen.update((id(item), id(back)))
            if info.block.name <= target.block.name:
                model_a, model_b, declared_on_a = info, target, item
            else:
                model_a, model_b, declared_on_a = target, info, back
            name = relation_name or f"{model_a.block.name}To{model_b.block.name}"
            _join_table(name, model_a, model_b, declared_on_a, schema, provider, foreign_keys)


def _join_table(
    relation_name: str,
    model_a: ModelInfo,
    model_b: ModelInfo,
    declared: Field,
    schema: Schema,
    provider: str,
    foreign_keys: bool,
) -> None:
    key_a, key_b = model_a.table.primary_key, model_b.table.primary_key
    if key_a is None or key_b is None or not key_a.columns or not key_b.columns:
        return  # Prisma requires a single-field id on both sides
    column_a = model_a.table.columns.get(key_a.columns[0])
    column_b = model_b.table.columns.get(key_b.columns[0])
    if column_a is None or column_b is None:
        return
    generated = names.join_table_names(relation_name, provider)
    table_schema = model_a.table.schema
    table = Table(name=generated["table"], schema=table_schema, span=declared.span, source=declared)
    key = schema.key(table.name, table_schema)
    if key in schema.tables:
        return
    ref = Name(table.name, table_schema)
    table.columns["A"] = Column("A", column_a.type, nullable=False, span=declared.span, source=declared)
    table.columns["B"] = Column("B", column_b.type, nullable=False, span=declared.span, source=declared)
    if provider in ("postgresql", "cockroachdb"):
        table.primary_key = PrimaryKey(generated["ab_pkey"], ["A", "B"], span=declared.span, source=declared)
    else:
        unique = Index(
            generated["ab_unique"],
            ref,
            [IndexElement("A"), IndexElement("B")],
            unique=True,
            span=declared.span,
            source=declared,
        )
        table.indexes[unique.name or ""] = unique
    index_b = Index(generated["b_index"], ref, [IndexElement("B")], span=declared.span, source=declared)
    table.indexes[index_b.name or ""] = index_b
    if foreign_keys:
        # SQL Server refuses cascade cycles, so Prisma uses NoAction on self-relations there.
        action = "no action" if provider == "sqlserver" and model_a is model_b else "cascade"
        for column, model, fkey, ref_column in (
            ("A", model_a, generated["a_fkey"], key_a.columns[0]),
            ("B", model_b, generated["b_fkey"], key_b.columns[0]),
        ):
            table.foreign_keys[fkey] = ForeignKey(
                name=fkey,
                columns=[column],
                ref_table=Name(model.table.name, model.table.schema),
                ref_columns=[ref_column],
                on_delete=action,
                on_update=action,
                span=declared.span,
                source=declared,
            )
    schema.tables[key] = table
