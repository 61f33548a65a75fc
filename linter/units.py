"""Independent pieces of one run: what can be linted, cached or sent to a worker on its own.

A unit is a migration set together with the Prisma schemas beside it (R005 compares the schema
with what the set replays to, so both must be linted by the same `Linter`), a Prisma schema with
no set of its own, or one application file. Nothing a rule sees crosses a unit's border, so a
unit's findings depend only on its files and the run's settings: that is what makes them
cacheable (`linter.cache`) and lintable in any process (`linter.parallel`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from linter.findings import Finding
from linter.migrations import MigrationSet
from linter.source import ReadProblem, SourceFile, display_path, read_source

if TYPE_CHECKING:
    from linter.discover import Discovery, PrismaSchemaFiles
    from linter.engine import Linter


# Plain classes rather than dataclasses here: these modules load on every run, even one served
# from the cache, and each dataclass costs half a millisecond to create at start-up.
class Unit:
    """A set with its Prisma schemas, a Prisma schema alone, one application file, or the
    unreadable files outside any set: what is linted, keyed and cached as one."""

    __slots__ = ("migration_set", "prisma", "app_file", "problems", "app_source")

    def __init__(
        self,
        migration_set: MigrationSet | None = None,
        prisma: list[PrismaSchemaFiles] | None = None,
        app_file: Path | None = None,
        problems: list[ReadProblem] | None = None,  # unreadable files outside any set
        app_source: SourceFile | ReadProblem | None = None,  # the app file as read when keyed
    ) -> None:
        self.migration_set = migration_set
        self.prisma = prisma if prisma is not None else []
        self.app_file = app_file
        self.problems = problems if problems is not None else []
        self.app_source = app_source

    def files(self) -> dict[str, SourceFile]:
        """Every file the unit was discovered with, by display path."""
        found: dict[str, SourceFile] = {}
        sets = [self.migration_set] if self.migration_set is not None else []
        sets += [p.migration_set for p in self.prisma if p.migration_set is not None and p.migration_set not in sets]
        for migration_set in sets:
            if migration_set.lock_file is not None:
                found.setdefault(migration_set.lock_file.path, migration_set.lock_file)
            for migration in migration_set.migrations:
                for part in (migration.up, migration.down):
                    if part is not None:
                        found.setdefault(part.path, part.file)
        for prisma in self.prisma:
            for file in prisma.files:
                found.setdefault(file.path, file)
        if isinstance(self.app_source, SourceFile):
            found.setdefault(self.app_source.path, self.app_source)
        return found

    def paths(self) -> set[str]:
        """Display paths of the unit's files, readable or not: what `report_paths` is matched against."""
        paths = set(self.files())
        sets = [self.migration_set] if self.migration_set is not None else []
        for migration_set in sets + [p.migration_set for p in self.prisma if p.migration_set is not None]:
            paths.update(problem.path for problem in migration_set.problems)
        for prisma in self.prisma:
            paths.update(problem.path for problem in prisma.problems)
        if isinstance(self.app_source, ReadProblem):
            paths.add(self.app_source.path)
        paths.update(problem.path for problem in self.problems)
        return paths

    def size(self) -> int:
        """Characters of SQL and Prisma text: how much work the unit is."""
        return sum(len(file.text) for file in self.files().values())


def plan_units(discovery: Discovery, with_app: bool) -> list[Unit]:
    """The run's units, in the order the findings of a single `Linter` would come: unreadable
    files, sets, Prisma schemas without a set of their own, then application files (only when a
    rule reads them)."""
    units = [Unit(problems=list(discovery.problems))] if discovery.problems else []
    sets = [Unit(migration_set=migration_set) for migration_set in discovery.sets]
    units += sets
    by_set = {id(unit.migration_set): unit for unit in sets}
    for prisma in discovery.prisma_schemas:
        owner = by_set.get(id(prisma.migration_set)) if prisma.migration_set is not None else None
        if owner is not None:
            owner.prisma.append(prisma)
        else:
            units.append(Unit(prisma=[prisma]))
    if with_app:
        for path in discovery.app_files:
            units.append(Unit(app_file=path, app_source=read_source(path, display_path(path))))
    return units


class Setup:
    """What every unit's `Linter` is built from: the same for the whole run.

    Plain values only until a unit is linted: a run served from the cache imports neither the
    engine nor the rules' modules (`rules.LazyRule`).
    """

    __slots__ = ("rules", "enabled", "severity", "options", "settings", "report_paths")

    def __init__(
        self,
        *,
        rules: Mapping[str, Any],  # rule classes, or `rules.LazyRule`s standing in for them
        enabled: tuple[str, ...],
        severity: dict,
        options: dict[str, dict],
        settings: dict[str, Any],  # `linter.context.Settings` fields
        report_paths: set[str] | None,
    ) -> None:
        self.rules = rules
        self.enabled = enabled
        self.severity = severity
        self.options = options
        self.settings = settings
        self.report_paths = report_paths

    def linter(self) -> Linter:
        from linter.context import Settings
        from linter.engine import Linter
        from rules import for_engine

        return Linter(
            rules=dict(self.rules),
            enabled=[for_engine(self.rules[rule_id]) for rule_id in self.enabled],
            severity=dict(self.severity),
            options=dict(self.options),
            settings=Settings(**self.settings),
            report_paths=self.report_paths,
        )


class UnitResult:
    """A unit's findings (before suppression) and what the run needs besides: the files read
    (`None`: the unit's own file of that path) and the SQL dialect of each SQL file."""

    __slots__ = ("findings", "sources", "dialects")

    def __init__(self, findings: list[Finding], sources: dict[str, SourceFile | None], dialects: dict[str, str]) -> None:
        self.findings = findings
        self.sources = sources
        self.dialects = dialects


def lint_unit(setup: Setup, unit: Unit) -> UnitResult:
    """Lint one unit with a fresh `Linter`, as a run with only this unit would."""
    linter = setup.linter()
    for problem in unit.problems:
        linter.read_problem(problem)
    if unit.migration_set is not None:
        linter.lint_set(unit.migration_set)
    for prisma in unit.prisma:
        for problem in prisma.problems:
            linter.read_problem(problem)
        if prisma.files:
            linter.lint_prisma(prisma.files, prisma.migration_set)
    if unit.app_file is not None:
        linter.lint_app(unit.app_file)
    return collect(linter, unit)


def collect(linter: Linter, unit: Unit) -> UnitResult:
    own = unit.files()
    sources: dict[str, SourceFile | None] = {}
    for path, file in linter.sources.items():
        mine = own.get(path)
        sources[path] = None if mine is not None and mine.text == file.text else file
    return UnitResult(linter.findings(), sources, dict(linter.dialects))


def resolve_sources(result: UnitResult, unit: Unit) -> dict[str, SourceFile]:
    """The result's files as this process's objects (those `--fix` writes back through)."""
    own = unit.files()
    return {path: own[path] if file is None else file for path, file in result.sources.items()}
