"""What a statement does to a schema, in words every dialect shares.

Dialect front-ends (PostgreSQL through pglast's JSON, MySQL and SQLite through sqlglot)
translate each parsed statement into a list of actions. The replay applies actions to the
`Schema`; statement rules subscribe to the action types they judge. One ALTER TABLE with
three sub-commands is three actions, each with the span of its own sub-command.

Names are as written (`Name`), not yet resolved against the search path: the replay and
the rules resolve them with the schema they hold.
"""

from __future__ import annotations

from typing import Any

from linter.findings import Span
from linter.records import Record, field
from linter.schema import Check, Column, Constraint, ForeignKey, Index, Name, PrimaryKey  # noqa: F401 (re-exported)


class Action(Record, frozen=True, kw_only=True):
    """What one statement, sub-command or column definition does. Each action type is a
    frozen record of its own fields, taken by keyword, as are its subclasses."""

    span: Span  # the statement, sub-command or column definition this action comes from


# --- tables -------------------------------------------------------------------------------
class CreateTable(Action):
    table: Name
    columns: tuple[Column, ...] = ()
    # Inline and table constraints; unique ones are `Index(constraint="unique")`. A constraint
    # with `name=None` gets the dialect's generated name in the replay.
    constraints: tuple[Constraint, ...] = ()
    if_not_exists: bool = False
    temporary: bool = False
    from_query: bool = False  # CREATE TABLE … AS / LIKE: columns are not all known
    partition_of: Name | None = None


class DropTable(Action):
    tables: tuple[Name, ...]
    if_exists: bool = False
    cascade: bool = False


class RenameTable(Action):
    table: Name
    new_name: str


class SetTableSchema(Action):
    table: Name
    new_schema: str


class TableOption(Action):
    """ALTER TABLE sub-commands that change storage, not shape: SET TABLESPACE, SET LOGGED, …"""

    table: Name
    option: str  # "set tablespace", "set logged", "set unlogged", "enable trigger", …


# --- columns ------------------------------------------------------------------------------
class AddColumn(Action):
    table: Name
    column: Column
    constraints: tuple[Constraint, ...] = ()  # inline REFERENCES / UNIQUE / CHECK / PRIMARY KEY
    if_not_exists: bool = False


class DropColumn(Action):
    table: Name
    column: str
    if_exists: bool = False
    cascade: bool = False


class RenameColumn(Action):
    table: Name
    column: str
    new_name: str


class AlterColumnType(Action):
    table: Name
    column: str
    type: str
    using: str | None = None


class SetNotNull(Action):
    table: Name
    column: str


class DropNotNull(Action):
    table: Name
    column: str


class SetDefault(Action):
    table: Name
    column: str
    default: str | None  # None: DROP DEFAULT


class SetIdentity(Action):
    table: Name
    column: str
    identity: str | None  # "always" | "by default" | None (DROP IDENTITY)


# --- constraints --------------------------------------------------------------------------
class AddConstraint(Action):
    table: Name
    constraint: Constraint
    not_valid: bool = False
    using_index: str | None = None  # ADD CONSTRAINT … UNIQUE/PRIMARY KEY USING INDEX name


class DropConstraint(Action):
    table: Name
    name: str
    if_exists: bool = False
    cascade: bool = False
    kind: str | None = None  # "primary", "unique", "foreign", "check" when the syntax says (MySQL)


class ValidateConstraint(Action):
    table: Name
    name: str


class RenameConstraint(Action):
    table: Name
    name: str
    new_name: str


# --- indexes ------------------------------------------------------------------------------
class CreateIndex(Action):
    index: Index  # index.table names the table; index.name may be None (generated)
    concurrently: bool = False
    if_not_exists: bool = False
    schema: str | None = None  # an index lives in its table's schema


class DropIndex(Action):
    indexes: tuple[Name, ...]
    concurrently: bool = False
    if_exists: bool = False
    cascade: bool = False
    table: Name | None = None  # MySQL: DROP INDEX name ON table


class RenameIndex(Action):
    index: Name
    new_name: str
    table: Name | None = None  # MySQL: ALTER TABLE t RENAME INDEX a TO b


class RenameSequence(Action):
    """ALTER SEQUENCE … RENAME TO: defaults that call nextval() on it print the new name."""

    sequence: Name
    new_name: str


# --- types and schemas --------------------------------------------------------------------
class CreateEnum(Action):
    enum: Name
    values: tuple[str, ...]


class AddEnumValue(Action):
    enum: Name
    value: str
    before: str | None = None
    after: str | None = None
    if_not_exists: bool = False


class RenameEnumValue(Action):
    enum: Name
    value: str
    new_value: str


class CreateDomain(Action):
    """CREATE DOMAIN: a type over a base type (perhaps another domain) that a column of it
    takes its default, NOT NULL and CHECK constraints from."""

    domain: Name
    base_type: str  # as format_type prints it
    default: str | None = None
    not_null: bool = False
    checks: tuple[str | None, ...] = ()  # the CHECK constraints' names; None where unnamed


class AlterDomain(Action):
    """ALTER DOMAIN: one change to a domain's default, NOT NULL or CHECK constraints."""

    domain: Name
    # "set default", "drop default", "set not null", "drop not null", "add check",
    # "drop check" or "rename check"
    change: str
    default: str | None = None  # the new default
    constraint: str | None = None  # the check added (None: unnamed), dropped or renamed
    new_name: str | None = None  # the check's new name
    if_exists: bool = False


class RenameType(Action):
    """ALTER TYPE or ALTER DOMAIN … RENAME TO."""

    type: Name
    new_name: str


class SetTypeSchema(Action):
    """ALTER TYPE or ALTER DOMAIN … SET SCHEMA: the type moves; columns of that type follow it."""

    type: Name
    new_schema: str


class DropType(Action):
    types: tuple[Name, ...]
    if_exists: bool = False
    cascade: bool = False


class DropDomain(Action):
    domains: tuple[Name, ...]
    if_exists: bool = False
    cascade: bool = False


class CreateSchema(Action):
    schema: str
    if_not_exists: bool = False


class DropSchema(Action):
    schemas: tuple[str, ...]
    if_exists: bool = False
    cascade: bool = False


class CreateView(Action):
    view: Name
    or_replace: bool = False
    materialized: bool = False


class DropView(Action):
    views: tuple[Name, ...]
    if_exists: bool = False
    cascade: bool = False
    materialized: bool = False


class Comment(Action):
    target: str  # "table" | "column" | "index" | "type" | … (other targets are kept opaque)
    object: Name  # for a column: the table
    column: str | None = None
    text: str | None = None  # None: COMMENT … IS NULL


# --- session, transactions, data ----------------------------------------------------------
class SetVariable(Action):
    name: str  # lower-case: "lock_timeout", "search_path", "statement_timeout", …
    value: str | None  # None: RESET / SET … TO DEFAULT
    local: bool = False
    values: tuple[str, ...] = ()  # list-valued settings such as search_path


class Transaction(Action):
    op: str  # "begin" | "commit" | "rollback" | "savepoint" | "release" | "rollback to" | "prepare"


class DataChange(Action):
    op: str  # "insert" | "update" | "delete" | "merge" | "copy"
    table: Name | None
    has_where: bool = True
    from_query: bool = False  # INSERT … SELECT, UPDATE … FROM


class Truncate(Action):
    tables: tuple[Name, ...]
    cascade: bool = False


class Maintenance(Action):
    op: str  # "vacuum full" | "vacuum" | "cluster" | "reindex" | "analyze"
    tables: tuple[Name, ...] = ()
    concurrently: bool = False


class LockTable(Action):
    """PostgreSQL's LOCK TABLE: a lock taken on purpose, held until the transaction ends."""

    tables: tuple[Name, ...]
    mode: str = "ACCESS EXCLUSIVE"  # as PostgreSQL names it; LOCK without a mode takes this one
    nowait: bool = False  # NOWAIT: fails at once instead of waiting for the lock


class Opaque(Action):
    """A statement dbvet does not model (functions, triggers, grants, DO blocks, …)."""

    what: str  # the parser's name for it, e.g. "CreateFunctionStmt"
    tables: tuple[Name, ...] = ()  # tables it is known to touch, where the front-end can tell


class Statement(Record, eq=False):
    """One parsed statement of a migration, with what it does."""

    span: Span  # from its first token (never a comment before it) to its end, without the ';'
    kind: str  # the parser's node name: "IndexStmt", "AlterTableStmt", sqlglot's "create", …
    node: Any  # the parser's own tree: a plain dict (PostgreSQL JSON) or a sqlglot expression
    actions: list[Action] = field(default_factory=list)
    in_transaction: bool = False  # set by the engine from the tool's and the file's transactions

    @property
    def text(self) -> str:
        return self.span.file.text[self.span.start : self.span.end]


# The constraint classes (Check, ForeignKey, Index, PrimaryKey) are part of this vocabulary
# too: front-ends build them for CreateTable / AddColumn / AddConstraint, and rules reach them
# as `actions.ForeignKey` and so on.
