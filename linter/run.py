"""One `check` run: configuration and paths in, sorted findings out."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Mapping, Sequence

from linter.config import Config
from linter.context import Settings
from linter.discover import DiscoverOptions, discover
from linter.engine import Linter
from linter.findings import RunResult
from linter.migrations import TxMode
from linter.rule import Rule
from linter.selection import Selection
from linter.suppress import apply_suppressions, parse_suppressions


def discovery_options(config: Config) -> DiscoverOptions:
    """What discovery needs to know from the configuration."""
    return DiscoverOptions(
        dialect=config.dialect,
        plain_tx=TxMode.WRAPPED if config.plain_transaction else TxMode.NONE,
        exclude=tuple(config.exclude),
        max_file_size=config.max_file_size,
    )


def check(
    paths: Sequence[Path],
    config: Config,
    rules: Mapping[str, type[Rule]],
    cwd: Path | None = None,
    *,
    base: str | None = None,
    jobs: int | None = None,
    cache: bool = True,
) -> RunResult:
    """Lint `paths` (default: the current directory).

    base: a git revision; migrations new since it are "created in this change", and R003/R004 run.
    jobs: worker processes (None: one per core); cache: read and write the result cache.
    """
    cwd = cwd or Path.cwd()
    discovery = discover(paths, discovery_options(config), cwd=cwd)
    changed = None
    if base is not None:
        from linter.gitbase import apply_base, resolve

        prisma_sets = [schema.migration_set for schema in discovery.prisma_schemas if schema.migration_set]
        changed = apply_base([*discovery.sets, *prisma_sets], resolve(base, cwd), cwd)
    selection = Selection(config, rules, cwd)
    enabled = [rule for rule_id, rule in rules.items() if selection.enabled(rule_id)]
    linter = Linter(
        rules=dict(rules),
        enabled=enabled,
        severity={rule_id: selection.severity(rule_id) for rule_id in rules},
        options={rule.id: selection.options(rule.id) for rule in enabled},
        settings=Settings(pg_version=config.pg_version, max_file_size=config.max_file_size),
        report_paths=discovery.report_paths,
    )
    for problem in discovery.problems:
        linter.read_problem(problem)
    for migration_set in discovery.sets:
        linter.lint_set(migration_set)
    for prisma in discovery.prisma_schemas:
        for problem in prisma.problems:
            linter.read_problem(problem)
        if prisma.files:
            linter.lint_prisma(prisma.files, prisma.migration_set)

    for path in discovery.app_files:
        linter.lint_app(path)

    # Inline suppressions first (`//` comments for Prisma and application code): a comment whose finding a per-file ignore removes is still used.
    suppressions = {
        path: parse_suppressions(file, "sql" if path.endswith(".sql") else "prisma", dialect=linter.dialect_of(path))
        for path, file in linter.sources.items()
        if linter.reports_on(path)
    }
    kept, about_suppressions = apply_suppressions(linter.findings(), suppressions, set(rules), active=selection.enabled_ids)
    if not selection.enabled("E005"):
        about_suppressions = []
    e005 = selection.severity("E005")
    about_suppressions = [replace(f, severity=e005) for f in about_suppressions]
    findings = [f for f in kept + about_suppressions if not selection.ignored_for(f.rule, f.path)]
    reported = {path for path in linter.sources if linter.reports_on(path)}
    return RunResult(
        findings=sorted(findings, key=lambda f: f.sort_key),
        files=len(reported),
        sources=linter.sources,
        checked=frozenset(reported),
        changed=changed,
    )
