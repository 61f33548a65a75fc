"""GitHub Actions workflow commands: one annotation line per finding.

Messages quote identifiers and comments taken from migrations that anyone opening a pull
request can write. The runner reads a command from the start of any output line, so a line
break smuggled into a message could issue `::add-mask::`, `::stop-commands::` or a fake
annotation of its own. Line breaks are therefore escaped as `escapeData` and `escapeProperty`
of @actions/core do it (`%`, CR, LF; in properties also `:` and `,`), the other characters
some reader takes for a line break are escaped as LF too, and each finding is exactly one
output line, starting with the command we mean. The runner looks for the old `##[command]`
form (anywhere in a line) only on lines that are not valid `::` commands; the message and
title hide it all the same, invisibly.
"""

from __future__ import annotations

import re

from linter.findings import Finding, RunResult, Severity
from linter.report.common import counts_phrase, hide_old_commands, visible

COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}

_DATA_ESCAPES = {
    "%": "%25",
    "\r": "%0D",
    "\n": "%0A",
    "\x0b": "%0A",
    "\x0c": "%0A",
    "\x85": "%0A",
    "\u2028": "%0A",
    "\u2029": "%0A",
}
_PROPERTY_ESCAPES = {**_DATA_ESCAPES, ":": "%3A", ",": "%2C"}
_DATA = re.compile("[%\r\n\x0b\x0c\x85\u2028\u2029]")
_PROPERTY = re.compile("[%\r\n\x0b\x0c\x85\u2028\u2029:,]")


def escape_data(text: str) -> str:
    """A command's message, as the runner unescapes it: `%25`, `%0D`, `%0A`."""
    return _DATA.sub(lambda m: _DATA_ESCAPES[m.group()], visible(text))


def escape_property(text: str) -> str:
    """A command property's value: as the message, plus `%3A` for `:` and `%2C` for `,`."""
    return _PROPERTY.sub(lambda m: _PROPERTY_ESCAPES[m.group()], visible(text))


def annotation(finding: Finding) -> str:
    """The one-line workflow command that annotates a finding."""
    properties = [f"file={escape_property(finding.path)}", f"line={finding.line}"]
    # GitHub keeps columns only when the annotation starts and ends on one line.
    if finding.end_line == finding.line:
        properties.append(f"col={finding.column}")
    properties.append(f"endLine={finding.end_line}")
    if finding.end_line == finding.line:
        properties.append(f"endColumn={finding.end_column}")
    title = hide_old_commands(f"{finding.rule} {finding.name}")
    properties.append(f"title={escape_property(title)}")
    message = finding.message
    if finding.lock:
        message += f"\n\nLock: {finding.lock}"
    if finding.fix:
        message += f"\n\nFix: {finding.fix}"
    return f"::{COMMAND[finding.severity]} {','.join(properties)}::{escape_data(hide_old_commands(message))}"


def render(result: RunResult, *, quiet: bool = False) -> str:
    lines = [annotation(finding) for finding in result.findings]
    if quiet:
        return "".join(line + "\n" for line in lines)
    # A plain last line: it starts with a word, so the runner never reads it as a command.
    lines.append(f"dbvet: {counts_phrase(result)}.")
    return "\n".join(lines) + "\n"
