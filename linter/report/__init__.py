"""Turning a run's findings into output: text for people, JSON and SARIF for tools, GitHub
annotations and JUnit XML for CI. Reporters read findings only; they never judge."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from linter.errors import UserError
from linter.findings import RunResult

if TYPE_CHECKING:
    from linter.rule import Rule

FORMATS = ("text", "json", "sarif", "github", "junit")


def render(
    fmt: str,
    result: RunResult,
    *,
    color: bool = False,
    rules: Mapping[str, type[Rule]] | None = None,
    quiet: bool = False,
) -> str:
    """The whole output of a run in format `fmt`.

    `rules` are the rules SARIF describes in its driver (every one given, plus any a finding
    names); None means every registered rule. Other formats need only the findings.
    `quiet` leaves out everything but the findings where a format has more: text prints one
    header line per finding (no excerpt, lock, fix or summary), github no summary line.
    """
    # Every format promises findings in path, line, column, rule order; sorting an
    # already sorted list costs one pass.
    ordered = RunResult(sorted(result.findings, key=lambda f: f.sort_key), result.files, result.sources)
    if fmt == "text":
        from linter.report import text

        return text.render(ordered, color=color, quiet=quiet)
    if fmt == "json":
        from linter.report import json_format

        return json_format.render(ordered)
    if fmt == "sarif":
        from linter.report import sarif

        if rules is None:
            from rules import all_rules

            rules = all_rules()
        return sarif.render(ordered, rules)
    if fmt == "github":
        from linter.report import github

        return github.render(ordered, quiet=quiet)
    if fmt == "junit":
        from linter.report import junit

        return junit.render(ordered)
    raise UserError(f"unknown output format {fmt!r} (expected one of: {', '.join(FORMATS)})")
