"""Applying actions to a `Schema`: the one source of truth for what the schema is.

The replay is forgiving: a reference to an object it does not know (created outside the
migration set, or by a statement it keeps opaque) changes nothing and raises nothing, so a
partial history never produces a crash or a false finding. Names PostgreSQL, MySQL and
SQLite generate for unnamed constraints and indexes come from `linter.naming`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from linter import actions as a
from linter import naming
from linter.schema import (
    MYSQL,
    POSTGRESQL,
    Check,
    Column,
    Enum,
    ForeignKey,
    Index,
    IndexElement,
    Name,
    Origin,
    PrimaryKey,
    Schema,
    Table,
)


class Replay:
    """Applies actions, one at a time, to the schema it holds."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self._handlers: dict[type, Callable] = {
            a.CreateTable: self._create_table,
            a.DropTable: self._drop_table,
            a.RenameTable: self._rename_table,
            a.SetTableSchema: self._set_table_schema,
            a.AddColumn: self._add_column,
            a.DropColumn: self._drop_column,
            a.RenameColumn: self._rename_column,
            a.AlterColumnType: self._alter_column_type,
            a.SetNotNull: self._set_not_null,
            a.DropNotNull: self._drop_not_null,
            a.SetDefault: self._set_default,
            a.SetIdentity: self._set_identity,
            a.AddConstraint: self._add_constraint_action,
            a.DropConstraint: self._drop_constraint,
            a.ValidateConstraint: self._validate_constraint,
            a.RenameConstraint: self._rename_constraint,
            a.CreateIndex: self._create_index,
            a.DropIndex: self._drop_index,
            a.RenameIndex: self._rename_index,
            a.CreateEnum: self._create_enum,
            a.AddEnumValue: self._add_enum_value,
            a.RenameEnumValue: self._rename_enum_value,
            a.RenameType: self._rename_type,
            a.DropType: self._drop_type,
            a.CreateSchema: self._create_schema,
            a.DropSchema: self._drop_schema,
            a.CreateView: self._create_view,
            a.DropView: self._drop_view,
            a.Comment: self._comment,
            a.SetVariable: self._set_variable,
        }

    def apply(self, action: a.Action, origin: Origin) -> None:
        handler = self._handlers.get(type(action))
        if handler is not None:
            handler(action, origin)

    # --- tables ---------------------------------------------------------------------------
    def _create_table(self, action: a.CreateTable, origin: Origin) -> None:
        schema = self.schema
        table_schema = schema.creation_schema(action.table)
        key = schema.key(action.table.name, table_schema)
        if action.if_not_exists and key in schema.tables:
            return
        table = Table(name=action.table.name, schema=table_schema, span=action.span, created=origin, changed=origin)
        for column in action.columns:
            table.columns[column.name] = replace(column, created=origin, changed=origin)
        schema.tables[key] = table
        for constraint in action.constraints:
            self._add_constraint(table, constraint, origin, not_valid=False)

    def _drop_table(self, action: a.DropTable, origin: Origin) -> None:
        for ref in action.tables:
            key = self.schema.table_key(ref)
            if key is None:
                continue
            table = self.schema.tables.pop(key)
            # PostgreSQL refuses the drop while foreign keys point at the table unless CASCADE,
            # which drops those keys; either way none survive.
            for other in self.schema.tables.values():
                for fk_name in [n for n, fk in other.foreign_keys.items() if self._refers_to(fk, table)]:
                    del other.foreign_keys[fk_name]

    def _refers_to(self, fk: ForeignKey, table: Table) -> bool:
        return self.schema.table(fk.ref_table) is table

    def _rename_table(self, action: a.RenameTable, origin: Origin) -> None:
        key = self.schema.table_key(action.table)
        if key is None:
            return
        table = self.schema.tables.pop(key)
        old_ref = Name(table.name, table.schema)
        table.name = action.new_name
        table.changed = origin
        self.schema.tables[self.schema.key(table.name, table.schema)] = table
        self._repoint_foreign_keys(old_ref, Name(table.name, table.schema))

    def _set_table_schema(self, action: a.SetTableSchema, origin: Origin) -> None:
        key = self.schema.table_key(action.table)
        if key is None:
            return
        table = self.schema.tables.pop(key)
        old_ref = Name(table.name, table.schema)
        table.schema = action.new_schema
        table.changed = origin
        self.schema.tables[self.schema.key(table.name, table.schema)] = table
        self._repoint_foreign_keys(old_ref, Name(table.name, table.schema))

    def _repoint_foreign_keys(self, old: Name, new: Name) -> None:
        fold = self.schema.case_insensitive
        for other in self.schema.tables.values():
            for fk in other.foreign_keys.values():
                same_name = fk.ref_table.name.lower() == old.name.lower() if fold else fk.ref_table.name == old.name
                if same_name and fk.ref_table.schema == old.schema:
                    fk.ref_table = new

    # --- columns --------------------------------------------------------------------------
    def _table(self, ref: Name) -> Table | None:
        return self.schema.table(ref)

    def _add_column(self, action: a.AddColumn, origin: Origin) -> None:
        table = self._table(action.table)
        if table is None or (action.if_not_exists and table.column(action.column.name) is not None):
            return
        table.columns[action.column.name] = replace(action.column, created=origin, changed=origin)
        table.changed = origin
        for constraint in action.constraints:
            self._add_constraint(table, constraint, origin, not_valid=False)

    def _drop_column(self, action: a.DropColumn, origin: Origin) -> None:
        table = self._table(action.table)
        column = table.column(action.column) if table else None
        if table is None or column is None:
            return
        name = column.name
        del table.columns[name]
        table.changed = origin
        # Indexes and constraints that use the column go with it, as PostgreSQL and MySQL do.
        if table.primary_key and name in table.primary_key.columns:
            table.primary_key = None
        for index_name in [n for n, ix in table.indexes.items() if name in ix.columns or name in ix.include]:
            del table.indexes[index_name]
        for fk_name in [n for n, fk in table.foreign_keys.items() if name in fk.columns]:
            del table.foreign_keys[fk_name]
        for check_name in [n for n, ck in table.checks.items() if name in ck.columns]:
            del table.checks[check_name]
        for other in self.schema.tables.values():
            for fk_name in [n for n, fk in other.foreign_keys.items() if self._refers_to(fk, table) and name in fk.ref_columns]:
                del other.foreign_keys[fk_name]

    def _rename_column(self, action: a.RenameColumn, origin: Origin) -> None:
        table = self._table(action.table)
        column = table.column(action.column) if table else None
        if table is None or column is None:
            return
        old, new = column.name, action.new_name
        column.name = new
        column.span = action.span
        column.changed = origin
        table.columns = {(new if key == old else key): value for key, value in table.columns.items()}
        table.changed = origin

        def rename(names: list[str]) -> list[str]:
            return [new if n == old else n for n in names]

        if table.primary_key:
            table.primary_key.columns = rename(table.primary_key.columns)
        for index in table.indexes.values():
            index.elements = [replace(e, text=new) if not e.is_expression and e.text == old else e for e in index.elements]
            index.include = rename(index.include)
        for fk in table.foreign_keys.values():
            fk.columns = rename(fk.columns)
        for check in table.checks.values():
            check.columns = rename(check.columns)
            if check.not_null_column == old:
                check.not_null_column = new
        for other in self.schema.tables.values():
            for fk in other.foreign_keys.values():
                if self._refers_to(fk, table):
                    fk.ref_columns = rename(fk.ref_columns)

    def _column(self, ref: Name, name: str) -> tuple[Table, Column] | None:
        table = self._table(ref)
        column = table.column(name) if table else None
        return (table, column) if column is not None else None

    def _alter_column_type(self, action: a.AlterColumnType, origin: Origin) -> None:
        found = self._column(action.table, action.column)
        if found:
            found[1].type = action.type
            found[1].changed = found[0].changed = origin

    def _set_not_null(self, action: a.SetNotNull, origin: Origin) -> None:
        found = self._column(action.table, action.column)
        if found:
            found[1].nullable = False
            found[1].changed = found[0].changed = origin

    def _drop_not_null(self, action: a.DropNotNull, origin: Origin) -> None:
        found = self._column(action.table, action.column)
        if found:
            found[1].nullable = True
            found[1].changed = found[0].changed = origin

    def _set_default(self, action: a.SetDefault, origin: Origin) -> None:
        found = self._column(action.table, action.column)
        if found:
            default = action.default
            if default is not None and self.schema.dialect == POSTGRESQL:
                from linter.dialects.pg_expr import retype_default

                # SET DEFAULT does not restate the type; PostgreSQL casts the literal to the column's.
                default = retype_default(default, found[1].type)
            found[1].default = default
            found[1].changed = found[0].changed = origin

    def _set_identity(self, action: a.SetIdentity, origin: Origin) -> None:
        found = self._column(action.table, action.column)
        if found:
            found[1].identity = action.identity
            if action.identity:
                found[1].nullable = False
            found[1].changed = found[0].changed = origin

    # --- constraints ----------------------------------------------------------------------
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
                    table.primary_key = replace(constraint, name=name, columns=index.columns, created=origin, changed=origin)
                    for column_name in index.columns:
                        if (column := table.column(column_name)) is not None:
                            column.nullable = False
                    table.indexes[name] = replace(index, name=name, constraint="primary", changed=origin)
                else:
                    table.indexes[name] = replace(index, name=name, constraint="unique", changed=origin)
                table.changed = origin
                return
        self._add_constraint(table, constraint, origin, not_valid=action.not_valid)
        table.changed = origin

    def _add_constraint(self, table: Table, constraint, origin: Origin, not_valid: bool) -> None:
        dialect = self.schema.dialect
        if isinstance(constraint, PrimaryKey):
            name = constraint.name or naming.primary_key_name(dialect, table.name, self._name_taken(table, relation=True))
            table.primary_key = replace(constraint, name=name, columns=list(constraint.columns), created=origin, changed=origin)
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
        elif isinstance(constraint, Index):
            name = constraint.name or naming.index_name(dialect, table.name, constraint, self._name_taken(table, relation=True))
            table.indexes[name] = replace(
                constraint,
                name=name,
                table=Name(table.name, table.schema),
                elements=list(constraint.elements),
                include=list(constraint.include),
                created=origin,
                changed=origin,
            )
        elif isinstance(constraint, ForeignKey):
            existing = len(table.foreign_keys)
            taken = self._name_taken(table, relation=False)
            name = constraint.name or naming.foreign_key_name(dialect, table.name, constraint.columns, taken, existing)
            ref = constraint.ref_table
            target = self.schema.table(ref)
            resolved = Name(target.name, target.schema) if target is not None else Name(ref.name, self.schema.creation_schema(ref))
            ref_columns = list(constraint.ref_columns)
            if not ref_columns and target is not None and target.primary_key:
                ref_columns = list(target.primary_key.columns)
            table.foreign_keys[name] = replace(
                constraint,
                name=name,
                columns=list(constraint.columns),
                ref_table=resolved,
                ref_columns=ref_columns,
                validated=constraint.validated and not not_valid,
                created=origin,
                changed=origin,
            )
            if dialect == MYSQL:
                self._mysql_foreign_key_index(table, table.foreign_keys[name], origin)
        elif isinstance(constraint, Check):
            taken = self._name_taken(table, relation=False)
            name = constraint.name or naming.check_name(dialect, table.name, constraint.columns, taken)
            table.checks[name] = replace(
                constraint,
                name=name,
                columns=list(constraint.columns),
                validated=constraint.validated and not not_valid,
                created=origin,
                changed=origin,
            )

    def _mysql_foreign_key_index(self, table: Table, fk: ForeignKey, origin: Origin) -> None:
        """InnoDB creates an index for a foreign key when no index starts with its columns."""
        for index in table.indexes.values():
            if index.column_names[: len(fk.columns)] == fk.columns:
                return
        if table.primary_key and table.primary_key.columns[: len(fk.columns)] == fk.columns:
            return
        table.indexes[fk.name] = Index(
            name=fk.name,
            table=Name(table.name, table.schema),
            elements=[IndexElement(c) for c in fk.columns],
            span=fk.span,
            created=origin,
            changed=origin,
        )

    def _name_taken(self, table: Table, relation: bool) -> Callable[[str], bool]:
        """Whether a generated name is in use. PostgreSQL chooses index, primary-key and unique
        names among the schema's relations, and foreign-key and check names among the schema's
        constraints; MySQL and SQLite only among the table's own."""
        if self.schema.dialect != POSTGRESQL:
            return lambda name: name in table.constraint_names()
        tables = [other for other in self.schema.tables.values() if other.schema == table.schema]
        if relation:
            return lambda name: any(name in other.indexes or name == other.name for other in tables)
        return lambda name: any(name in other.constraint_names() for other in tables)

    def _drop_constraint(self, action: a.DropConstraint, origin: Origin) -> None:
        table = self._table(action.table)
        if table is None:
            return
        table.changed = origin
        if action.kind == "primary" or (table.primary_key and table.primary_key.name == action.name):
            if table.primary_key is not None:
                table.indexes.pop(table.primary_key.name or "", None)
            table.primary_key = None
            return
        if action.kind in (None, "foreign") and action.name in table.foreign_keys:
            del table.foreign_keys[action.name]
            return
        if action.kind in (None, "check") and action.name in table.checks:
            del table.checks[action.name]
            return
        if action.kind in (None, "unique", "index") and action.name in table.indexes:
            del table.indexes[action.name]

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

    # --- types and schemas ----------------------------------------------------------------
    def _create_enum(self, action: a.CreateEnum, origin: Origin) -> None:
        enum_schema = self.schema.creation_schema(action.enum)
        key = self.schema.key(action.enum.name, enum_schema)
        self.schema.enums[key] = Enum(
            name=action.enum.name, values=list(action.values), schema=enum_schema, span=action.span, created=origin, changed=origin
        )

    def _add_enum_value(self, action: a.AddEnumValue, origin: Origin) -> None:
        enum = self.schema.enum(action.enum)
        if enum is None or action.value in enum.values:
            return
        if action.before in enum.values:
            enum.values.insert(enum.values.index(action.before), action.value)
        elif action.after in enum.values:
            enum.values.insert(enum.values.index(action.after) + 1, action.value)
        else:
            enum.values.append(action.value)
        enum.changed = origin

    def _rename_enum_value(self, action: a.RenameEnumValue, origin: Origin) -> None:
        enum = self.schema.enum(action.enum)
        if enum is not None and action.value in enum.values:
            enum.values[enum.values.index(action.value)] = action.new_value
            enum.changed = origin

    def _rename_type(self, action: a.RenameType, origin: Origin) -> None:
        key = self._enum_key(action.type)
        if key is None:
            return
        enum = self.schema.enums.pop(key)
        old = enum.name
        enum.name = action.new_name
        enum.changed = origin
        self.schema.enums[self.schema.key(enum.name, enum.schema)] = enum
        for table in self.schema.tables.values():
            for column in table.columns.values():
                if column.base_type == old:
                    column.type = action.new_name + ("[]" if column.is_array else "")

    def _enum_key(self, ref: Name) -> str | None:
        enum = self.schema.enum(ref)
        if enum is None:
            return None
        return self.schema.key(enum.name, enum.schema)

    def _drop_type(self, action: a.DropType, origin: Origin) -> None:
        for ref in action.types:
            key = self._enum_key(ref)
            if key is not None:
                del self.schema.enums[key]

    def _create_schema(self, action: a.CreateSchema, origin: Origin) -> None:
        self.schema.schemas.add(action.schema)

    def _drop_schema(self, action: a.DropSchema, origin: Origin) -> None:
        for name in action.schemas:
            self.schema.schemas.discard(name)
            for key in [k for k, t in self.schema.tables.items() if t.schema == name]:
                del self.schema.tables[key]
            for key in [k for k, e in self.schema.enums.items() if e.schema == name]:
                del self.schema.enums[key]

    def _create_view(self, action: a.CreateView, origin: Origin) -> None:
        self.schema.views[self.schema.key(action.view.name, self.schema.creation_schema(action.view))] = origin

    def _drop_view(self, action: a.DropView, origin: Origin) -> None:
        for ref in action.views:
            self.schema.views.pop(self.schema.key(ref.name, self.schema.creation_schema(ref)), None)

    def _comment(self, action: a.Comment, origin: Origin) -> None:
        if action.target == "table":
            table = self._table(action.object)
            if table is not None:
                table.comment = action.text
        elif action.target == "column" and action.column:
            found = self._column(action.object, action.column)
            if found:
                found[1].comment = action.text
        elif action.target == "type":
            enum = self.schema.enum(action.object)
            if enum is not None:
                enum.changed = origin

    def _set_variable(self, action: a.SetVariable, origin: Origin) -> None:
        if action.name != "search_path" or self.schema.dialect != POSTGRESQL:
            return
        if action.value is None and not action.values:
            self.schema.search_path = ["public"]
            return
        path = [value for value in (action.values or (action.value,)) if value and value != "$user"]
        self.schema.search_path = path or ["public"]
