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
        self._referrers_shared = False  # `_referrers` is another replay's: copy before adding
        self._names = None  # see `_note_names`
        self._temporary_made = False  # whether a temporary table may be in the schema
        self._migration: object = _UNSET

    def of_clone(self, clone: Schema) -> Replay:
        """A new replay of `clone`, a `Schema.clone()` of this replay's schema taken just now (R002
        reverts one after each up). It starts as `Replay(clone)` would, except that it shares
        the index of foreign-key referrers rather than building it again from every foreign
        key of the schema: the clone holds the same tables, so the index holds for it."""
        replay = Replay(clone)
        if self._referrers is not None:
            # Shared, not copied: a down seldom adds a foreign key (`_note_reference` copies it
            # then), and copying every down's index made a long history quadratic.
            replay._referrers = self._referrers
            replay._referrers_shared = True
        return replay

    def apply(self, action: a.Action, origin: Origin) -> None:
        if origin.migration is not self._migration:
            # A new migration: the temporary tables of the one before ended with its
            # transaction (ON COMMIT DROP) or its session, its SET LOCAL with its transaction.
            if self._migration is not _UNSET:
                self._forget_temporary_tables()
                self._end_transaction()
            self._migration = origin.migration
        handler = _HANDLERS.get(type(action))
        if handler is not None:
            handler(self, action, origin)


# Built once, not per `Replay`: R002 makes one per reverted migration, and a dict of bound
# methods would also tie each replay (and the schema copy it holds) in a reference cycle.
_HANDLERS: dict[type, Callable[[Replay, a.Action, Origin], None]] = {
    a.CreateTable: Replay._create_table,
    a.DropTable: Replay._drop_table,
    a.RenameTable: Replay._rename_table,
    a.SetTableSchema: Replay._set_table_schema,
    a.AddColumn: Replay._add_column,
    a.DropColumn: Replay._drop_column,
    a.RenameColumn: Replay._rename_column,
    a.AlterColumnType: Replay._alter_column_type,
    a.SetNotNull: Replay._set_not_null,
    a.DropNotNull: Replay._drop_not_null,
    a.SetDefault: Replay._set_default,
    a.SetIdentity: Replay._set_identity,
    a.RenameSequence: Replay._rename_sequence,
    a.AddConstraint: Replay._add_constraint_action,
    a.DropConstraint: Replay._drop_constraint,
    a.ValidateConstraint: Replay._validate_constraint,
    a.RenameConstraint: Replay._rename_constraint,
    a.CreateIndex: Replay._create_index,
    a.DropIndex: Replay._drop_index,
    a.RenameIndex: Replay._rename_index,
    a.CreateEnum: Replay._create_enum,
    a.AddEnumValue: Replay._add_enum_value,
    a.RenameEnumValue: Replay._rename_enum_value,
    a.CreateDomain: Replay._create_domain,
    a.AlterDomain: Replay._alter_domain,
    a.RenameType: Replay._rename_type,
    a.SetTypeSchema: Replay._set_type_schema,
    a.DropType: Replay._drop_type,
    a.DropDomain: Replay._drop_type,
    a.CreateSchema: Replay._create_schema,
    a.DropSchema: Replay._drop_schema,
    a.CreateView: Replay._create_view,
    a.DropView: Replay._drop_view,
    a.Comment: Replay._comment,
    a.SetVariable: Replay._set_variable,
    a.Transaction: Replay._transaction,
}
