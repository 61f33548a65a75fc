"""The Markdown report a pull request shows: the sticky comment, the job summary and the
check run's summary share it.

Messages quote identifiers, comments and SQL from migrations that anyone opening a pull
request can write, and GitHub renders Markdown, HTML, @mentions and #references in what we
post. So text from a finding is never trusted as markup: prose is escaped character by
character (HTML, Markdown punctuation, and a WORD JOINER after `@` and `#` so no mention or
cross-reference can form), and SQL goes in a fenced block whose fence is longer than any run
of backticks inside it, so it cannot close early.
"""

from __future__ import annotations

import re
import textwrap
from typing import Callable, Sequence

from linter.findings import Finding, Severity
from linter.records import Record
from linter.report.common import LINE_BREAK, plural, visible

MARKER = "<!-- dbvet-report -->"

# GitHub's limit on an issue comment or a check run summary, in characters.
COMMENT_LIMIT = 65_536
SUMMARY_LIMIT = 65_535
# A step summary may hold 1 MiB; leave room for the other steps of the job.
STEP_SUMMARY_LIMIT = 512 * 1024

_WORD_JOINER = "\u2060"
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "@": "@" + _WORD_JOINER, "#": "#" + _WORD_JOINER}
_PUNCTUATION = "\\`*_{}[]()!|~$+-"
_PROSE = re.compile("[&<>@#" + re.escape(_PUNCTUATION) + "]")

_SQL_START = re.compile(
    r"(ALTER|ANALYZE|BEGIN|COMMENT|COMMIT|CREATE|DELETE|DROP|INSERT|REINDEX|SELECT|SET|UPDATE|VACUUM|WITH)\b",
    re.IGNORECASE,
)

_LABEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}


def prose(text: str) -> str:
    """Untrusted text as one line of Markdown that renders exactly as the text reads."""
    flat = LINE_BREAK.sub(" ", visible(text))
    return _PROSE.sub(lambda m: _ESCAPES.get(m.group(), "\\" + m.group()), flat)


def code_block(text: str, language: str = "") -> str:
    """`text` as a fenced block that nothing inside it can close."""
    body = visible(text).rstrip("\n")
    longest = max((len(run) for run in re.findall("`+", body)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{body}\n{fence}"


def length(text: str) -> int:
    """Length as GitHub counts it (UTF-16 code units; never less than the code points)."""
    return len(text.encode("utf-16-le")) // 2


class Report(Record, frozen=True):
    """What the Markdown describes: the findings shown, and how the run went."""

    findings: Sequence[Finding]
    files: int
    pull_request: bool  # findings are limited to the files the pull request changed
    link: Callable[[Finding], str | None]  # a finding's location on GitHub, if known
    run_url: str | None  # this run's page (the job summary), if known


def render(report: Report, *, limit: int, marker: str = "") -> str:
    """The whole report within `limit` characters: findings that do not fit are counted
    in a last line that points to the job summary."""
    head = _head(report, marker)
    if not report.findings:
        return head
    blocks = [_finding_block(finding, report.link(finding)) for finding in report.findings]
    parts = [head.rstrip("\n")]
    used = length(parts[0])
    for shown, block in enumerate(blocks):
        rest = len(blocks) - shown
        # Always keep room for the line that says how many are left out.
        reserve = length(_more_line(rest, report.run_url)) + 4
        if used + 2 + length(block) + (reserve if rest > 1 else 0) > limit:
            parts.append(_more_line(rest, report.run_url))
            break
        parts.append(block)
        used += 2 + length(block)
    return "\n\n".join(parts) + "\n"


def _head(report: Report, marker: str) -> str:
    lines = [marker] if marker else []
    lines.append("## dbvet")
    lines.append("")
    scope = "in the files this pull request changes" if report.pull_request else f"in {plural(report.files, 'file')}"
    if not report.findings:
        if report.pull_request and marker:
            # Only the sticky comment can have said otherwise before.
            lines.append("No findings in the files this pull request changes: the issues reported earlier are fixed.")
        else:
            lines.append(f"No findings {scope}.")
        return "\n".join(lines) + "\n"
    counts = {severity: 0 for severity in _LABEL}
    for finding in report.findings:
        counts[finding.severity] += 1
    lines.append(f"{plural(len(report.findings), 'finding')} {scope}.")
    lines.append("")
    lines.append("| severity | findings |")
    lines.append("|---|---:|")
    for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO):
        lines.append(f"| {_LABEL[severity]} | {counts[severity]} |")
    return "\n".join(lines) + "\n"


def _finding_block(finding: Finding, link: str | None) -> str:
    where = prose(f"{finding.path}:{finding.line}")
    location = f"[{where}]({link})" if link else where
    lines = [
        f"### {finding.rule} {finding.name} ({_LABEL[finding.severity]})",
        "",
        location,
        "",
        prose(finding.message),
    ]
    if finding.lock:
        lines += ["", f"**Lock:** {prose(finding.lock)}"]
    if finding.fix:
        lines += ["", *_fix_lines(finding.fix)]
    return "\n".join(lines)


def _fix_lines(fix: str) -> list[str]:
    """A fix is SQL, prose, or a line of prose ending in `:` followed by SQL."""
    first, _, rest = fix.partition("\n")
    if rest.strip() and first.rstrip().endswith(":"):
        return [f"**Safe rewrite:** {prose(first.rstrip())}", "", code_block(textwrap.dedent(rest), "sql")]
    if _SQL_START.match(fix.lstrip()):
        return ["**Safe rewrite:**", "", code_block(fix.strip("\n"), "sql")]
    return [f"**Fix:** {prose(fix)}"]


def _more_line(count: int, run_url: str | None) -> str:
    where = f"the [job summary]({run_url})" if run_url else "the job summary of this run"
    return f"… and {plural(count, 'more finding')}: see {where} for the full list."
