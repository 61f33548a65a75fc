"""From a Prisma schema to the neutral `Schema`: the tables Prisma Migrate would create.

Follows prisma-engines' SQL schema calculator (`sql_schema_calculator.rs`): one table per
model (named by `@@map`, else the model name) with a column per scalar field (`@map`, else
the field name); primary keys, unique indexes (Prisma creates unique *indexes*, never
constraints) and indexes named by `ConstraintNames`; a foreign key per relation that has
`fields:`, unless `relationMode = "prisma"`; a join table `_<relation>` per implicit
many-to-many relation. Like Prisma Migrate, models marked `@@ignore` and fields marked
`@ignore` are still created: the attribute only hides them from Prisma Client.

Every object keeps the parser node it came from in `source` and a `span` to report at: the
`model Name` header for tables and enums, the field for columns, the attribute for keys and
indexes.
"""

from __future__ import annotations

from linter.prisma import names
from linter.prisma.ast import (
    ArrayValue,
    Attribute,
    Block,
    ConstantValue,
    Field,
    FunctionValue,
    PrismaDocument,
    StringValue,
)
from linter.prisma.defaults import DefaultContext, column_default
from linter.prisma.relations import add_foreign_keys, add_join_tables
from linter.prisma.types import PG_INTEGER_TYPES, SCALAR_TYPES, SCALARS, native_arguments, native_type, operator_class
from linter.records import Record, field
from linter.schema import (
    MYSQL,
    POSTGRESQL,
    SQLITE,
    Column,
    Enum,
    Index,
    IndexElement,
    Name,
    Origin,
    PrimaryKey,
    Schema,
    Table,
)

PROVIDERS = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "cockroachdb": "cockroachdb",
    "mysql": "mysql",
    "sqlite": "sqlite",
    "sqlserver": "sqlserver",
    "mongodb": "mongodb",
}
# The schema model's dialect for each provider (CockroachDB speaks PostgreSQL).
DIALECTS = {"postgresql": POSTGRESQL, "cockroachdb": POSTGRESQL, "mysql": MYSQL, "sqlite": SQLITE}
_INDEX_METHODS = {"BTree": "btree", "Hash": "hash", "Gist": "gist", "Gin": "gin", "SpGist": "spgist", "Brin": "brin"}
_SERIAL_TYPES = {"Int": "integer", "BigInt": "bigint"}


def normalize_provider(provider: str | None) -> str:
    """The provider's canonical name; PostgreSQL when it is missing or unknown."""
    return PROVIDERS.get((provider or "").strip().lower(), "postgresql")


class ModelInfo(Record):
    """What the relation step needs to know about a model's table."""

    block: Block
    table: Table
    key: str
    columns: dict[str, str] = field(default_factory=dict)  # field name -> column name
    scalar_fields: dict[str, Field] = field(default_factory=dict)


def to_schema(document: PrismaDocument, provider: str | None = None) -> Schema:
    """The schema Prisma Migrate would create from `document` (provider from the datasource
    block unless given)."""
    return _Converter(document, normalize_provider(provider or document.provider)).convert()


class _Converter:
    def __init__(self, document: PrismaDocument, provider: str) -> None:
        self.document = document
        self.provider = provider
        self.postgres = provider in ("postgresql", "cockroachdb")
        self.schema = Schema(dialect=DIALECTS.get(provider, provider))
        self.models: dict[str, Block] = {}
        self.enums: dict[str, Block] = {}
        self.composite_types: set[str] = set()
        for block in document.blocks:
            if block.kind == "model":
                self.models.setdefault(block.name, block)
            elif block.kind == "enum":
                self.enums.setdefault(block.name, block)
            elif block.kind == "type":
                self.composite_types.add(block.name)
        self.infos: dict[str, ModelInfo] = {}

    def convert(self) -> Schema:
        datasource_schemas = self._datasource_schemas()
        self.schema.schemas.update(datasource_schemas)
        if self.postgres:
            for block in self.enums.values():
                self._enum(block)
        for block in self.models.values():
            self._model(block)
        relation_mode = self.document.config_string("relationMode") or self.document.config_string(
            "referentialIntegrity"
        )
        foreign_keys = relation_mode != "prisma" and self.provider != "mongodb"
        if foreign_keys:
            add_foreign_keys(self.infos, self.provider)
        if self.provider != "mongodb":
            add_join_tables(self.infos, self.schema, self.provider, foreign_keys)
        for block in self.document.views:
            key = self.schema.key(_mapped_name(block), self._block_schema(block))
            self.schema.views.setdefault(key, Origin(span=block.header_span))
        return self.schema

    def _datasource_schemas(self) -> set[str]:
        datasource = self.document.datasource
        entry = datasource.entry("schemas") if datasource is not None else None
        if entry is None or not isinstance(entry.value, ArrayValue):
            return set()
        return {item.value for item in entry.value.items if isinstance(item, StringValue)}

    def _block_schema(self, block: Block) -> str | None:
        attribute = block.attribute("schema")
        name = attribute.string("name", 0) if attribute is not None else None
        if name is None and self.postgres:
            return "public"
        if name is not None and self.postgres:
            self.schema.schemas.add(name)
        return name

    # --- enums ----------------------------------------------------------------------------
    def _enum(self, block: Block) -> None:
        schema_name = self._block_schema(block)
        enum = Enum(
            name=_mapped_name(block),
            values=[_mapped_value(value.attribute("map"), value.name) for value in block.values],
            schema=schema_name,
            span=block.header_span,
            source=block,
        )
        self.schema.enums.setdefault(self.schema.key(enum.name, schema_name), enum)

    def _enum_type(self, block: Block) -> str:
        if self.postgres:
            return _mapped_name(block)
        if self.provider == "mysql":
            values = ",".join(names.quote_literal(_mapped_value(v.attribute("map"), v.name)) for v in block.values)
            return f"enum({values})"
        return SCALAR_TYPES[self.provider]["String"]

    # --- models ---------------------------------------------------------------------------
    def _model(self, block: Block) -> None:
        schema_name = self._block_schema(block)
        table = Table(
            name=_mapped_name(block),
            schema=schema_name,
            comment=block.doc,
            span=block.header_span,
            source=block,
        )
        key = self.schema.key(table.name, schema_name)
        if key in self.schema.tables:
            return  # two models on one table: Prisma rejects the schema; keep the first
        info = ModelInfo(block, table, key)
        for item in block.fields:
            if item.type is None or item.type.name in self.models or item.type.name in self.composite_types:
                continue  # relation fields and composite types have no column of their own
            column = self._column(item, table)
            table.columns.setdefault(column.name, column)
            info.columns[item.name] = column.name
            info.scalar_fields[item.name] = item
        self.schema.tables[key] = table
        self.infos[block.name] = info
        self._keys_and_indexes(info)

    def _column(self, item: Field, table: Table) -> Column:
        assert item.type is not None
        type_name = item.type.name
        name = _mapped_value(item.attribute("map"), item.name)
        enum_block = self.enums.get(type_name)
        native = next((a for a in item.attributes if a.name.startswith("db.")), None)
        if item.type.unsupported:
            column_type = type_name
        elif enum_block is not None:
            column_type = self._enum_type(enum_block)
        elif native is not None:
            column_type = native_type(self.provider, native.name[3:], native_arguments(native))
        elif type_name in SCALARS:
            column_type = SCALAR_TYPES[self.provider][type_name]
        else:
            column_type = type_name  # an unknown type: Prisma's validation reports it
        if item.type.list:
            column_type += "[]"
        default_attribute = item.attribute("default")
        context = DefaultContext(
            provider=self.provider,
            table=table.name,
            schema=table.schema,
            column=name,
            column_type=column_type,
            enum_name=_mapped_name(enum_block) if enum_block is not None and self.postgres else None,
            enum_values={v.name: _mapped_value(v.attribute("map"), v.name) for v in enum_block.values}
            if enum_block is not None
            else None,
        )
        default = column_default(default_attribute.value("value", 0) if default_attribute else None, context)
        if default.autoincrement and self.postgres and column_type not in PG_INTEGER_TYPES:
            column_type = _SERIAL_TYPES.get(type_name, column_type)
        return Column(
            name=name,
            type=column_type,
            nullable=item.type.optional or item.type.list,
            default=default.expression,
            comment=item.doc,
            span=item.span,
            source=item,
        )

    # --- keys and indexes -----------------------------------------------------------------
    def _keys_and_indexes(self, info: ModelInfo) -> None:
        table, block = info.table, info.block
        for item in block.fields:
            if item.name not in info.columns:
                continue
            for attribute in item.attributes:
                if attribute.name == "id" and table.primary_key is None:
                    self._primary_key(info, attribute, [item.name])
                elif attribute.name == "unique":
                    element = self._element(info, item.name, attribute)
                    self._index(info, attribute, [element], unique=True)
        for attribute in block.attributes:
            if attribute.name == "id" and table.primary_key is None:
                fields = [name for name, _ in self._field_list(attribute)]
                self._primary_key(info, attribute, fields)
            elif attribute.name in ("unique", "index", "fulltext"):
                elements = [self._element(info, name, modifiers) for name, modifiers in self._field_list(attribute)]
                if elements:
                    self._index(info, attribute, elements, unique=attribute.name == "unique")

    def _field_list(self, attribute: Attribute) -> list[tuple[str, FunctionValue | None]]:
        """`fields: [a, b(sort: Desc)]` as (field name, the call carrying its modifiers)."""
        value = attribute.value("fields", 0)
        items = value.items if isinstance(value, ArrayValue) else ([value] if value is not None else [])
        out: list[tuple[str, FunctionValue | None]] = []
        for item in items:
            if isinstance(item, ConstantValue):
                out.append((item.name, None))
            elif isinstance(item, FunctionValue):
                out.append((item.name, item))
        return out

    def _element(self, info: ModelInfo, field_name: str, modifiers: Attribute | FunctionValue | None) -> IndexElement:
        column = info.columns.get(field_name, field_name)
        descending = False
        opclass = None
        if modifiers is not None:
            sort = modifiers.argument("sort")
            descending = sort is not None and isinstance(sort.value, ConstantValue) and sort.value.name == "Desc"
            ops = modifiers.argument("ops")
            opclass = operator_class(ops.value) if ops is not None else None
        return IndexElement(column, descending=descending, opclass=opclass)

    def _primary_key(self, info: ModelInfo, attribute: Attribute, fields: list[str]) -> None:
        columns = [info.columns.get(name, name) for name in fields]
        table = info.table
        name = attribute.string("map")
        if name is None:
            if self.postgres or self.provider == "sqlserver":
                name = names.primary_key_name(table.name, self.provider)
            else:
                from linter.naming import primary_key_name

                name = primary_key_name(self.schema.dialect, table.name, lambda _: False)
        table.primary_key = PrimaryKey(name, columns, span=attribute.span, source=attribute)

    def _index(self, info: ModelInfo, attribute: Attribute, elements: list[IndexElement], unique: bool) -> None:
        table = info.table
        name = attribute.string("map")
        if name is None:
            columns = [element.text for element in elements]
            make = names.unique_index_name if unique else names.index_name
            name = make(table.name, columns, self.provider)
        method = "btree"
        kind = attribute.value("type")
        if isinstance(kind, ConstantValue):
            method = _INDEX_METHODS.get(kind.name, kind.name.lower())
        if attribute.name == "fulltext":
            method = "fulltext"
        predicate = None
        where = attribute.value("where")
        if isinstance(where, FunctionValue) and where.name == "raw":
            raw = where.argument(None, 0)
            predicate = raw.value.value if raw is not None and isinstance(raw.value, StringValue) else None
        index = Index(
            name=name,
            table=Name(table.name, table.schema),
            elements=elements,
            unique=unique,
            method=method,
            predicate=predicate,
            span=attribute.span,
            source=attribute,
        )
        table.indexes.setdefault(name, index)


def _mapped_name(block: Block) -> str:
    return _mapped_value(block.attribute("map"), block.name)


def _mapped_value(attribute: Attribute | None, default: str) -> str:
    if attribute is None:
        return default
    name = attribute.string("name", 0)
    return name if name is not None else default
