"""Support for the safety parity and precision tests: dbvet's findings and its replay's view of
every statement of a migration set, and squawk's findings mapped onto the same statements.

Both tools point inside a statement (squawk at a sub-command, in 0-based lines and UTF-8 byte
columns; dbvet at an action, 1-based characters), so comparisons are made per statement: the
file and the line of the statement's first token.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from linter import actions as a  # noqa: E402
from linter.config import config_from_mapping  # noqa: E402
from linter.context import StatementContext  # noqa: E402
from linter.discover import DiscoverOptions, discover  # noqa: E402
from linter.engine import Linter  # noqa: E402
from linter.findings import Finding, Severity  # noqa: E402
from linter.locks import foreign_key_locks  # noqa: E402
from linter.migrations import Layout, Migration, MigrationSet, Part  # noqa: E402
from linter.rule import Rule  # noqa: E402
from linter.run import check  # noqa: E402
from linter.schema import Name  # noqa: E402
from linter.source import SourceFile  # noqa: E402
from rules import all_rules  # noqa: E402


# --- what the replay knew at each action -----------------------------------------------------
@dataclass(frozen=True, slots=True)
class Target:
    """An object an action works on, as the replay saw it just before the action."""

    kind: str  # "table" | "column" ("table.column") | "index" | "enum" | "locked" (see below)
    name: str
    known: bool  # the replay had it (created by a migration dbvet read)
    new_in_file: bool  # created earlier in the same migration file


@dataclass(frozen=True, slots=True)
class ActionFacts:
    action: a.Action
    start: int  # character offsets of the action's span
    end: int
    targets: tuple[Target, ...]
    index_existed: bool = False  # CreateIndex: an index of that name was already there
    old_type: str | None = None  # AlterColumnType: the column's type before the statement


    def on_new_object(self, family: str) -> bool:
        """The action works on objects created earlier in the same file. For lock and rewrite
        rules (S) that means its tables, indexes or enums: a column just added to an existing
        table still sits in a full one. For destructive rules (D) a column made in the file
        counts too: nothing deployed uses it."""
        if family == "D" and any(t.kind == "column" and t.new_in_file for t in self.targets):
            return True
        # "locked": the other table of a foreign key the action drops or rebuilds, which it
        # locks too (linter.locks.foreign_key_locks); only lock rules care.
        ignored = ("column",) if family == "S" else ("column", "locked")
        objects = [t for t in self.targets if t.kind not in ignored]
        return bool(objects) and all(t.new_in_file for t in objects)


@dataclass(slots=True)
class StatementFacts:
    path: str
    line: int  # 1-based line of the statement's first token
    start: int
    end: int
    text: str
    in_transaction: bool
    actions: list[ActionFacts] = field(default_factory=list)

    def actions_at(self, offset: int) -> list[ActionFacts]:
        """The actions whose span holds a character offset (a finding's position)."""
        return [facts for facts in self.actions if facts.start <= offset <= facts.end]


@dataclass(slots=True)
class FileFacts:
    """One up or down part of a migration, with its statements in order."""

    file: SourceFile
    migration: Migration
    layout: Layout
    down: bool
    start: int  # the part's character range in the file (dbmate keeps up and down in one file)
    stop: int
    statements: list[StatementFacts] = field(default_factory=list)

    def statement_at(self, offset: int) -> StatementFacts | None:
        """The statement holding a character offset; None when it falls outside every statement."""
        starts = [s.start for s in self.statements]
        index = bisect_right(starts, offset) - 1
        if index < 0:
            return None
        statement = self.statements[index]
        return statement if offset <= statement.end else None


def _targets(action: a.Action, ctx: StatementContext) -> tuple[Target, ...]:
    found: list[Target] = []

    def table(ref: Name) -> None:
        known = ctx.schema.table(ref)
        new = known is not None and known.created.migration is ctx.migration
        found.append(Target("table", str(ref), known is not None, new))

    if isinstance(action, a.CreateTable):
        return ()  # what it creates is not yet there
    if isinstance(action, a.CreateIndex):
        table(action.index.table)
        return tuple(found)
    ref = getattr(action, "table", None)
    if isinstance(ref, Name):
        table(ref)
        name = getattr(action, "column", None)
        known = ctx.schema.table(ref)
        if isinstance(name, str):
            column = known.column(name) if known is not None else None
            new = column is not None and column.created.migration is ctx.migration
            found.append(Target("column", f"{ref}.{name}", column is not None, new))
    for ref in getattr(action, "tables", ()) or ():
        table(ref)
    for ref in getattr(action, "indexes", ()) or ():
        hit = ctx.schema.find_index(ref)
        new = hit is not None and (hit[1].created.migration is ctx.migration or hit[0].created.migration is ctx.migration)
        found.append(Target("index", str(ref), hit is not None, new))
    for lock in foreign_key_locks(action, ctx.schema):
        known = ctx.schema.table(lock.table)
        new = known is not None and known.created.migration is ctx.migration
        found.append(Target("locked", str(lock.table), known is not None, new))
    enums = [action.enum] if isinstance(action, (a.AddEnumValue, a.RenameEnumValue)) else []
    enums += list(action.types) if isinstance(action, a.DropType) else []
    for ref in enums:
        known = ctx.schema.enum(ref)
        new = known is not None and known.created.migration is ctx.migration
        found.append(Target("enum", str(ref), known is not None, new))
    return tuple(found)


def _all_action_types() -> tuple[type, ...]:
    return tuple(
        value
        for value in vars(a).values()
        if isinstance(value, type) and issubclass(value, a.Action) and value is not a.Action
    )


class ReplayProbe(Rule):
    """Not a check: records, for every action, what the replay held just before it."""

    id = "X900"
    name = "replay-probe"
    severity = Severity.INFO
    summary = "test probe"
    dialects = frozenset({"postgresql"})
    actions = _all_action_types()
    seen: dict[tuple[str, int], list[ActionFacts]]  # (path, statement start) -> facts, set per run

    def check_action(self, action: a.Action, ctx: StatementContext) -> None:
        statement = ctx.statement
        assert statement is not None
        index_existed = False
        if isinstance(action, a.CreateIndex) and action.index.name:
            index_existed = ctx.schema.find_index(Name(action.index.name, action.index.table.schema)) is not None
        old_type = None
        if isinstance(action, a.AlterColumnType):
            known = ctx.schema.table(action.table)
            column = known.column(action.column) if known is not None else None
            old_type = column.type if column is not None else None
        ReplayProbe.seen.setdefault((statement.span.path, statement.span.start), []).append(
            ActionFacts(action, action.span.start, action.span.end, _targets(action, ctx), index_existed, old_type)
        )


def replay_facts(root: Path) -> dict[str, list[FileFacts]]:
    """Every PostgreSQL up and down part under `root` (paths relative to it), with what the replay
    knew at each action of the up parts."""
    rules = all_rules()
    previous = Path.cwd()
    os.chdir(root)
    try:
        discovery = discover([Path(".")], DiscoverOptions(), cwd=root)
        ReplayProbe.seen = {}
        linter = Linter(rules=dict(rules), enabled=[ReplayProbe])
        facts: dict[str, list[FileFacts]] = {}
        for migration_set in discovery.sets:
            if migration_set.dialect != "postgresql":
                continue
            linter.lint_set(migration_set)
            for migration in migration_set.migrations:
                for part, down in ((migration.up, False), (migration.down, True)):
                    if part is None:
                        continue
                    facts.setdefault(part.path, []).append(_file_facts(linter, migration_set, migration, part, down))
        return facts
    finally:
        os.chdir(previous)


def _file_facts(linter: Linter, migration_set: MigrationSet, migration: Migration, part: Part, down: bool) -> FileFacts:
    file_facts = FileFacts(part.file, migration, migration_set.layout, down, part.start, part.stop)
    for statement in linter.parsed[id(part)].statements:
        span = statement.span
        file_facts.statements.append(
            StatementFacts(
                path=span.path,
                line=span.file.position(span.start).line,
                start=span.start,
                end=span.end,
                text=statement.text,
                in_transaction=statement.in_transaction,
                actions=ReplayProbe.seen.get((span.path, span.start), []),
            )
        )
    return file_facts


def part_at(facts: dict[str, list[FileFacts]], path: str, offset: int) -> FileFacts | None:
    """The up or down part of a file that holds a character offset."""
    for part in facts.get(path, ()):
        if part.start <= offset <= part.stop:
            return part
    return None


# --- dbvet's findings ------------------------------------------------------------------------
def dbvet_findings(root: Path) -> list[Finding]:
    """A default `dbvet check` of `root`, paths relative to it."""
    rules = all_rules()
    previous = Path.cwd()
    os.chdir(root)
    try:
        return check([Path(".")], config_from_mapping({}, rules, root), rules, root).findings
    finally:
        os.chdir(previous)


# --- squawk ----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SquawkFlag:
    path: str  # relative to the root squawk ran in
    line: int  # 1-based
    column: int  # 1-based, in characters
    rule: str


def squawk_binary() -> str:
    """The squawk executable; skips without it, except in CI, which installs it with `.[test]`."""
    found = shutil.which("squawk")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("squawk is required in CI (the squawk-cli test dependency) but is not on PATH")
        pytest.skip("squawk is not installed (pip install squawk-cli, or pip install -e '.[test]')")
    return found


def run_squawk(root: Path, files: Iterable[str], *, in_transaction: bool = True) -> list[SquawkFlag]:
    """squawk's JSON findings over `files` (relative to `root`), positions turned into characters."""
    files = sorted(files)
    command = [squawk_binary(), "--reporter", "json", "--no-error-on-unmatched-pattern"]
    if in_transaction:
        command.append("--assume-in-transaction")
    done = subprocess.run(command + files, cwd=root, capture_output=True, text=True, encoding="utf-8", check=False)
    assert done.returncode in (0, 1), f"squawk failed ({done.returncode}): {done.stderr.strip()}"
    flags = []
    texts: dict[str, list[str]] = {}
    for item in json.loads(done.stdout or "[]"):
        path = item["file"]
        if path not in texts:
            texts[path] = (root / path).read_text(encoding="utf-8-sig").split("\n")  # squawk counts LF only
        lines = texts[path]
        line_text = lines[item["line"]] if item["line"] < len(lines) else ""
        # squawk's column counts UTF-8 bytes from 0; dbvet's counts characters from 1.
        column = len(line_text.encode("utf-8")[: item["column"]].decode("utf-8", errors="ignore")) + 1
        flags.append(SquawkFlag(path, item["line"] + 1, column, item["rule_name"]))
    return flags
