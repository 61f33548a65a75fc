"""The replay of types, schemas, views, comments and the search path (the `Replay` class is in
`linter.replay`). Columns follow their type when it is renamed, moves to another schema or is
dropped with CASCADE."""

from __future__ import annotations

from linter import actions as a
from linter.replay_tables import TableReplay, split_type
from linter.schema import POSTGRESQL, Domain, Enum, Name, Origin


class TypeReplay(TableReplay):
    """Type, schema, view, comment and session handlers."""

    # --- enums -----------------------------------------------------------------------------
    def _create_enum(self, action: a.CreateEnum, origin: Origin) -> None:
        enum_schema = self.schema.creation_schema(action.enum)
        key = self.schema.key(action.enum.name, enum_schema)
        self.schema.enums[key] = Enum(
            name=action.enum.name,
            values=list(action.values),
            schema=enum_schema,
            span=action.span,
            created=origin,
            changed=origin,
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
            if self.schema.dialect == POSTGRESQL:
                self._rename_literals(enum.spelled, action.value, action.new_value)

    def _rename_literals(self, spelled: str, old: str, new: str) -> None:
        """Defaults and predicates hold an enum value, not its label: the server prints the
        new label."""
        from linter.dialects.pg_types import quoted_type
        from linter.dialects.pg_values import quote_literal

        cast = "::" + quoted_type(spelled)
        before, after = quote_literal(old) + cast, quote_literal(new) + cast
        for table in self.schema.tables.values():
            for column in table.columns.values():
                if column.default is not None and before in column.default:
                    column.default = column.default.replace(before, after)
            for index in table.indexes.values():
                if index.predicate is not None and before in index.predicate:
                    index.predicate = index.predicate.replace(before, after)

    # --- domains ---------------------------------------------------------------------------
    def _create_domain(self, action: a.CreateDomain, origin: Origin) -> None:
        domain_schema = self.schema.creation_schema(action.domain)
        domain = Domain(
            name=action.domain.name,
            base_type=self._spell_type(action.base_type),
            schema=domain_schema,
            default=action.default,
            not_null=action.not_null,
            span=action.span,
            created=origin,
            changed=origin,
        )
        for name in action.checks:
            domain.checks.append(name or _check_name(domain))
        self.schema.domains[self.schema.key(domain.name, domain_schema)] = domain

    def _alter_domain(self, action: a.AlterDomain, origin: Origin) -> None:
        domain = self.schema.domain(action.domain)
        if domain is None:
            return
        change, checks = action.change, domain.checks
        if change == "set default":
            from linter.dialects.pg_expr import retype_default

            domain.default = retype_default(action.default, domain.base_type)
        elif change == "drop default":
            domain.default = None
        elif change in ("set not null", "drop not null"):
            domain.not_null = change == "set not null"
        elif change == "add check":
            checks.append(action.constraint or _check_name(domain))
        elif change == "drop check" and action.constraint in checks:
            checks.remove(action.constraint)
        elif change == "rename check" and action.constraint in checks and action.new_name:
            checks[checks.index(action.constraint)] = action.new_name
        domain.changed = origin

    def _rename_type(self, action: a.RenameType, origin: Origin) -> None:
        self._move_type(action.type, action.new_name, None, origin)

    def _set_type_schema(self, action: a.SetTypeSchema, origin: Origin) -> None:
        self._move_type(action.type, None, action.new_schema, origin)

    def _move_type(self, ref: Name, new_name: str | None, new_schema: str | None, origin: Origin) -> None:
        """An enum or a domain renamed or moved: columns of it (and domains over it) follow."""
        kind, key = self._type_key(ref)
        if key is None:
            return
        kept: dict = self.schema.enums if kind == "enum" else self.schema.domains
        moved = kept.pop(key)
        old = moved.spelled
        moved.name = new_name or moved.name
        moved.schema = new_schema or moved.schema
        moved.changed = origin
        kept[self.schema.key(moved.name, moved.schema)] = moved
        self._retype_columns(old, moved.spelled)
        for domain in self.schema.domains.values():
            base, suffix = split_type(domain.base_type)
            if base == old:
                domain.base_type = moved.spelled + suffix

    def _type_key(self, ref: Name) -> tuple[str, str | None]:
        """("enum" or "domain", its key) for the type `ref` names, as the search path finds it."""
        key = self._enum_key(ref)
        if key is not None:
            return "enum", key
        domain = self.schema.domain(ref)
        return "domain", None if domain is None else self.schema.key(domain.name, domain.schema)

    def _enum_key(self, ref: Name) -> str | None:
        enum = self.schema.enum(ref)
        if enum is None:
            return None
        return self.schema.key(enum.name, enum.schema)

    def _drop_type(self, action: a.DropType | a.DropDomain, origin: Origin) -> None:
        """DROP TYPE or DROP DOMAIN: types and domains share one namespace."""
        for ref in action.types if isinstance(action, a.DropType) else action.domains:
            kind, key = self._type_key(ref)
            if key is None:
                continue
            dropped = (self.schema.enums if kind == "enum" else self.schema.domains).pop(key)
            if action.cascade:
                self._drop_columns_of_type(dropped.spelled, origin)

    def _drop_columns_of_type(self, spelled: str, origin: Origin) -> None:
        """DROP TYPE … CASCADE drops the columns of that type."""
        for table in list(self.schema.tables.values()):
            for column in [c for c in table.columns.values() if split_type(c.type)[0] == spelled]:
                self._forget_column(table, column.name, origin)

    # --- schemas, views, comments ------------------------------------------------------------
    def _create_schema(self, action: a.CreateSchema, origin: Origin) -> None:
        self.schema.schemas.add(action.schema)

    def _drop_schema(self, action: a.DropSchema, origin: Origin) -> None:
        for name in action.schemas:
            self.schema.schemas.discard(name)
            doomed = [t for t in self.schema.tables.values() if t.schema == name]
            for table in doomed:
                self._forget_table(table)
            for key in [k for k, e in self.schema.enums.items() if e.schema == name]:
                enum = self.schema.enums.pop(key)
                self._drop_columns_of_type(enum.spelled, origin)
            for key in [k for k, d in self.schema.domains.items() if d.schema == name]:
                domain = self.schema.domains.pop(key)
                self._drop_columns_of_type(domain.spelled, origin)

    def _create_view(self, action: a.CreateView, origin: Origin) -> None:
        self.schema.views[self.schema.key(action.view.name, self.schema.creation_schema(action.view))] = origin

    def _drop_view(self, action: a.DropView, origin: Origin) -> None:
        for ref in action.views:
            self.schema.views.pop(self.schema.key(ref.name, self.schema.creation_schema(ref)), None)

    def _comment(self, action: a.Comment, origin: Origin) -> None:
        # COMMENT … IS '' removes the comment, as IS NULL does.
        text = action.text or None
        if action.target == "table":
            table = self._table(action.object)
            if table is not None:
                table.comment = text
        elif action.target == "column" and action.column:
            table = self._table(action.object)
            column = table.column(action.column) if table else None
            if column is not None:
                column.comment = text
        elif action.target == "type":
            enum = self.schema.enum(action.object)
            if enum is not None:
                enum.changed = origin

    # The session's search path while a SET LOCAL one is in force (None: none is).
    _session_search_path: list[str] | None = None

    def _set_variable(self, action: a.SetVariable, origin: Origin) -> None:
        if action.name != "search_path" or self.schema.dialect != POSTGRESQL:
            return
        if action.local and self._session_search_path is None:
            self._session_search_path = self.schema.search_path
        elif not action.local:
            self._session_search_path = None
        if action.value is None and not action.values:
            self.schema.search_path = ["public"]
            return
        path = [value for value in (action.values or (action.value,)) if value and value != "$user"]
        self.schema.search_path = path or ["public"]

    @property
    def local_search_path(self) -> bool:
        """Whether a SET LOCAL search_path is in force: the transaction's end restores the
        session's path, so names may resolve elsewhere once it ends."""
        return self._session_search_path is not None

    def _end_transaction(self) -> None:
        """SET LOCAL lasts until the transaction ends: at COMMIT / ROLLBACK, or with the
        migration its tool runs as one transaction."""
        if self._session_search_path is not None:
            self.schema.search_path = self._session_search_path
            self._session_search_path = None

    def _transaction(self, action: a.Transaction, origin: Origin) -> None:
        if action.op in ("commit", "rollback", "prepare"):
            self._end_transaction()


def _check_name(domain: Domain) -> str:
    """The name PostgreSQL gives a domain's unnamed CHECK: `<domain>_check`, then numbered."""
    from linter.dialects.pg_names import choose_name

    return choose_name(domain.name, [], "check", lambda name: name in domain.checks)
