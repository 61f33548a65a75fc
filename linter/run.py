"""One `check` run: configuration and paths in, sorted findings out."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Literal, Mapping, Sequence

from linter.config import Config
from linter.discover import DiscoverOptions, discover
from linter.findings import RunResult
from linter.migrations import TxMode
from linter.parallel import lint_units
from linter.progress import Progress
from linter.records import replace
from linter.rule import Rule
from linter.selection import Selection
from linter.units import Setup, plan_units

if TYPE_CHECKING:
    from linter.background import InBackground

# What every suppression comment holds (`linter.suppress.MARKER`; a test keeps the two equal).
SUPPRESSION_MARKER = "dbvet:"


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
    change: InBackground | None = None,
    jobs: int | None = None,
    cache: bool = True,
    progress: bool = False,
) -> RunResult:
    """Lint `paths` (default: the current directory).

    base: a git revision; migrations new since it are "created in this change", and R003/R004 run.
    change: that revision's change as `linter.gitbase.resolve_in_background` started to work it
    out, if the caller started it already.
    jobs: worker processes (None: one per core; small runs use one); cache: read and write the
    result cache; progress: draw a progress bar on stderr if the run turns out to be long.
    """
    cwd = cwd or Path.cwd()
    if change is None and base is not None:
        from linter.gitbase import resolve_in_background

        change = resolve_in_background(base, cwd)
    discovery = discover(paths, discovery_options(config), cwd=cwd)
    changed = None
    if change is not None:
        from linter.gitbase import apply_base

        prisma_sets = [schema.migration_set for schema in discovery.prisma_schemas if schema.migration_set]
        changed = apply_base([*discovery.sets, *prisma_sets], change.result(), cwd)
    selection = Selection(config, rules, cwd)
    enabled = [rule for rule_id, rule in rules.items() if selection.enabled(rule_id)]
    setup = Setup(
        rules=rules,
        enabled=tuple(rule.id for rule in enabled),
        severity={rule_id: selection.severity(rule_id) for rule_id in rules},
        options={rule.id: selection.options(rule.id) for rule in enabled},
        settings={"pg_version": config.pg_version, "max_file_size": config.max_file_size},
        report_paths=discovery.report_paths,
    )
    units = plan_units(discovery, with_app=any(rule.implements("check_app") for rule in enabled))
    with Progress.for_run(enabled=progress) as bar:
        outcome = lint_units(setup, units, jobs=jobs, cache=cache, on_progress=bar.update)
    report_paths = discovery.report_paths

    # Inline suppressions first (`//` comments for Prisma and application code): a comment whose
    # finding a per-file ignore removes is still used. Most runs have none: linter.suppress (its
    # lexer's patterns, ~1.5 ms) is loaded for files that hold its marker only.
    marked = {
        path: file
        for path, file in outcome.sources.items()
        if (report_paths is None or path in report_paths) and SUPPRESSION_MARKER in file.text
    }
    kept, about_suppressions = list(outcome.findings), []
    if marked:
        from linter.suppress import apply_suppressions, parse_suppressions

        suppressions = {
            path: parse_suppressions(file, _comment_syntax(path), dialect=outcome.dialects.get(path))
            for path, file in marked.items()
        }
        kept, about_suppressions = apply_suppressions(
            outcome.findings, suppressions, set(rules), active=selection.enabled_ids
        )
    if not selection.enabled("E005"):
        about_suppressions = []
    e005 = selection.severity("E005")
    about_suppressions = [replace(f, severity=e005) for f in about_suppressions]
    findings = [f for f in kept + about_suppressions if not selection.ignored_for(f.rule, f.path)]
    reported = {path for path in outcome.sources if report_paths is None or path in report_paths}
    return RunResult(
        findings=sorted(findings, key=lambda f: f.sort_key),
        files=len(reported),
        sources=outcome.sources,
        checked=frozenset(reported),
        changed=changed,
    )


def _comment_syntax(path: str) -> Literal["sql", "prisma"]:
    return "sql" if path.endswith(".sql") else "prisma"  # `//` comments: Prisma and application code
