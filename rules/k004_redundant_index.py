from linter.context import SchemaContext
from linter.conventions import judged_tables
from linter.findings import Edit, Severity
from linter.keywords import sql_name
from linter.records import Record
from linter.rule import Doc, Example, Option, Rule
from linter.schema import MYSQL, Index, IndexElement, Schema, Table


class Key(Record, frozen=True):
    """An index (or the primary key) as what it can serve: its elements in order, its method,
    the columns it carries besides (INCLUDE), and whether it may be dropped."""

    elements: tuple[tuple[str, bool, bool, str | None], ...]
    method: str
    carries: frozenset[str]
    index: Index | None  # None for a primary key the model keeps outside `indexes`
    droppable: bool


def _element(element: IndexElement, fold: bool) -> tuple[str, bool, bool, str | None]:
    text = element.text.lower() if fold else element.text
    return (text, element.is_expression, element.descending, element.opclass)


def keys_of(table: Table, dialect: str | None) -> list[Key]:
    """Every usable key of a table in definition order. Only plain indexes are droppable:
    unique ones and those backing a constraint (MySQL: the index InnoDB made for a foreign
    key) are never redundant."""
    fold = dialect in ("mysql", "sqlite")
    keys = []
    for index in table.indexes.values():
        if index.predicate is not None:
            continue  # a partial index serves only its rows: it neither covers nor is covered
        elements = tuple(_element(element, fold) for element in index.elements)
        carried = {element[0] for element in elements} | {name.lower() if fold else name for name in index.include}
        backs_foreign_key = dialect == MYSQL and index.name in table.foreign_keys
        droppable = not index.unique and index.constraint is None and not backs_foreign_key
        keys.append(Key(elements, index.method, frozenset(carried), index, droppable))
    key = table.primary_key
    if key is not None and not any(index.constraint == "primary" for index in table.indexes.values()):
        elements = tuple(_element(IndexElement(name), fold) for name in key.columns)
        keys.append(Key(elements, "btree", frozenset(e[0] for e in elements), None, False))
    return keys


def covering(candidate: Key, position: int, keys: list[Key]) -> Key | None:
    """Another key that serves every look-up `candidate` serves: same method, and its leading
    elements are the candidate's. Of two equal droppable indexes, the later one is redundant."""
    size = len(candidate.elements)
    own_include = candidate.carries - {element[0] for element in candidate.elements}
    for other_position, other in enumerate(keys):
        if other_position == position or other.method != candidate.method or len(other.elements) < size:
            continue
        if other.elements[:size] != candidate.elements or not own_include <= other.carries:
            continue
        if len(other.elements) == size and other.droppable and other_position > position and own_include == (
            other.carries - {element[0] for element in other.elements}
        ):
            continue  # an exact twin defined later: that one is reported instead
        return other
    return None


class RedundantIndex(Rule):
    id = "K004"
    name = "redundant-index"
    severity = Severity.WARNING
    summary = "An index equals another, or its columns lead another index with the same method."
    prisma = True
    options = {"exempt": Option([], "globs of table names (`audit_*`, `archive.*`) to leave alone")}
    doc = Doc(
        what="After the whole migration set: a plain index whose columns (and expressions, order and operator "
        "classes) equal another index's or are its leading columns, with the same method, neither partial. The "
        "later of two equal indexes is the one reported. Unique indexes, indexes backing a constraint (primary "
        "key, unique, exclusion; MySQL's index of a foreign key) are never redundant; an index whose INCLUDE "
        "columns the other lacks is not either.",
        why="Every index slows every write to its table and takes memory and disk; one that another index "
        "already serves buys nothing for that price.",
        instead="Drop it (`DROP INDEX CONCURRENTLY …`; Prisma: delete the `@@index` line); the longer index "
        "serves the same look-ups.",
        bad=Example(
            "CREATE TABLE orders (\n  id bigint PRIMARY KEY,\n  customer_id bigint NOT NULL,\n  placed_at timestamptz NOT NULL\n);\n"
            "CREATE INDEX orders_customer_id_idx ON orders (customer_id);\n"
            "CREATE INDEX orders_customer_id_placed_at_idx ON orders (customer_id, placed_at);\n",
            expect=((6, 1),),
        ),
        good=Example(
            "CREATE TABLE orders (\n  id bigint PRIMARY KEY,\n  customer_id bigint NOT NULL,\n  placed_at timestamptz NOT NULL\n);\n"
            "CREATE INDEX orders_customer_id_placed_at_idx ON orders (customer_id, placed_at);\n"
        ),
    )

    def check_schema(self, schema: Schema, ctx: SchemaContext) -> None:
        if schema.dialect not in self.dialects:
            return
        for table in judged_tables(schema, ctx):
            if len(table.indexes) < 2 and table.primary_key is None:
                continue
            keys = keys_of(table, schema.dialect)
            for position, key in enumerate(keys):
                if not key.droppable or key.index is None or key.index.span is None:
                    continue
                other = covering(key, position, keys)
                if other is not None:
                    self._report(schema, table, key.index, other, ctx)

    def _report(self, schema: Schema, table: Table, index: Index, other: Key, ctx: SchemaContext) -> None:
        by = f'index "{other.index.name}"' if other.index is not None else "the primary key"
        same = len(other.elements) == len(index.elements)
        columns = ", ".join(index.columns)
        message = f'index "{index.name}" on "{table.name}" ({columns}) is redundant: {by} {"is the same" if same else "starts with its columns"}'
        assert index.span is not None
        if index.source is not None and getattr(index.source, "block", False):
            ctx.report(index.span, message, fix="delete this attribute", edits=_delete_line(index.span))
        else:
            name, on = sql_name(index.name, schema.dialect), sql_name(table.name, schema.dialect)
            drop = {"postgresql": f"DROP INDEX CONCURRENTLY {name};", "mysql": f"DROP INDEX {name} ON {on};"}
            ctx.report(index.span, message, fix=drop.get(schema.dialect or "", f"DROP INDEX {name};"))


def _delete_line(span) -> tuple[Edit, ...]:
    """An edit deleting the line that holds only this attribute (no edit when it shares one)."""
    text = span.file.text
    start = max(text.rfind("\n", 0, span.start), text.rfind("\r", 0, span.start)) + 1
    end = span.end
    while end < len(text) and text[end] in " \t":
        end += 1
    if text[start : span.start].strip() or (end < len(text) and text[end] not in "\r\n"):
        return ()
    end += 2 if text.startswith("\r\n", end) else 1 if end < len(text) else 0
    return (Edit(span.path, start, end, ""),)
