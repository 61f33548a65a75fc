"""Applying the mechanical fixes findings carry (`Finding.edits`): `--fix` and `--diff`.

Only edits that keep the migration's meaning are ever attached to findings (adding
CONCURRENTLY where the tool runs the statement outside a transaction, a Prisma attribute, …);
anything that needs a new migration file or a human decision stays advice in `fix`.
Edits to one file are applied from the end backwards; an edit that overlaps one already
taken is left for the next run. Files are written atomically (a temporary file in the same
folder, then a rename), keeping a UTF-8 BOM where the file had one.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from dataclasses import dataclass
from typing import Iterable, Mapping

from linter.errors import UserError
from linter.findings import Edit, Finding
from linter.source import SourceFile


@dataclass(frozen=True, slots=True)
class FilePlan:
    file: SourceFile
    edits: tuple[Edit, ...]  # non-overlapping, in file order
    fixed: int  # findings whose edits were all taken

    @property
    def new_text(self) -> str:
        text = self.file.text
        for edit in reversed(self.edits):
            text = text[: edit.start] + edit.replacement + text[edit.end :]
        return text


def plan(findings: Iterable[Finding], sources: Mapping[str, SourceFile]) -> list[FilePlan]:
    """The edits to make, per file: whole findings at a time, never two overlapping edits."""
    by_path: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.edits and all(edit.path in sources for edit in finding.edits):
            by_path.setdefault(finding.edits[0].path, []).append(finding)
    plans = []
    for path, path_findings in sorted(by_path.items()):
        taken: list[Edit] = []
        fixed = 0
        for finding in path_findings:
            wanted = [edit for edit in finding.edits if edit not in taken]
            if any(edit.path != path for edit in wanted) or any(_overlaps(edit, other) for edit in wanted for other in taken):
                continue
            taken.extend(wanted)
            fixed += 1
        if taken:
            plans.append(FilePlan(sources[path], tuple(sorted(taken, key=lambda e: (e.start, e.end))), fixed))
    return plans


def _overlaps(one: Edit, other: Edit) -> bool:
    if one.start == one.end == other.start == other.end:
        return True  # two insertions at one point: their order would be a guess
    return one.start < other.end and other.start < one.end


def unified_diff(plans: Iterable[FilePlan]) -> str:
    chunks = []
    for file_plan in plans:
        old = file_plan.file.text.splitlines(keepends=True)
        new = file_plan.new_text.splitlines(keepends=True)
        path = file_plan.file.path
        chunks.extend(difflib.unified_diff(old, new, f"a/{path}", f"b/{path}"))
    return "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n" for line in chunks)


def write(plans: Iterable[FilePlan]) -> int:
    """Write each planned file atomically; the number of findings fixed."""
    fixed = 0
    for file_plan in plans:
        target = file_plan.file.abspath
        if target is None:
            continue
        data = file_plan.new_text.encode("utf-8")
        if file_plan.file.bom:
            data = b"\xef\xbb\xbf" + data
        try:
            mode = os.stat(target).st_mode & 0o7777
            handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".dbvet-fix", dir=target.parent)
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(data)
                os.chmod(temporary, mode)
                os.replace(temporary, target)
            except BaseException:
                if os.path.exists(temporary):
                    os.unlink(temporary)
                raise
        except OSError as exc:
            raise UserError(f"cannot write the fix to {file_plan.file.path}: {exc.strerror or exc}") from None
        fixed += file_plan.fixed
    return fixed
