"""The human format: one block per finding with the source line and a caret under the spot.

```
db/migrations/0002_idx.sql:3:1: S005 [error] CREATE INDEX on existing table "orders" blocks writes
  3 | CREATE INDEX orders_customer_idx ON orders (customer_id);
    | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  lock: SHARE on "orders": blocks inserts, updates and deletes; reads continue, until commit
  fix: CREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);
```

Text people read in a terminal is also what a CI log shows, so every line that quotes a
migration is defused (see `common.defuse`): a name or a file path cannot issue a GitHub
Actions workflow command.

Columns in findings count characters; a terminal counts cells. The caret line is laid out
in cells (tabs expanded, East Asian wide characters two cells, combining marks none) so it
sits under the right glyph whatever comes before it on the line.
"""

from __future__ import annotations

import unicodedata

from linter.findings import Finding, RunResult, Severity
from linter.report.common import counts_phrase, defuse, one_line, split_lines, visible
from linter.source import SourceFile

TAB_WIDTH = 4
# A longer source line is cut to a window around the finding: minified SQL can put a whole
# migration on one line, and a terminal shows nothing useful of a 50,000-character line.
MAX_EXCERPT = 200
_CONTEXT_BEFORE = 60
_ELLIPSIS = "…"

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_COLOR = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[34m"}

# Line breaks a source line may still hold (`line_text` splits on CR and LF only); a terminal
# would act on them, so they are shown as pictures, one character each.
_SOURCE_BREAKS = str.maketrans(
    {"\x0b": "\u240b", "\x0c": "\u240c", "\x85": "\u2424", "\u2028": "\u2424", "\u2029": "\u2424"}
)


def render(result: RunResult, *, color: bool = False, quiet: bool = False) -> str:
    """Every finding, then a summary line; `quiet`: one header per finding and nothing else."""
    if quiet:
        return "".join(finding_block(f, None, color=color, brief=True) + "\n" for f in result.findings)
    blocks = [finding_block(f, result.sources.get(f.path), color=color) for f in result.findings]
    if result.findings:
        summary = f"Found {counts_phrase(result)}."
    else:
        phrase = counts_phrase(result)
        summary = phrase[0].upper() + phrase[1:] + "."
    blocks.append(summary)
    return "\n\n".join(blocks) + "\n"


def finding_block(finding: Finding, source: SourceFile | None, *, color: bool = False, brief: bool = False) -> str:
    """One finding as text: header, source excerpt with carets, then lock and fix (`brief`:
    the header alone)."""
    rule, severity, caret_color = finding.rule, f"[{finding.severity}]", ""
    if color:
        caret_color = _COLOR[finding.severity]
        rule = f"{_BOLD}{caret_color}{rule}{_RESET}"
        severity = f"{caret_color}{severity}{_RESET}"
    message = [line.expandtabs(TAB_WIDTH) for line in split_lines(finding.message.strip("\r\n"))]
    lines = [f"{one_line(finding.path)}:{finding.line}:{finding.column}: {rule} {severity} {message[0]}"]
    lines.extend(f"    {line}" if line else "" for line in message[1:])
    if brief:
        return "\n".join(defuse(line) for line in lines)
    if source is not None:
        lines.extend(_excerpt_lines(finding, source, caret_color))
    if finding.lock:
        lines.extend(_labelled("lock", finding.lock))
    if finding.fix:
        lines.extend(_labelled("fix", finding.fix))
    return "\n".join(defuse(line) for line in lines)


def _labelled(label: str, text: str) -> list[str]:
    """`  label: first line`, further lines aligned under the first one's text."""
    head = f"  {label}: "
    indent = " " * len(head)
    parts = [line.expandtabs(TAB_WIDTH) for line in split_lines(text.strip("\r\n"))]
    return [head + parts[0]] + [indent + part if part else "" for part in parts[1:]]


def _excerpt_lines(finding: Finding, source: SourceFile, caret_color: str) -> list[str]:
    text = source.line_text(finding.line)
    if not text.strip():
        return []
    end_column = finding.end_column if finding.end_line == finding.line else len(text) + 1
    shown, pad, width = excerpt(text, finding.column, end_column)
    number = str(finding.line)
    carets = "^" * width
    if caret_color:
        carets = f"{caret_color}{carets}{_RESET}"
    return [f"  {number} | {shown}", f"  {' ' * len(number)} | {' ' * pad}{carets}"]


def excerpt(text: str, column: int, end_column: int) -> tuple[str, int, int]:
    """The line as a terminal should show it, and the cell offset and width of the carets
    for the characters from `column` up to (not including) `end_column`."""
    start = min(max(column, 1) - 1, len(text))
    end = min(max(end_column - 1, start), len(text))
    window_start, window_end = 0, len(text)
    if len(text) > MAX_EXCERPT:
        window_start = min(max(0, start - _CONTEXT_BEFORE), len(text) - MAX_EXCERPT)
        window_end = window_start + MAX_EXCERPT
        end = min(end, window_end)
    prefix = _ELLIPSIS if window_start else ""
    suffix = _ELLIPSIS if window_end < len(text) else ""
    window = visible(text[window_start:window_end]).translate(_SOURCE_BREAKS)
    first, last = start - window_start, end - window_start
    if window.isascii() and "\t" not in window:
        return prefix + window + suffix, len(prefix) + first, max(last - first, 1)
    cells = len(prefix)
    out: list[str] = []
    first_cell = last_cell = None
    for index, char in enumerate(window):
        if index == first:
            first_cell = cells
        if index == last:
            last_cell = cells
        if char == "\t":
            step = TAB_WIDTH - cells % TAB_WIDTH
            out.append(" " * step)
        else:
            step = _cells(char)
            out.append(char)
        cells += step
    if first_cell is None:
        first_cell = cells
    if last_cell is None:
        last_cell = cells
    return prefix + "".join(out) + suffix, first_cell, max(last_cell - first_cell, 1)


def _cells(char: str) -> int:
    """How many terminal cells a character takes."""
    if char < "\u0300":  # ASCII and Latin-1: one cell (controls were already made visible)
        return 1
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
