"""The replay of tables and columns (the `Replay` class is in `linter.replay`).

What depends on a column follows it as PostgreSQL does: a rename reaches index expressions,
predicates and generated columns; a drop takes the indexes and constraints that use the
column. A column of a user type is spelled as `format_type` prints it to a session whose
search path is `public`: bare when the type lives in `public`, `schema.name` elsewhere; a type
written without a schema is looked up on the search path in force where it is used.
"""

from __future__ import annotations

import re

from linter import actions as a
from linter.records import replace
from linter.replay_keys import KeyReplay, type_check, type_expressions
from linter.schema import MYSQL, POSTGRESQL, SQLITE, Column, ForeignKey, Name, Origin, Table, peek, peek_items

# Where temporary tables live; they vanish with the session (or the transaction) that made them.
TEMP_SCHEMA = "pg_temp"


class TableReplay(KeyReplay):
    """Table and column handlers."""

    # --- tables ---------------------------------------------------------------------------
    def _create_table(self, action: a.CreateTable, origin: Origin) -> None:
        schema = self.schema
        postgres = schema.dialect == POSTGRESQL
        table_schema = TEMP_SCHEMA if action.temporary and postgres else schema.creation_schema(action.table)
        key = schema.key(action.table.name, table_schema)
        if action.if_not_exists and key in schema.tables:
            return
        table = Table(name=action.table.name, schema=table_schema, span=action.span, created=origin, changed=origin)
        self._temporary_made |= table_schema == TEMP_SCHEMA
        for column in action.columns:
            added = column.clone()
            added.created = added.changed = origin
            self._spell_column(added)
            table.columns[column.name] = added
        schema.tables[key] = table
        self._note_names(table, table.name)
        if postgres:
            _type_generated(table, table.columns.values())
            for column in table.columns.values():
                self._claim_sequence(table, column)
        self._add_statement_constraints(table, action.constraints, origin)

    def _drop_table(self, action: a.DropTable, origin: Origin) -> None:
        for ref in action.tables:
            key = self.schema.table_key(ref)
            if key is not None:
                # Peeked, not fetched: under a `CopyOnAccess` (R002's down replay drops many
                # tables) a table that goes need not be copied first; see `_forget_table`.
                self._forget_table(peek(self.schema.tables, key))

    def _forget_table(self, table: Table) -> None:
        """A table goes. In PostgreSQL the foreign keys pointing at it go too (the server
        refuses the drop while they exist unless CASCADE, which drops them); SQLite keeps them
        as text in the referencing tables, and MySQL keeps them when foreign_key_checks is off.

        Only reads `table`, so it may be a shared original: its columns are then not this
        replay's, and own no sequence here, just as a fresh copy's would not."""
        del self.schema.tables[self.schema.key(table.name, table.schema)]
        if self.schema.dialect != POSTGRESQL:
            return
        for column in table.columns.values():
            self._release_sequence(column)
        for other in self._tables_referring_to(table.name, table.schema):
            for fk_name in [n for n, fk in other.foreign_keys.items() if self._refers_to(fk, table)]:
                del other.foreign_keys[fk_name]

    def _rename_table(self, action: a.RenameTable, origin: Origin) -> None:
        table = self._move_table(action.table, action.new_name, None, origin)
        if table is None:
            return
        # Convention rules report where the table's name was last given.
        table.span = action.span
        if self.schema.dialect == MYSQL:
            self._rename_generated_foreign_keys(table, action.table.name)
        elif self.schema.dialect == SQLITE:
            _rename_autoindexes(table, action.table.name)
        self._note_table(table)

    @staticmethod
    def _rename_generated_foreign_keys(table: Table, old_name: str) -> None:
        """MySQL renames the `<old>_ibfk_<n>` names it generated along with the table."""
        from linter.dialects.sg_names import mysql_renamed_foreign_key

        renamed = {}
        for name, fk in table.foreign_keys.items():
            new = mysql_renamed_foreign_key(name, old_name, table.name)
            if new is not None:
                fk.name = new
            renamed[fk.name or name] = fk
        table.foreign_keys = renamed

    def _set_table_schema(self, action: a.SetTableSchema, origin: Origin) -> None:
        self._move_table(action.table, None, action.new_schema, origin)

    def _move_table(self, ref: Name, new_name: str | None, new_schema: str | None, origin: Origin) -> Table | None:
        key = self.schema.table_key(ref)
        if key is None:
            return None
        table = self.schema.tables.pop(key)
        old_ref = Name(table.name, table.schema)
        table.name = new_name or table.name
        table.schema = new_schema or table.schema
        table.changed = origin
        new_ref = Name(table.name, table.schema)
        for index in table.indexes.values():
            index.table = new_ref
        key = self.schema.key(table.name, table.schema)
        self.schema.tables[key] = table
        self._note_table(table)
        for fk in table.foreign_keys.values():
            self._note_reference(key, fk)
        fold = self.schema.case_insensitive

        def points_at_old(fk) -> bool:
            ref_table = fk.ref_table
            same = ref_table.name.lower() == old_ref.name.lower() if fold else ref_table.name == old_ref.name
            return same and ref_table.schema == old_ref.schema

        for other in self._tables_referring_to(old_ref.name, old_ref.schema):
            for fk in other.foreign_keys.values():
                if points_at_old(fk):
                    fk.ref_table = new_ref
                    self._note_reference(self.schema.key(other.name, other.schema), fk)
        return table

    def _forget_temporary_tables(self) -> None:
        if not self._temporary_made:  # most sets make none: no pass over every table per migration
            return
        for key in [key for key, table in peek_items(self.schema.tables) if table.schema == TEMP_SCHEMA]:
            del self.schema.tables[key]
        self._temporary_made = False

    # --- columns --------------------------------------------------------------------------
    def _add_column(self, action: a.AddColumn, origin: Origin) -> None:
        table = self._table(action.table)
        if table is None or (action.if_not_exists and table.column(action.column.name) is not None):
            return
        added = action.column.clone()
        added.created = added.changed = origin
        self._spell_column(added)
        table.columns[action.column.name] = added
        table.changed = origin
        if self.schema.dialect == POSTGRESQL:
            _type_generated(table, [added])
            self._claim_sequence(table, added)
        self._add_statement_constraints(table, action.constraints, origin)

    def _drop_column(self, action: a.DropColumn, origin: Origin) -> None:
        table = self._table(action.table)
        column = table.column(action.column) if table else None
        if table is None or column is None:
            return
        self._forget_column(table, column.name, origin)

    def _forget_column(self, table: Table, name: str, origin: Origin) -> None:
        """A column goes with the indexes and constraints that use it, as PostgreSQL and MySQL
        drop them (foreign keys of other tables on it need CASCADE, which drops them)."""
        self._release_sequence(table.columns.pop(name))
        table.changed = origin
        postgres = self.schema.dialect == POSTGRESQL
        if table.primary_key and name in table.primary_key.columns:
            table.primary_key = None
        mysql = self.schema.dialect == MYSQL
        for index_name in [n for n, ix in table.indexes.items() if _index_uses(ix, name, postgres)]:
            index = table.indexes[index_name]
            if mysql and not index.unique and index.constraint not in ("unique", "primary") and len(index.elements) > 1:
                # MySQL takes the column out of a non-unique index of several columns.
                index.elements = [e for e in index.elements if e.is_expression or e.text != name]
                index.changed = origin
                continue
            del table.indexes[index_name]
        for fk_name in [n for n, fk in table.foreign_keys.items() if name in fk.columns]:
            del table.foreign_keys[fk_name]
        for check_name in [n for n, ck in table.checks.items() if name in ck.columns]:
            del table.checks[check_name]

        def relies_on_column(fk: ForeignKey) -> bool:
            return name in fk.ref_columns and self._refers_to(fk, table)

        for other in self._tables_referring_to(table.name, table.schema, also=lambda fk: name in fk.ref_columns):
            for fk_name in [n for n, fk in other.foreign_keys.items() if relies_on_column(fk)]:
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
            index.elements = [
                replace(e, text=new) if not e.is_expression and e.text == old else e for e in index.elements
            ]
            index.include = rename(index.include)
        for fk in table.foreign_keys.values():
            fk.columns = rename(fk.columns)
        for check in table.checks.values():
            check.columns = rename(check.columns)
            if check.not_null_column == old:
                check.not_null_column = new
        for other in self._tables_referring_to(table.name, table.schema):
            for fk in other.foreign_keys.values():
                if self._refers_to(fk, table):
                    fk.ref_columns = rename(fk.ref_columns)
        if self.schema.dialect == POSTGRESQL:
            self._rename_in_expressions(table, old, new)

    def _rename_in_expressions(self, table: Table, old: str, new: str) -> None:
        """The server prints expressions from parsed trees, so they show the new name."""
        from linter.dialects.pg_refs import rename_column_in

        for index in table.indexes.values():
            index.elements = [
                replace(e, text=rename_column_in(e.text, old, new)) if e.is_expression else e for e in index.elements
            ]
            if index.predicate is not None:
                index.predicate = rename_column_in(index.predicate, old, new)
        for column in table.columns.values():
            if column.generated is not None:
                column.generated = rename_column_in(column.generated, old, new)
        for check in table.checks.values():
            check.expression = rename_column_in(check.expression, old, new)

    def _column(self, ref: Name, name: str) -> tuple[Table, Column] | None:
        table = self._table(ref)
        column = table.column(name) if table else None
        return (table, column) if column is not None else None

    def _alter_column_type(self, action: a.AlterColumnType, origin: Origin) -> None:
        found = self._column(action.table, action.column)
        if not found:
            return
        table, column = found
        # The default stays as written: the server adds an implicit cast it does not print.
        column.type = self._spell_type(action.type)
        column.changed = table.changed = origin
        if self.schema.dialect == POSTGRESQL:
            # The server rebuilds the indexes on the column and prints them for its new type.
            for index in table.indexes.values():
                if _index_uses(index, column.name, postgres=True):
                    type_expressions(table, index)
            for check in table.checks.values():  # and its checks
                if column.name in check.columns:
                    type_check(table, check)

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
            elif default is not None and self.schema.dialect == MYSQL:
                from linter.dialects.sg_types import mysql_default

                # The front-end could not know the type; the server stores the literal converted to it.
                default = mysql_default(default, found[1].type)
            found[1].default = default
            found[1].changed = found[0].changed = origin

    def _set_identity(self, action: a.SetIdentity, origin: Origin) -> None:
        found = self._column(action.table, action.column)
        if found:
            table, column = found
            had_identity = column.identity is not None
            column.identity = action.identity
            if action.identity:
                column.nullable = False
            column.changed = table.changed = origin
            if self.schema.dialect == POSTGRESQL and had_identity != (action.identity is not None):
                # ADD GENERATED … AS IDENTITY makes a sequence, DROP IDENTITY drops it.
                if action.identity:
                    self._claim_sequence(table, column)
                else:
                    self._release_sequence(column)

    def _rename_sequence(self, action: a.RenameSequence, origin: Origin) -> None:
        if self.schema.dialect != POSTGRESQL:
            return
        from linter.dialects.pg_types import quote_ident
        from linter.dialects.pg_values import quote_literal

        ref = action.sequence
        schema = ref.schema or self.schema.creation_schema(ref)
        owner = self._sequences.pop(f"{schema}.{ref.name}", None)
        if owner is not None:
            self._sequences[f"{schema}.{action.new_name}"] = owner
            self._sequence_of[owner] = f"{schema}.{action.new_name}"
        qualified = "" if schema == "public" else quote_ident(schema) + "."
        # A regclass constant prints the sequence's current name; nextval() defaults show it.
        before = f"nextval({quote_literal(qualified + quote_ident(ref.name))}::regclass)"
        after = f"nextval({quote_literal(qualified + quote_ident(action.new_name))}::regclass)"
        for table in self.schema.tables.values():
            if table.schema != schema:
                continue
            for column in table.columns.values():
                if column.default is not None and before in column.default:
                    column.default = column.default.replace(before, after)
                    column.changed = origin

    def _claim_sequence(self, table: Table, column: Column) -> None:
        """The sequence a serial or identity column makes: PostgreSQL names it
        `{table}_{column}_seq`, or `…_seq1`, `…_seq2` when a relation has that name already (a
        table renamed away keeps its sequence); a serial column's default shows the name."""
        serial = column.default is not None and column.default.startswith("nextval(") and _written_serial(column)
        if column.identity is None and not serial:
            return
        from linter.dialects.pg_names import choose_name, sequence_name

        schema = table.schema or "public"
        taken = self._name_taken(table, kind="index")
        name = choose_name(table.name, [column.name], "seq", taken)
        self._sequences[f"{schema}.{name}"] = column
        self._sequence_of[column] = f"{schema}.{name}"
        first = sequence_name(table.name, column.name)
        if serial and name != first and column.default is not None:
            from linter.dialects.pg_types import quote_ident

            column.default = column.default.replace(
                f"{quote_ident(first)}'::regclass", f"{quote_ident(name)}'::regclass"
            )

    def _release_sequence(self, column: Column) -> None:
        """An owned sequence goes with its column."""
        key = self._sequence_of.pop(column, None)
        if key is not None:
            self._sequences.pop(key, None)

    # --- spelling column types --------------------------------------------------------------
    def _spell_type(self, spelled: str) -> str:
        """The model's spelling of a column type written as `spelled` (built-ins are already
        in `format_type` form): an unqualified enum or domain takes the schema the search path
        finds it in."""
        schema = self.schema
        if schema.dialect != POSTGRESQL or not (schema.enums or schema.domains):
            return spelled
        base, suffix = split_type(spelled)
        if "." in base:
            return spelled
        found = schema.enum(Name(base)) or schema.domain(Name(base))
        if found is None or found.schema in (None, "public"):
            return spelled
        return f"{found.schema}.{base}{suffix}"

    def _spell_column(self, column: Column) -> None:
        spelled = self._spell_type(column.type)
        if spelled != column.type:
            column.default = retyped(column.default, split_type(column.type)[0], split_type(spelled)[0])
            column.type = spelled

    def _retype_columns(self, old: str, new: str) -> None:
        """Columns of the type spelled `old` (or arrays of it) now spell it `new`; so do the
        casts to it in their defaults, as the server prints them."""

        def affected(table: Table) -> bool:
            return any(
                split_type(column.type)[0] == old or (column.default is not None and "::" in column.default)
                for column in table.columns.values()
            )

        for table in self.schema.tables_where(affected):
            for column in table.columns.values():
                base, suffix = split_type(column.type)
                if base == old:
                    column.type = new + suffix
                if column.default is not None:
                    column.default = retyped(column.default, old, new)


def _rename_autoindexes(table: Table, old_name: str) -> None:
    """SQLite renames its `sqlite_autoindex_<old>_<n>` indexes along with the table."""
    pattern = re.compile("sqlite_autoindex_" + re.escape(old_name) + r"_(\d+)$", re.IGNORECASE)

    def renamed(name: str) -> str:
        match = pattern.match(name)
        return f"sqlite_autoindex_{table.name}_{match.group(1)}" if match else name

    indexes = {}
    for name, index in table.indexes.items():
        index.name = renamed(name)
        indexes[index.name] = index
    table.indexes = indexes
    if table.primary_key is not None and table.primary_key.name:
        table.primary_key.name = renamed(table.primary_key.name)


def _written_serial(column: Column) -> bool:
    """Whether the column was written as serial / bigserial / smallserial (its definition's text
    says; a `nextval` default alone may name a sequence made elsewhere)."""
    if column.span is None:
        return False
    from linter.dialects.pg_refs import column_type_name
    from linter.dialects.pg_types import serial_type

    span = column.span
    type_name = column_type_name(span.file.text[span.start : span.end])
    return type_name is not None and serial_type(type_name) is not None


def _type_generated(table: Table, columns) -> None:
    """Generation expressions as the server prints them for the table's column types, printed
    again from each column's definition."""
    generated = [column for column in columns if column.generated is not None and column.span is not None]
    if not generated:
        return
    from linter.dialects.pg_expr import typed_text
    from linter.dialects.pg_refs import generated_node

    types = {name: column.type for name, column in table.columns.items()}
    for column in generated:
        span = column.span
        node = generated_node(span.file.text[span.start : span.end])
        if node is not None:
            column.generated = typed_text(node, types) or column.generated


def _index_uses(index, name: str, postgres: bool) -> bool:
    if name in index.columns or name in index.include:
        return True
    if not postgres:
        return False
    from linter.dialects.pg_refs import mentions_column

    if index.predicate is not None and mentions_column(index.predicate, name):
        return True
    return any(e.is_expression and mentions_column(e.text, name) for e in index.elements)


def split_type(spelled: str) -> tuple[str, str]:
    """`other.mood[]` -> (`other.mood`, `[]`); `character varying(3)` -> (`character varying`, `(3)`)."""
    cut = len(spelled)
    for mark in ("(", "["):
        at = spelled.find(mark)
        if 0 <= at < cut:
            cut = at
    return spelled[:cut], spelled[cut:]


def retyped(text: str | None, old: str, new: str) -> str | None:
    """Casts to the type spelled `old` in an expression, as the server prints them once the
    type is spelled `new` (`'a'::"Old"` -> `'a'::"New"`)."""
    if text is None or "::" not in text:
        return text
    from linter.dialects.pg_types import quoted_type

    pattern = re.compile("::" + re.escape(quoted_type(old)) + r"(?![\w$\".])")
    return pattern.sub(lambda _: "::" + quoted_type(new), text)
