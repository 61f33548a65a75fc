"""From discovered files to findings: parse, replay, run the rules, suppress.

Data flows one way (STYLE.md): discovery → read → parse → replay with provenance → rules →
suppression → sorted findings. Rules get what they need from a context and report through
it; the engine alone decides which rules run where.
"""

from __future__ import annotations

import gc
import importlib
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from linter.actions import Statement, Transaction
from linter.context import Collector, RuleContext, SchemaContext, SetContext, Settings, StatementContext
from linter.dialects import ParsedPart, parse_part
from linter.findings import Finding, Severity, Span
from linter.migrations import Migration, MigrationSet, Part, TxMode
from linter.records import Record, field
from linter.replay import Replay
from linter.rule import Rule
from linter.schema import Origin, Schema
from linter.source import ReadProblem, SourceFile

if TYPE_CHECKING:
    from linter.drift import Migrated
    from linter.reversal import KnownFacts, Snapshot

# Convention families report once, on the Prisma schema, when one sits beside its migrations.
CONVENTION_FAMILIES = frozenset("NTKC")


class RulesByAction(dict):
    """The statement rules for each action type, in the order they were enabled, as the engine
    looks them up (`plan.by_action[type(action)]`). A statement rule the run knows from the
    cache's index (`rules.LazyRule`) is imported and made when the first action of a type it
    judges comes: a pre-commit run on a small file imports the few its statements need."""

    def __init__(self) -> None:
        super().__init__()
        self._waiting: dict[type, list[Any]] = defaultdict(list)  # rules, or LazyRules to make
        self._made: dict[str, Rule] = {}  # by rule id: one instance whatever the action type

    def wait(self, action_type: type, rule: Any) -> None:
        self._waiting[action_type].append(rule)

    def __missing__(self, action_type: type) -> list[Rule]:
        rules = [rule if isinstance(rule, Rule) else self._make(rule) for rule in self._waiting.pop(action_type, ())]
        self[action_type] = rules
        return rules

    def _make(self, lazy: Any) -> Rule:
        made = self._made.get(lazy.id)
        if made is None:
            made = self._made[lazy.id] = lazy.load()()
        return made


class RulePlan(Record):
    """The enabled rules, grouped by what they judge."""

    by_action: RulesByAction = field(default_factory=RulesByAction)
    schema_rules: list[Rule] = field(default_factory=list)
    set_rules: list[Rule] = field(default_factory=list)
    app_rules: list[Rule] = field(default_factory=list)

    @classmethod
    def build(cls, rules: Iterable[Any]) -> "RulePlan":
        """From rule classes, and `rules.LazyRule`s for statement and application-code rules,
        to import when they are needed."""
        plan = cls()
        for rule_cls in rules:
            if not isinstance(rule_cls, type):  # a LazyRule
                for module, name in rule_cls.action_types:
                    plan.by_action.wait(getattr(importlib.import_module(module), name), rule_cls)
                if rule_cls.implements("check_app"):
                    plan.app_rules.append(rule_cls)  # made by `Linter.lint_app`
                continue
            rule = rule_cls()
            for action_type in rule_cls.actions:
                plan.by_action.wait(action_type, rule)
            if rule_cls.implements("check_schema"):
                plan.schema_rules.append(rule)
            if rule_cls.implements("check_set"):
                plan.set_rules.append(rule)
            if rule_cls.implements("check_app"):
                plan.app_rules.append(rule)
        return plan


def mark_transactions(statements: list[Statement], tx: TxMode) -> None:
    """Set `in_transaction` on each statement from the tool's wrapping and explicit BEGIN/COMMIT.

    A query string of several statements runs as one implicit transaction block in
    PostgreSQL (even across an explicit COMMIT inside it), so IMPLICIT with more than one
    statement keeps every statement in a block. A tool's own transaction (WRAPPED) ends at a
    COMMIT written in the file: what follows runs outside any transaction, as the server does.
    """
    implicit_block = tx is TxMode.IMPLICIT and len(statements) > 1
    open_transaction = tx is TxMode.WRAPPED
    for statement in statements:
        ops = [action.op for action in statement.actions if isinstance(action, Transaction)]
        if "begin" in ops:
            open_transaction = True
            statement.in_transaction = True
            continue
        statement.in_transaction = open_transaction or implicit_block
        if any(op in ("commit", "rollback", "prepare") for op in ops):
            open_transaction = False


class Linter(Record, eq=False):
    """One run over a set of inputs with one configuration."""

    rules: dict[str, type[Rule]]  # every known rule, by id
    enabled: list[type[Rule]]  # the ones that run (statement rules may be `rules.LazyRule`s)
    severity: dict[str, Severity] = field(default_factory=dict)
    options: dict[str, dict] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)
    report_paths: set[str] | None = None  # None: report on every file
    collector: Collector = field(init=False)
    plan: RulePlan = field(init=False)
    sources: dict[str, SourceFile] = field(default_factory=dict)
    parsed: dict[int, ParsedPart] = field(default_factory=dict)
    dialects: dict[str, str] = field(default_factory=dict)  # display path -> SQL dialect
    reversals: dict[int, list[str]] = field(default_factory=dict)  # id(Migration) -> differences
    # id(MigrationSet) -> what its migrations build, kept for the Prisma schema beside it (R005);
    # only sets with a known dialect whose up migrations all parsed.
    migrated: dict[int, Migrated] = field(default_factory=dict)
    wants_reversal: bool = field(init=False, default=False)
    # The facts R002 took after the last migration's down, of tables the down left alone, with
    # the schema they belong to: the next migration of that schema reuses them before its up.
    _carried: tuple[Schema, KnownFacts] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.collector = Collector(self.severity)
        self.plan = RulePlan.build(self.enabled)
        self.wants_reversal = any(rule.reversal for rule in self.enabled)
        # Declared defaults under configured values, computed once: rules are called per action.
        self.options = {
            rule.id: {name: option.default for name, option in rule.options.items()} | self.options.get(rule.id, {})
            for rule in self.enabled
        }

    # --- entry points ---------------------------------------------------------------------
    def reports_on(self, path: str) -> bool:
        return self.report_paths is None or path in self.report_paths

    def read_problem(self, problem: ReadProblem) -> None:
        self._engine_finding("E003", Span(SourceFile(problem.path, ""), 0, 0), problem.message)

    def lint_set(self, migration_set: MigrationSet) -> Schema:
        """Parse and replay a migration set, running statement, schema and set rules."""
        for problem in migration_set.problems:
            self.read_problem(problem)
        if migration_set.lock_file is not None:
            self.sources[migration_set.lock_file.path] = migration_set.lock_file
        dialect = migration_set.dialect
        schema = Schema(dialect=dialect)
        if dialect is None:
            self._unknown_dialect(migration_set)
        else:
            replay = Replay(schema)
            try:
                for migration in migration_set.migrations:
                    self._lint_migration(migration_set, migration, schema, replay)
            finally:
                gc.unfreeze()  # see `_parse`
            self._run_schema_rules(schema, migration_set)
            if migration_set.prisma_schema and self._parsed_cleanly(migration_set):
                from linter.drift import Migrated  # for R005, beside a Prisma schema only

                statements = (st for m in migration_set.migrations for st in self.parsed[id(m.up)].statements)
                self.migrated[id(migration_set)] = Migrated.of(schema, statements)
        self._run_set_rules(migration_set)
        return schema

    def lint_prisma(self, files: list[SourceFile], migration_set: MigrationSet | None, provider: str | None = None):
        """Parse a Prisma schema (one file or a folder) and run the schema rules that read Prisma."""
        from linter.prisma import parse_prisma, to_schema

        for file in files:
            self.sources[file.path] = file
        document = parse_prisma(files)
        for error in document.errors:
            self._engine_finding("E002", error.span, error.message)
        schema = to_schema(document, provider)
        context = SchemaContext(
            self.collector,
            self.settings,
            schema.dialect,
            migration_set,
            from_prisma=True,
            prisma_document=document,
            migrated=self.migrated.get(id(migration_set)) if migration_set is not None else None,
        )
        for rule in self.plan.schema_rules:
            if type(rule).prisma:
                self._call(rule, context, rule.check_schema, schema, context)
        return document, schema

    def lint_app(self, path: Path) -> None:
        """Run the application-code rules over one source file (read only when a rule wants it)."""
        if not self.plan.app_rules:
            return
        from linter.source import display_path, read_source

        file = read_source(path, display_path(path), self.settings.max_file_size)
        if isinstance(file, ReadProblem):
            self.read_problem(file)
            return
        self.sources[file.path] = file
        context = RuleContext(self.collector, self.settings, None)
        self.plan.app_rules = [rule if isinstance(rule, Rule) else rule.load()() for rule in self.plan.app_rules]
        for rule in self.plan.app_rules:
            self._call(rule, context, rule.check_app, file, context)

    def findings(self) -> list[Finding]:
        return [finding for finding in self.collector.findings if self.reports_on(finding.path)]

    # --- migration sets -------------------------------------------------------------------
    def dialect_of(self, path: str) -> str | None:
        return self.dialects.get(path)

    def _parse(self, part: Part, dialect: str) -> ParsedPart:
        self.sources[part.path] = part.file
        self.dialects[part.path] = dialect
        parsed = parse_part(part, dialect)
        self.parsed[id(part)] = parsed
        # The parsed statements (pglast's JSON trees: most of a run's objects) live until the
        # set is linted and form no reference cycle, yet the collector would scan them again
        # at every older-generation pass: about 5% of a cold run. Frozen, they are skipped;
        # `lint_set` unfreezes everything when the set is done, so no garbage is kept for good.
        gc.freeze()
        for error in parsed.errors:
            self._engine_finding("E001", error.span, error.message)
        return parsed

    def _lint_migration(self, migration_set: MigrationSet, migration: Migration, schema: Schema, replay: Replay) -> None:
        dialect = migration_set.dialect
        assert dialect is not None
        carried, self._carried = self._carried, None  # true of the schema only until this up replays
        down_part = migration.down
        if down_part is not None and migration.up is not None and not self._reports_on_either(migration.up, down_part):
            down_part = None  # a down is read for findings on this migration's files (R001, R002, E001) only
        down = self._parse(down_part, dialect) if down_part is not None else None
        if migration.up is not None:
            parsed_up = self._parse(migration.up, dialect)
            statements = parsed_up.statements
            # A down with no statement is R001's (empty down), not a failed revert.
            reverting = (
                self.wants_reversal
                and down is not None
                and bool(down.statements)
                and not down.errors
                and not parsed_up.errors
            )
            if reverting:
                from linter import reversal

                pair = reversal.Mentions.of(a for part in (statements, down.statements) for st in part for a in st.actions)
                # A SET LOCAL search_path of the migration before ends at the up's first action.
                path_may_change = replay.local_search_path
                tables, enums = reversal.touched(
                    pair, schema, path_may_change=path_may_change, referrers=replay.referrer_index()
                )
                known = carried[1] if carried is not None and carried[0] is schema else None
                before = reversal.snapshot(schema, tables, enums, known)
            mark_transactions(statements, migration.tx)
            judged = self.reports_on(migration.up.path)
            context = StatementContext(
                self.collector, self.settings, dialect, migration_set, schema=schema, migration=migration, statements=statements
            )
            by_action = self.plan.by_action
            for position, statement in enumerate(statements):
                context.statement = statement
                context.position = position
                for action in statement.actions:
                    if judged:
                        for rule in by_action[type(action)]:
                            if dialect in rule.dialects:
                                self._call(rule, context, rule.check_action, action, context)
                    replay.apply(action, Origin(migration, action.span, migration.in_change))
            if reverting:
                self.reversals[id(migration)] = self._revert(migration, replay, down, before)

    def _reports_on_either(self, up: Part, down: Part) -> bool:
        """Whether the run reports on a file of this pair. A pre-commit run on the newest pair
        of a long history need not read, nor revert, every older down."""
        return self.reports_on(up.path) or self.reports_on(down.path)

    def _revert(self, migration: Migration, replay: Replay, down: ParsedPart, before: Snapshot) -> list[str]:
        """Apply the down to a copy of the schema after the up; what differs from before the up."""
        from linter import reversal

        schema = replay.schema
        reverted = schema.clone()
        down_replay = replay.of_clone(reverted)
        for statement in down.statements:
            for action in statement.actions:
                down_replay.apply(action, Origin(migration, action.span, migration.in_change))
        # Only what existed before the up is compared (what it adds shows in the table lists).
        existed = {key for key, facts in before.tables.items() if facts is not None}
        after = reversal.snapshot(reverted, existed, set(before.enums))
        self._carried = (schema, reversal.untouched_facts(reverted, after))
        return reversal.differences(before, after)

    def _parsed_cleanly(self, migration_set: MigrationSet) -> bool:
        """Whether every up migration of the set parsed without an error (E001)."""
        for migration in migration_set.migrations:
            parsed = self.parsed.get(id(migration.up)) if migration.up is not None else None
            if parsed is None or parsed.errors:
                return False
        return True

    def _run_schema_rules(self, schema: Schema, migration_set: MigrationSet) -> None:
        context = SchemaContext(self.collector, self.settings, schema.dialect, migration_set)
        has_prisma = bool(migration_set.prisma_schema)
        for rule in self.plan.schema_rules:
            if schema.dialect not in type(rule).dialects:
                continue
            if has_prisma and rule.family in CONVENTION_FAMILIES:
                continue
            self._call(rule, context, rule.check_schema, schema, context)

    def _run_set_rules(self, migration_set: MigrationSet) -> None:
        context = SetContext(
            self.collector, self.settings, migration_set.dialect, migration_set, parsed=self.parsed, reversals=self.reversals
        )
        for rule in self.plan.set_rules:
            self._call(rule, context, rule.check_set, migration_set, context)

    def _unknown_dialect(self, migration_set: MigrationSet) -> None:
        ups = [m.up for m in migration_set.migrations if m.up is not None]
        if not ups:
            return
        # On the first file the run reports on: a hook that passes only a later migration of the
        # set must still hear why its file went unchecked.
        first = next((up for up in ups if self.reports_on(up.path)), ups[0])
        self.sources[first.path] = first.file
        self._engine_finding(
            "E004",
            Span(first.file, 0, 0),
            f"cannot tell the SQL dialect of {migration_set.path} ({migration_set.dialect_source}); "
            'set `dialect = "postgresql"` (or "mysql", "sqlite") in [tool.dbvet] or .dbvet.yaml',
        )

    # --- calling rules --------------------------------------------------------------------
    def _call(self, rule: Rule, context: RuleContext, hook, *args) -> None:
        context.rule = type(rule)
        context.options = self.options[rule.id]
        hook(*args)

    def _engine_finding(self, rule_id: str, span: Span, message: str) -> None:
        self.sources.setdefault(span.path, span.file)
        self.collector.add(self.rules[rule_id], span, message)


def lint_texts(
    migrations: Sequence[str],
    *,
    dialect: str = "postgresql",
    tx: TxMode = TxMode.WRAPPED,
    rules: Sequence[type[Rule]],
    options: dict[str, dict] | None = None,
    settings: Settings | None = None,
    in_change: Sequence[bool] = (),
) -> list[Finding]:
    """Lint an ordered list of migration texts (in memory): the heart of rule examples and cases."""
    from rules import all_rules

    from linter.migrations import Layout

    migration_set = MigrationSet(root=Path("."), path="migrations", layout=Layout.PLAIN, dialect=dialect, dialect_source="test")
    for number, text in enumerate(migrations, start=1):
        file = SourceFile(path=f"migrations/{number:04d}.sql", text=text)
        migration_set.migrations.append(
            Migration(
                version=f"{number:04d}",
                name=f"m{number}",
                sort_key=(number,),
                path=file.path,
                up=Part(file),
                tx=tx,
                in_change=bool(in_change[number - 1]) if number <= len(in_change) else False,
            )
        )
    linter = Linter(rules=all_rules(), enabled=list(rules), options=options or {}, settings=settings or Settings())
    linter.lint_set(migration_set)
    return sorted(linter.findings(), key=lambda f: f.sort_key)
