"""How a rule is declared.

A rule is a class with its id, name, default severity, whether it is on by default, its
options and its documentation. What it judges decides which hook it implements:

- `check_action(action, ctx)` — a statement rule: called for every action whose type is in
  `actions`, with the schema as it was before the statement (`ctx.schema`);
- `check_schema(schema, ctx)` — a schema rule: called once per migration set (or Prisma
  schema) with the final schema;
- `check_set(migration_set, ctx)` — a set rule: called once per migration set;
- `check_app(file, ctx)` — an application-code rule: called once per `.ts`/`.js` file given
  on the command line or found beside a Prisma schema.

Rules keep no state: everything they need comes from the context, and findings go through
`ctx.report(...)`. The engine (`linter.engine`) does the calling.
"""

from __future__ import annotations

from typing import Any, ClassVar

from linter.findings import Severity
from linter.records import Record, field


class Example(Record, frozen=True):
    """A documented example; the bad ones must produce exactly `expect`, the good ones nothing."""

    source: str
    kind: str = "sql"  # "sql" | "prisma" | "app" (code beside a Prisma schema) | "lock" (migration_lock.toml)
    # | "git" (`before` is committed in a git repository, then the change writes `source` to the shown
    # file, and dbvet runs with `--base HEAD`)
    dialect: str | None = "postgresql"  # None: a set whose dialect cannot be told
    encoding: str = "utf-8"  # how the example file is written (E003 shows a Latin-1 file)
    layout: str = "plain"  # the migration layout the example is written in ("plain", "dbmate", …)
    # Earlier migrations of the same set that the example builds on (schema it applies to).
    before: tuple[str, ...] = ()
    # The shown file's name in its folder; "" for the migration after the `before` ones. A "git"
    # example names an earlier migration to edit it, or an early version to add one out of order.
    name: str = ""
    # For a bad example: the (line, column) of each finding of this rule, in order.
    expect: tuple[tuple[int, int], ...] = ()
    options: dict = field(default_factory=dict)


class Doc(Record, frozen=True):
    what: str  # what it catches
    why: str  # why it hurts
    instead: str  # what to do instead
    bad: Example
    good: Example


class Option(Record, frozen=True):
    default: Any
    help: str

    def validate(self, value: Any) -> str | None:
        """A problem with `value`, or None when it has the default's type."""
        expected = type(self.default)
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            return None
        if isinstance(value, bool) != isinstance(self.default, bool) or not isinstance(value, expected):
            return f"expected {expected.__name__}, got {type(value).__name__}"
        if isinstance(value, list) and not all(isinstance(item, str) for item in value):
            return "expected a list of strings"
        return None


FAMILIES = {
    "E": "input problems",
    "N": "naming",
    "T": "timestamps",
    "K": "keys and indexes",
    "C": "column types and constraints",
    "S": "PostgreSQL lock and rewrite safety",
    "D": "destructive and backward-incompatible changes",
    "R": "migration sets, reversibility and history",
    "A": "application code",
}


class Rule:
    id: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    default_on: ClassVar[bool] = True
    summary: ClassVar[str]  # one line, for `dbvet rules`
    doc: ClassVar[Doc]
    options: ClassVar[dict[str, Option]] = {}
    # Dialects whose SQL the rule reads; Prisma schemas are judged by schema rules that
    # declare `prisma = True`.
    dialects: ClassVar[frozenset[str]] = frozenset({"postgresql", "mysql", "sqlite"})
    prisma: ClassVar[bool] = False
    # Statement rules: the action types they judge. Down migrations reach only rules that
    # set `on_down` (E and R rules).
    actions: ClassVar[tuple[type, ...]] = ()
    on_down: ClassVar[bool] = False
    # Set rules that judge whether each down reverts its up: the engine then replays every
    # up-and-down pair and hands the differences to the context (`ctx.reversals`).
    reversal: ClassVar[bool] = False

    @property
    def family(self) -> str:
        return self.id[0]

    # Hooks; a rule overrides the ones it needs.
    def check_action(self, action: Any, ctx: Any) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def check_schema(self, schema: Any, ctx: Any) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def check_set(self, migration_set: Any, ctx: Any) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    def check_app(self, file: Any, ctx: Any) -> None:  # pragma: no cover - interface
        raise NotImplementedError

    @classmethod
    def implements(cls, hook: str) -> bool:
        return getattr(cls, hook) is not getattr(Rule, hook)


class EngineRule(Rule):
    """A rule whose findings the engine itself produces (input problems, suppressions)."""
