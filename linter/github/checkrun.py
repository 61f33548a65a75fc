"""The "dbvet" check run: a conclusion that follows --fail-on, and an annotation per finding.

GitHub takes at most 50 annotations per request and appends those of each update to the
ones already there, so the run is created (completed, with its conclusion) carrying the first
50 and then updated with the next 50 until every finding is covered. Creating it completed
means a failure half-way leaves a finished run with fewer annotations, never one stuck
"in progress".
"""

from __future__ import annotations

from typing import Callable, Sequence

from linter.findings import Finding, Severity

NAME = "dbvet"
BATCH = 50

_LEVEL = {Severity.ERROR: "failure", Severity.WARNING: "warning", Severity.INFO: "notice"}
_MESSAGE_LIMIT = 64 * 1024 - 1
_TITLE_LIMIT = 255


def conclusion(findings: Sequence[Finding], files: int, fail_on: Severity | None) -> str:
    """failure when a finding reaches --fail-on; neutral when nothing was linted; else success."""
    if fail_on is not None and any(finding.severity >= fail_on for finding in findings):
        return "failure"
    if files == 0:
        return "neutral"
    return "success"


def annotation(finding: Finding, repo_path: str) -> dict:
    """One check-run annotation. The API treats message and details as plain text."""
    message = finding.message
    if finding.lock:
        message += f"\n\nLock: {finding.lock}"
    entry: dict = {
        "path": repo_path,
        "start_line": finding.line,
        "end_line": max(finding.end_line, finding.line),
        "annotation_level": _LEVEL[finding.severity],
        "title": f"{finding.rule} {finding.name}"[:_TITLE_LIMIT],
        "message": message[:_MESSAGE_LIMIT],
    }
    # Columns are accepted only when the annotation starts and ends on one line.
    if finding.end_line == finding.line:
        entry["start_column"] = finding.column
        entry["end_column"] = max(finding.end_column, finding.column)
    if finding.fix:
        entry["raw_details"] = f"Fix: {finding.fix}"[:_MESSAGE_LIMIT]
    return entry


def batches(annotations: Sequence[dict]) -> list[list[dict]]:
    """The annotations in requests of at most BATCH; one empty batch when there are none."""
    return [list(annotations[start : start + BATCH]) for start in range(0, len(annotations), BATCH)] or [[]]


def publish(
    repo,
    head_sha: str,
    *,
    title: str,
    summary: str,
    annotations: Sequence[dict],
    outcome: str,
    progress: Callable[[int], None] = lambda sent: None,
) -> None:
    """Create the check run on `repo` (a PyGithub Repository) and send every annotation.

    `progress` hears how many annotations have been sent after each request, so a failure
    can say how far it got."""
    from datetime import datetime, timezone

    parts = batches(annotations)
    output = {"title": title, "summary": summary}
    run = repo.create_check_run(
        name=NAME,
        head_sha=head_sha,
        status="completed",
        conclusion=outcome,
        completed_at=datetime.now(timezone.utc),
        output={**output, "annotations": parts[0]},
    )
    sent = len(parts[0])
    progress(sent)
    for part in parts[1:]:
        run.edit(output={**output, "annotations": part})
        sent += len(part)
        progress(sent)
