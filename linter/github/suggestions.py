"""Review comments with ```suggestion blocks: the mechanical fixes (Finding.edits) a reviewer
can apply with one click, on lines the pull request adds.

GitHub replaces whole lines with a suggestion, so each finding's edits become the new text of
the lines they touch; findings whose lines overlap share one suggestion (their edits applied
together, as --fix would), so no two suggestions fight over a line. Each comment carries a
hidden key made of the file, the rules and the old and new text — not the line numbers,
which move when the author pushes again — and a suggestion whose key is already on the pull
request is not posted twice.
"""

from __future__ import annotations

import hashlib
import re
from typing import Callable, Iterable, Mapping

from linter.findings import Edit, Finding
from linter.github.markdown import code_block, prose
from linter.records import Record, field
from linter.source import SourceFile

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")
_KEY = re.compile(r"<!-- dbvet-suggestion:([0-9a-f]{20}) -->")


class Suggestion(Record):
    path: str  # display path
    start_line: int
    end_line: int
    findings: list[Finding] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)

    def old_text(self, file: SourceFile) -> str:
        start, end = _line_range(file, self.start_line, self.end_line)
        return file.text[start:end]

    def new_text(self, file: SourceFile) -> str:
        start, end = _line_range(file, self.start_line, self.end_line)
        text = file.text[start:end]
        for edit in sorted(self.edits, key=lambda e: (e.start, e.end), reverse=True):
            text = text[: edit.start - start] + edit.replacement + text[edit.end - start :]
        return text.replace("\r\n", "\n").replace("\r", "\n")


def _line_range(file: SourceFile, first: int, last: int) -> tuple[int, int]:
    """Offsets of lines first..last (1-based) without the last one's line break."""
    starts = file.line_starts()
    start = starts[first - 1]
    end = starts[last] if last < len(starts) else len(file.text)
    while end > start and file.text[end - 1] in "\r\n":
        end -= 1
    return start, end


def group(findings: Iterable[Finding], sources: Mapping[str, SourceFile]) -> list[Suggestion]:
    """The suggestions the findings' edits make, lines of overlapping findings merged."""
    candidates = []
    for finding in findings:
        paths = {edit.path for edit in finding.edits}
        if len(paths) != 1 or next(iter(paths)) not in sources:
            continue
        file = sources[next(iter(paths))]
        first = min(file.position(edit.start).line for edit in finding.edits)
        last = max(file.position(edit.end).line for edit in finding.edits)
        candidates.append((file.path, first, last, finding))
    suggestions: list[Suggestion] = []
    for path, first, last, finding in sorted(candidates, key=lambda c: (c[0], c[1], c[2], c[3].sort_key)):
        current = suggestions[-1] if suggestions and suggestions[-1].path == path else None
        if current is None or first > current.end_line:
            current = Suggestion(path, first, last)
            suggestions.append(current)
        wanted = [edit for edit in finding.edits if edit not in current.edits]
        if any(_overlaps(edit, taken) for edit in wanted for taken in current.edits):
            continue  # a conflicting fix: left to a later run, as --fix does
        current.end_line = max(current.end_line, last)
        current.edits.extend(wanted)
        current.findings.append(finding)
    return [suggestion for suggestion in suggestions if suggestion.findings]


def _overlaps(one: Edit, other: Edit) -> bool:
    if one.start == one.end == other.start == other.end:
        return True
    return one.start < other.end and other.start < one.end


def added_lines(patch: str | None) -> set[int]:
    """Line numbers (in the new file) that a unified-diff patch adds."""
    added: set[int] = set()
    line = 0
    for row in (patch or "").split("\n"):
        hunk = _HUNK.match(row)
        if hunk:
            line = int(hunk.group(1))
        elif row.startswith("+"):
            added.add(line)
            line += 1
        elif row.startswith(" "):
            line += 1
    return added


def key(suggestion: Suggestion, repo_path: str, file: SourceFile) -> str:
    rules = ",".join(sorted({finding.rule for finding in suggestion.findings}))
    material = "\0".join((repo_path, rules, suggestion.old_text(file), suggestion.new_text(file)))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:20]


def body(suggestion: Suggestion, file: SourceFile, marker_key: str) -> str:
    lines = [f"<!-- dbvet-suggestion:{marker_key} -->"]
    for finding in suggestion.findings:
        lines.append(f"**{finding.rule} {finding.name}**: {prose(finding.message)}")
        lines.append("")
    lines.append(code_block(suggestion.new_text(file), "suggestion"))
    return "\n".join(lines) + "\n"


def existing_keys(bodies: Iterable[str]) -> set[str]:
    return {match for text in bodies for match in _KEY.findall(text or "")}


def post(
    pull,
    head_sha: str,
    suggestions: list[Suggestion],
    sources: Mapping[str, SourceFile],
    repo_path: Callable[[str], str],
) -> int:
    """Post the suggestions that sit on added lines and are not there yet; how many were posted.

    `pull` is a PyGithub PullRequest; nothing is requested when there is nothing to suggest."""
    if not suggestions:
        return 0
    added = {changed.filename: added_lines(changed.patch) for changed in pull.get_files()}
    present = existing_keys(comment.body for comment in pull.get_review_comments())
    posted = 0
    for suggestion in suggestions:
        file = sources[suggestion.path]
        target = repo_path(suggestion.path)
        lines = set(range(suggestion.start_line, suggestion.end_line + 1))
        if not lines <= added.get(target, set()):
            continue
        marker_key = key(suggestion, target, file)
        if marker_key in present:
            continue
        extra = (
            {"start_line": suggestion.start_line, "start_side": "RIGHT"}
            if suggestion.start_line < suggestion.end_line
            else {}
        )
        pull.create_review_comment(
            body(suggestion, file, marker_key), head_sha, target, line=suggestion.end_line, side="RIGHT", **extra
        )
        present.add(marker_key)
        posted += 1
    return posted
