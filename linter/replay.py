"""Applying actions to a `Schema`: the one source of truth for what the schema is.

The replay is forgiving: a reference to an object it does not know (created outside the
migration set, or by a statement it keeps opaque) changes nothing and raises nothing, so a
partial history never produces a crash or a false finding. Names PostgreSQL, MySQL and
SQLite generate for unnamed constraints and indexes come from `linter.naming`. The handlers
live by subject: tables and columns in `linter.replay_tables`, keys and indexes in
`linter.replay_keys`, types, schemas and the rest in `linter.replay_types`.
"""

from __future__ import annotations

from collections.abc import Callable

from linter import actions as a
from linter.replay_types import TypeReplay
from linter.schema import Origin, Schema

_UNSET = object()


class Replay(TypeReplay):
    """Applies actions, one at a time, to the schema it holds."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self._sequences = {}
        self._sequence_of = {}
        self._referrers = None
        self._migration: object = _UNSET
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
            a.RenameSequence: self._rename_sequence,
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
            a.SetTypeSchema: self._set_type_schema,
            a.DropType: self._drop_type,
            a.CreateSchema: self._create_schema,
            a.DropSchema: self._drop_schema,
            a.CreateView: self._create_view,
            a.DropView: self._drop_view,
            a.Comment: self._comment,
            a.SetVariable: self._set_variable,
            a.Transaction: self._transaction,
        }

    def apply(self, action: a.Action, origin: Origin) -> None:
        if origin.migration is not self._migration:
            # A new migration: the temporary tables of the one before ended with its
            # transaction (ON COMMIT DROP) or its session, its SET LOCAL with its transaction.
            if self._migration is not _UNSET:
                self._forget_temporary_tables()
                self._end_transaction()
            self._migration = origin.migration
        handler = self._handlers.get(type(action))
        if handler is not None:
            handler(action, origin)
