"""Applying the mechanical fixes findings carry (`Finding.edits`): `--fix` and `--diff`.

Only edits that keep the migration's meaning are ever attached to findings (adding
CONCURRENTLY where the tool runs the statement outside a transaction, a Prisma attribute, …);
anything that needs a new migration file or a human decision stays advice in `fix`.
Edits to one file are applied from the end backwards; an edit that overlaps one already
taken waits for the next pass, which lints the edited texts again in memory (`settle`), so
one run makes every fix, and each later edit is computed on the text the earlier ones left.
Files are written atomically (a temporary file in the same folder, then a rename), keeping a
UTF-8 BOM where the file had one.
"""

from __future__ import annotations

import difflib
import os
import tempfile
from typing import Callable, Iterable, Mapping

from linter.errors import UserError
from linter.findings import Edit, Finding, RunResult
from linter.records import Record
from linter.source import STAND_INS, SourceFile


class FilePlan(Record, frozen=True):
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


# Passes before `settle` gives up: each pass only makes edits no earlier one could, so a set
# needing more is a bug (two fixes undoing each other), not a large set.
MAX_PASSES = 10


class Settled(Record, frozen=True):
    plans: list[FilePlan]  # one per changed file: its text as read, and all it becomes
    result: RunResult  # the check of the texts the plans make
    settled: bool  # False when edits were still planned after MAX_PASSES passes


def settle(result: RunResult, relint: Callable[[], RunResult]) -> Settled:
    """Plan the edits of `result`'s findings, lint the edited texts again (in memory: nothing
    is written), and repeat until no finding brings an edit that can be made."""
    first: dict[str, SourceFile] = {}  # each changed file as read from disk, by where it was read
    fixed: dict[str, int] = {}
    passes = 0
    try:
        while passes < MAX_PASSES:
            plans = [p for p in plan(result.findings, result.sources) if p.file.where is not None]
            if not plans:
                break
            for file_plan in plans:
                where = file_plan.file.where
                first.setdefault(where, file_plan.file)
                fixed[where] = fixed.get(where, 0) + file_plan.fixed
                STAND_INS[where] = SourceFile(file_plan.file.path, file_plan.new_text, where, file_plan.file.bom)
            passes += 1
            result = relint()
        else:
            plans = plan(result.findings, result.sources)
    finally:
        texts = {where: STAND_INS.pop(where).text for where in first}
    changed = [
        FilePlan(file, (Edit(file.path, 0, len(file.text), texts[where]),), fixed[where])
        for where, file in sorted(first.items(), key=lambda item: item[1].path)
        if texts[where] != file.text
    ]
    return Settled(changed, result, settled=not plans)


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
