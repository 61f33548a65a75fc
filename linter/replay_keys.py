"""The replay of keys, constraints and indexes (the `Replay` class is in `linter.replay`).

PostgreSQL details mirrored here, each checked on a PostgreSQL 15 server: a CREATE TABLE
creates its CHECK constraints first, then the primary key's index, then the other index
constraints, then the foreign keys (the order decides generated names); an index constraint
identical to an earlier one of the same statement is not created twice
(`transformIndexConstraints`); generated names of index constraints avoid every relation and
constraint name of the schema, those of plain indexes only relation names, those of foreign
keys and checks only constraint names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from linter import actions as a
from linter import naming
from linter.records import replace
from linter.schema import (
    MYSQL,
    POSTGRESQL,
    SQLITE,
    Check,
    Column,
    Constraint,
    ForeignKey,
    Index,
    IndexElement,
    Name,
    Origin,
    PrimaryKey,
    Schema,
    Table,
    peek,
    peek_items,
)


class KeyReplay:
    """Constraint and index handlers, the base of `TableReplay`, `TypeReplay` and `Replay`."""

    schema: Schema
    # Sequences serial and identity columns own, by `schema.name`, with their column (and the
    # other way round): they take part in the choice of generated relation names.
    _sequences: dict[str, Column]
    _sequence_of: dict[Column, str]
    # The keys of the tables that hold (or held) a foreign key to a table of a given name, in
    # lower case (in PostgreSQL, where a quoted name keeps its case, that may gather a few
    # tables too many): built from the schema when first asked, then kept in step by
    # `_note_reference`. Keys never leave it; a stale one is checked and skipped, but a key
    # missing here would be a foreign key the replay forgets to follow.
    _referrers: dict[str, set[str]] | None
    _referrers_shared: bool  # `_referrers` is another replay's (`Replay.of_clone`): copy it to add
    # Names the schema's tables have had, by schema (`_note_names`); built when first asked.
    _names: set[tuple[str | None, str]] | None

    # --- look-ups --------------------------------------------------------------------------
    def _table(self, ref: Name) -> Table | None:
        return self.schema.table(ref)

    def _refers_to(self, fk: ForeignKey, table: Table) -> bool:
        """Whether a foreign key points at `table` (its target was resolved when it was added)."""
        ref = fk.ref_table
        if self.schema.case_insensitive:
            return ref.name.lower() == table.name.lower() and ref.schema == table.schema
        return ref.name == table.name and ref.schema == table.schema

    def _tables_referring_to(
        self, name: str, schema: str | None, also: Callable[[ForeignKey], bool] | None = None
    ) -> list[Table]:
        """The tables with a foreign key that points at table `schema.name` (and passes `also`,
        which only reads), ready to change; under a `CopyOnAccess` only these are copied.
        Every dropped or renamed table and column asks, so the candidates come from
        `_referrers` rather than from a scan of every table; each is checked here."""
        fold = self.schema.case_insensitive
        if fold:
            name = name.lower()
        tables = self.schema.tables
        keys = []
        for key in sorted(self.referrer_index().get(name.lower(), ())):
            other = peek(tables, key)  # read only
            if other is None:
                continue
            for fk in other.foreign_keys.values():
                ref = fk.ref_table
                target = ref.name.lower() if fold else ref.name
                if target == name and ref.schema == schema and (also is None or also(fk)):
                    keys.append(key)
                    break
        return [tables[key] for key in keys]

    def referrer_index(self) -> dict[str, set[str]]:
        """`_referrers`, built if it is not yet; read only (R002 looks up the tables a pair's
        replay may reach through it, `reversal.touched`)."""
        if self._referrers is None:
            self._referrers = self._all_references()
        return self._referrers

    def _all_references(self) -> dict[str, set[str]]:
        """`_referrers` as the schema has it now: one pass over every foreign key."""
        referrers: dict[str, set[str]] = {}
        for key, table in peek_items(self.schema.tables):
            for fk in table.foreign_keys.values():
                referrers.setdefault(fk.ref_table.name.lower(), set()).add(key)
        return referrers

    def _note_reference(self, key: str, fk: ForeignKey) -> None:
        """Record that the table under `key` holds `fk`: call it whenever a foreign key is added
        or retargeted, or a table holding one moves to another key."""
        if self._referrers is not None:
            if self._referrers_shared:
                self._referrers = {target: set(keys) for target, keys in self._referrers.items()}
                self._referrers_shared = False
            self._referrers.setdefault(fk.ref_table.name.lower(), set()).add(key)

    def _note_names(self, table: Table, *names: str) -> None:
        """Record names now in use in `table`'s schema: call it whenever the replay gives a table,
        an index or a constraint a name, or moves a table (`_note_table`). The record may keep
        names no longer in use, never misses one: PostgreSQL's generated names ask it before
        looking through every table (`_name_taken`), and `Schema.find_index` its part by table."""
        if self._names is not None:
            schema = table.schema
            self._names.update((schema, name) for name in names)
        self.schema.note_index_names(table, names)

    def _note_table(self, table: Table) -> None:
        """Record every name a table brings: its own, its indexes' and its constraints'."""
        self._note_names(table, table.name, *table.indexes, *table.foreign_keys, *table.checks)

    def _all_names(self) -> set[tuple[str | None, str]]:
        """`_names` as the schema has it now: one pass over every table."""
        names: set[tuple[str | None, str]] = set()
        for _, table in peek_items(self.schema.tables):  # read only
            schema = table.schema
            names.add((schema, table.name))
            names.update((schema, name) for name in (*table.indexes, *table.foreign_keys, *table.checks))
        return names

    # --- statements that add several constraints -------------------------------------------
    def _add_statement_constraints(self, table: Table, constraints: Iterable[Constraint], origin: Origin) -> None:
        """The constraints of one CREATE TABLE or ADD COLUMN, in the order PostgreSQL makes them."""
        constraints = list(constraints)
        if self.schema.dialect == POSTGRESQL:
            constraints = _creation_order(constraints)
        for constraint in constraints:
            self._add_constraint(table, constraint, origin, not_valid=False)

    # --- ADD CONSTRAINT ----------------------------------------------------------------------
    def _add_constraint_action(self, action: a.AddConstraint, origin: Origin) -> None:
        table = self._table(action.table)
        if table is None:
            return
        constraint = action.constraint
        if action.using_index:
            # ADD CONSTRAINT … USING INDEX: the index becomes the constraint, under its name.
            index = table.indexes.pop(action.using_index, None)
            if index is not None:
                name = constraint.name or index.name
                if isinstance(constraint, PrimaryKey):
                    table.primary_key = replace(
                        constraint, name=name, columns=index.columns, created=origin, changed=origin
                    )
                    for column_name in index.columns:
                        if (column := table.column(column_name)) is not None:
                            column.nullable = False
                    table.indexes[name] = replace(index, name=name, constraint="primary", changed=origin)
                else:
                    table.indexes[name] = replace(index, name=name, constraint="unique", changed=origin)
                self._note_names(table, name)
                table.changed = origin
                return
        self._add_constraint(table, constraint, origin, not_valid=action.not_valid)
        table.changed = origin

    def _add_constraint(self, table: Table, constraint: Constraint, origin: Origin, not_valid: bool) -> None:
        if isinstance(constraint, PrimaryKey):
            self._add_primary_key(table, constraint, origin)
        elif isinstance(constraint, Index):
            self._add_index(table, constraint, origin)
        elif isinstance(constraint, ForeignKey):
            self._add_foreign_key(table, constraint, origin, not_valid)
        elif isinstance(constraint, Check):
            taken = self._name_taken(table, kind="constraint")
            name = constraint.name or naming.check_name(self.schema.dialect, table.name, constraint.columns, taken)
            table.checks[name] = check = replace(
                constraint,
                name=name,
                columns=list(constraint.columns),
                validated=constraint.validated and not not_valid,
                created=origin,
                changed=origin,
            )
            if self.schema.dialect == POSTGRESQL:
                type_check(table, check)
            self._note_names(table, name)

    def _add_primary_key(self, table: Table, constraint: PrimaryKey, origin: Origin) -> None:
        dialect = self.schema.dialect
        columns = list(constraint.columns)
        if dialect == MYSQL:
            columns = _spelled(table, columns)
            self._drop_foreign_key_indexes_led_by(table, columns)
        taken = self._name_taken(table, kind="index constraint")
        if constraint.name is None and dialect == SQLITE and not _rowid_alias(table, columns):
            from linter.dialects.sg_names import sqlite_autoindex_name

            # Only an INTEGER PRIMARY KEY is the rowid; any other key gets an autoindex.
            name = sqlite_autoindex_name(table.name, taken)
        else:
            name = constraint.name or naming.primary_key_name(dialect, table.name, taken)
        table.primary_key = replace(constraint, name=name, columns=columns, created=origin, changed=origin)
        self._note_names(table, name)
        for column_name in constraint.columns:
            if (column := table.column(column_name)) is not None:
                column.nullable = False
        if dialect == POSTGRESQL:
            table.indexes[name] = Index(
                name=name,
                table=Name(table.name, table.schema),
                elements=[IndexElement(c) for c in constraint.columns],
                unique=True,
                constraint="primary",
                span=constraint.span,
                created=origin,
                changed=origin,
            )

    def _add_index(self, table: Table, index: Index, origin: Origin) -> None:
        dialect = self.schema.dialect
        elements = list(index.elements)
        if dialect == MYSQL:
            elements = [
                element if element.is_expression else replace(element, text=_spelled(table, [element.text])[0])
                for element in elements
            ]
            self._drop_foreign_key_indexes_led_by(table, [e.text for e in elements if not e.is_expression])
            index = replace(index, elements=elements)
        kind = "index constraint" if index.constraint else "index"
        name = index.name or naming.index_name(dialect, table.name, index, self._name_taken(table, kind=kind))
        added = replace(
            index,
            name=name,
            table=Name(table.name, table.schema),
            elements=elements,
            include=list(index.include),
            created=origin,
            changed=origin,
        )
        if dialect == POSTGRESQL:
            type_expressions(table, added)
        table.indexes[name] = added
        self._note_names(table, name)

    def _add_foreign_key(self, table: Table, constraint: ForeignKey, origin: Origin, not_valid: bool) -> None:
        dialect = self.schema.dialect
        existing = len(table.foreign_keys)
        taken = self._name_taken(table, kind="constraint")
        name = constraint.name or naming.foreign_key_name(dialect, table.name, constraint.columns, taken, existing)
        ref = constraint.ref_table
        target = self.schema.table(ref)
        resolved = (
            Name(target.name, target.schema) if target is not None else Name(ref.name, self.schema.creation_schema(ref))
        )
        columns = list(constraint.columns)
        ref_columns = list(constraint.ref_columns)
        if not ref_columns and target is not None and target.primary_key:
            ref_columns = list(target.primary_key.columns)
        if dialect == MYSQL:
            columns = _spelled(table, columns)
            if target is not None:
                ref_columns = _spelled(target, ref_columns)
        table.foreign_keys[name] = replace(
            constraint,
            name=name,
            columns=columns,
            ref_table=resolved,
            ref_columns=ref_columns,
            validated=constraint.validated and not not_valid,
            created=origin,
            changed=origin,
        )
        self._note_reference(self.schema.key(table.name, table.schema), table.foreign_keys[name])
        self._note_names(table, name)
        if dialect == MYSQL:
            self._mysql_foreign_key_index(table, table.foreign_keys[name], constraint.name, origin)

    def _mysql_foreign_key_index(self, table: Table, fk: ForeignKey, given: str | None, origin: Origin) -> None:
        """InnoDB needs an index that starts with a foreign key's columns. It makes one (marked
        "foreign") unless the primary key, an index of the user's, or a longer index it made
        for another key starts with them; the one it makes replaces those it made before that
        it now covers (MariaDB's `is_foreign_key_prefix`). It is named after the statement's
        constraint name, else like any index on its first column."""
        from linter.dialects.sg_names import mysql_foreign_key_index_name

        wanted = [c.lower() for c in fk.columns]
        size = len(wanted)
        if table.primary_key and [c.lower() for c in table.primary_key.columns[:size]] == wanted:
            return
        for index in table.indexes.values():
            leading = [c.lower() for c in index.column_names[:size]]
            if leading == wanted and (index.constraint != "foreign" or len(index.column_names) > size):
                return
        self._drop_foreign_key_indexes_led_by(table, fk.columns)
        name = mysql_foreign_key_index_name(given, fk.columns, self._name_taken(table, kind="index"))
        self._note_names(table, name)
        table.indexes[name] = Index(
            name=name,
            table=Name(table.name, table.schema),
            elements=[IndexElement(c) for c in fk.columns],
            constraint="foreign",
            span=fk.span,
            created=origin,
            changed=origin,
        )

    @staticmethod
    def _drop_foreign_key_indexes_led_by(table: Table, columns: list[str]) -> None:
        """MySQL: a new key starting with the columns of an index InnoDB made for a foreign key
        serves that key instead, and the server drops the index it made."""
        wanted = [c.lower() for c in columns]
        covered = [
            name
            for name, index in table.indexes.items()
            if index.constraint == "foreign"
            and index.columns
            and [c.lower() for c in index.columns] == wanted[: len(index.columns)]
        ]
        for name in covered:
            del table.indexes[name]

    def _name_taken(self, table: Table, kind: str) -> Callable[[str], bool]:
        """Whether a generated name is in use. PostgreSQL (`ChooseRelationName`,
        `ChooseConstraintName`) checks a plain index's name against the schema's relations, an
        index constraint's against relations and constraints, a foreign key's or check's against
        constraints; MySQL and SQLite only against the table's own names."""
        if self.schema.dialect == MYSQL:
            # MySQL compares names case-insensitively: an index's with the table's indexes, a
            # foreign key's or check's with the table's foreign keys and checks.
            if kind in ("index", "index constraint"):
                index_names = {n.lower() for n in table.indexes}
                return lambda name: name.lower() in index_names
            other_names = {n.lower() for n in table.foreign_keys} | {n.lower() for n in table.checks}
            return lambda name: name.lower() in other_names
        if self.schema.dialect != POSTGRESQL:
            return lambda name: name in table.constraint_names()
        relations = kind in ("index", "index constraint")
        constraints = kind in ("constraint", "index constraint")
        schema = table.schema
        tables = self.schema.tables
        views = self.schema.views
        sequences = self._sequences
        if self._names is None:
            self._names = self._all_names()
        names = self._names

        def taken(name: str) -> bool:
            if relations and (f"{schema}.{name}" in views or f"{schema}.{name}" in sequences):
                return True
            if (schema, name) not in names:  # no table of the schema has ever had it
                return False
            # Had, maybe still has: one pass over the tables tells.
            for _, other in peek_items(tables):  # read only
                if other.schema != schema:
                    continue
                if relations and (name == other.name or name in other.indexes):
                    return True
                if constraints and (
                    name in other.foreign_keys
                    or name in other.checks
                    or (name in other.indexes and other.indexes[name].constraint is not None)
                ):
                    return True
            return False

        return taken

    # --- DROP / VALIDATE / RENAME CONSTRAINT ---------------------------------------------------
    def _drop_constraint(self, action: a.DropConstraint, origin: Origin) -> None:
        table = self._table(action.table)
        if table is None:
            return
        table.changed = origin
        if action.kind == "primary" or (table.primary_key and table.primary_key.name == action.name):
            if table.primary_key is not None:
                table.indexes.pop(table.primary_key.name or "", None)
                if action.cascade:
                    self._drop_foreign_keys_on(table, table.primary_key.columns)
            table.primary_key = None
            return
        if action.kind in (None, "foreign") and action.name in table.foreign_keys:
            del table.foreign_keys[action.name]
            return
        if action.kind in (None, "check") and action.name in table.checks:
            del table.checks[action.name]
            return
        if action.kind in (None, "unique", "index") and action.name in table.indexes:
            index = table.indexes.pop(action.name)
            if action.cascade:
                self._drop_foreign_keys_on(table, index.columns)

    def _drop_foreign_keys_on(self, table: Table, columns: list[str]) -> None:
        """DROP … CASCADE of a key drops the foreign keys that rely on it."""
        for other in self._tables_referring_to(table.name, table.schema):
            relied = [
                n
                for n, fk in other.foreign_keys.items()
                if self._refers_to(fk, table) and set(fk.ref_columns) == set(columns)
            ]
            for name in relied:
                del other.foreign_keys[name]

    def _validate_constraint(self, action: a.ValidateConstraint, origin: Origin) -> None:
        table = self._table(action.table)
        if table is None:
            return
        target = table.foreign_keys.get(action.name) or table.checks.get(action.name)
        if target is not None:
            target.validated = True
            target.changed = origin

    def _rename_constraint(self, action: a.RenameConstraint, origin: Origin) -> None:
        table = self._table(action.table)
        if table is None:
            return
        old, new = action.name, action.new_name
        if table.primary_key and table.primary_key.name == old:
            table.primary_key.name = new
        for mapping in (table.indexes, table.foreign_keys, table.checks):
            if old in mapping:
                item = mapping.pop(old)
                item.name = new
                item.changed = origin
                mapping[new] = item
        self._note_names(table, new)

    # --- indexes --------------------------------------------------------------------------
    def _create_index(self, action: a.CreateIndex, origin: Origin) -> None:
        index = action.index
        table = self._table(index.table)
        if table is None:
            return
        if index.name and action.if_not_exists and self._index_exists(table, index.name):
            return
        self._add_constraint(table, index, origin, not_valid=False)
        table.changed = origin

    def _index_exists(self, table: Table, name: str) -> bool:
        if self.schema.dialect == POSTGRESQL:
            return self.schema.find_index(Name(name, table.schema)) is not None
        return name in table.indexes

    def _drop_index(self, action: a.DropIndex, origin: Origin) -> None:
        for ref in action.indexes:
            if action.table is not None:
                table = self._table(action.table)
                if table is not None and ref.name in table.indexes:
                    del table.indexes[ref.name]
                    table.changed = origin
                continue
            found = self.schema.find_index(ref)
            if found is not None:
                table, index = found
                del table.indexes[index.name or ""]
                if index.constraint == "primary":
                    table.primary_key = None
                table.changed = origin

    def _rename_index(self, action: a.RenameIndex, origin: Origin) -> None:
        if action.table is not None:
            table = self._table(action.table)
            found = (table, table.indexes.get(action.index.name)) if table else None
        else:
            found = self.schema.find_index(action.index)
        if not found or found[1] is None:
            return
        table, index = found
        del table.indexes[index.name or ""]
        if index.constraint == "primary" and table.primary_key is not None:
            table.primary_key.name = action.new_name
        index.name = action.new_name
        index.changed = origin
        table.indexes[action.new_name] = index
        self._note_names(table, action.new_name)


def _rowid_alias(table: Table, columns: list[str]) -> bool:
    """Whether a SQLite primary key is the rowid itself: one column declared INTEGER."""
    column = table.column(columns[0]) if len(columns) == 1 else None
    return column is not None and column.type.strip().lower() == "integer"


def _spelled(table: Table, columns: list[str]) -> list[str]:
    """Column names as the table defines them (MySQL matches names case-insensitively and
    keeps the definition's spelling); a name the table lacks stays as written."""
    spelled = []
    for name in columns:
        column = table.column(name)
        spelled.append(column.name if column is not None else name)
    return spelled


def type_check(table: Table, check: Check) -> None:
    """A check's expression as the server prints it for the table's column types, printed again
    from its definition (its span). One that names a column the table does not have under that
    name keeps its text."""
    from linter.dialects.pg_expr import typed_text
    from linter.dialects.pg_refs import check_node, column_refs

    span = check.span
    node = check_node(span.file.text[span.start : span.end]) if span is not None else None
    if node is None:
        return
    columns = {name: column.type for name, column in table.columns.items()}
    if all(name in columns for name in column_refs(node)):
        check.expression = typed_text(node, columns) or check.expression


def type_expressions(table: Table, index: Index) -> None:
    """Expressions and the predicate as the server prints them for the table's column types,
    printed again from the CREATE INDEX statement (its span) now that those types are known.
    One that names a column the table no longer has under that name (renamed since) keeps
    its text."""
    if index.predicate is None and not any(element.is_expression for element in index.elements):
        return
    from linter.dialects.pg_expr import typed_text
    from linter.dialects.pg_refs import column_refs, index_nodes

    span = index.span
    nodes = index_nodes(span.file.text[span.start : span.end]) if span is not None else None
    if nodes is None or len(nodes[0]) != len(index.elements):
        return  # an exclusion constraint: its text is not a statement
    columns = {name: column.type for name, column in table.columns.items()}

    def printed(node: dict | None, text: str) -> str:
        if node is None or not all(name in columns for name in column_refs(node)):
            return text
        return typed_text(node, columns) or text

    expressions, predicate = nodes
    index.elements = [
        replace(element, text=printed(expression, element.text)) if element.is_expression else element
        for element, expression in zip(index.elements, expressions)
    ]
    if index.predicate is not None:
        index.predicate = printed(predicate, index.predicate)


def _creation_order(constraints: list[Constraint]) -> list[Constraint]:
    """CHECKs, the primary key, the other index constraints without repeats, then the foreign
    keys: PostgreSQL's order for one statement (`transformIndexConstraints` keeps the first of
    identical index constraints, the primary key ahead of all, and gives it a later one's name
    when it has none of its own)."""
    checks = [c for c in constraints if isinstance(c, Check)]
    keys = [c for c in constraints if isinstance(c, PrimaryKey)]
    indexes = [c for c in constraints if isinstance(c, Index)]
    foreign = [c for c in constraints if isinstance(c, ForeignKey)]
    kept: list[PrimaryKey | Index] = keys[-1:]  # a second PRIMARY KEY is an error on the server
    for index in indexes:
        prior_at = next((at for at, prior in enumerate(kept) if _same_index(prior, index)), None)
        if prior_at is None:
            kept.append(index)
            continue
        prior = kept[prior_at]
        if prior.name is None and index.name is not None:
            kept[prior_at] = replace(prior, name=index.name)
    return [*checks, *kept, *foreign]


def _same_index(prior: PrimaryKey | Index, index: Index) -> bool:
    if index.constraint != "unique" or index.predicate or index.include:
        return False
    if isinstance(prior, PrimaryKey):
        return not index.nulls_not_distinct and index.elements == [IndexElement(c) for c in prior.columns]
    return (
        prior.constraint == "unique"
        and prior.elements == index.elements
        and not prior.include
        and not prior.predicate
        and prior.method == index.method
        and prior.nulls_not_distinct == index.nulls_not_distinct
    )
