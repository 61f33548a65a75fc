"""Helpers the reporters share: counting words, and making untrusted text safe to print.

Messages quote identifiers and comments from migrations, which anyone opening a pull request
can write. A control character there must not reach a terminal (ANSI escapes), a CI log
(workflow commands) or an XML file as itself.
"""

from __future__ import annotations

import re

from linter.findings import RunResult, Severity

# Every character that some consumer treats as ending a line: CR, LF, VT, FF, NEL and the
# Unicode line and paragraph separators.
LINE_BREAK = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")

# Control characters other than tab and the line breaks above.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f\x80-\x84\x86-\x9f]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # U+2400 block: a visible picture of each C0 control
    if code == 0x7F:
        return "\u2421"
    return "\ufffd"


def visible(text: str) -> str:
    """`text` with control characters (not tabs or line breaks) shown as harmless glyphs."""
    if text.isprintable():
        return text
    return _CONTROL.sub(_picture, text)


def one_line(text: str) -> str:
    """`text` made visible, with any line break shown as a picture (for paths in headers)."""
    if text.isprintable():  # the usual case: nothing to show differently (line breaks are not printable)
        return text
    return LINE_BREAK.sub("\u2424", visible(text))


def split_lines(text: str) -> list[str]:
    """The lines of a message, on any line break, each made visible."""
    if text.isprintable():  # one line with nothing to show differently (line breaks are not printable)
        return [text]
    return [visible(part) for part in LINE_BREAK.split(text)]


# The GitHub Actions runner reads a workflow command from any line of a job's log whose text,
# after leading whitespace, starts with `::`, and an old-style `##[command]` anywhere in a line.
# Output that shows untrusted text and may be printed in a CI log (text, JSON) breaks both
# patterns with an invisible WORD JOINER; JSON escapes the bracket instead, which leaves the
# document's content exactly as it was.
_WORD_JOINER = "\u2060"


def hide_old_commands(text: str) -> str:
    """`text` without the `##[` that starts an old-style workflow command."""
    return text.replace("##[", f"#{_WORD_JOINER}#[") if "##[" in text else text


def defuse(line: str) -> str:
    """One output line that the Actions runner cannot take for a workflow command."""
    if "::" not in line and "##[" not in line:  # the usual case, checked without a copy
        return line
    line = hide_old_commands(line)
    stripped = line.lstrip()
    if stripped.startswith("::"):
        at = len(line) - len(stripped)
        line = f"{line[:at]}:{_WORD_JOINER}{line[at + 1 :]}"
    return line


def defuse_json(document: str) -> str:
    """Serialized JSON whose strings cannot hold `##[` as such (`[` written as `\\u005b`);
    no JSON line can start with `::`, so this is the only pattern left."""
    return document.replace("##[", "##\\u005b")


def plural(count: int, word: str, plural_form: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural_form or word + 's')}"


def counts_phrase(result: RunResult) -> str:
    """`3 findings (1 error, 2 warnings, 0 infos) in 2 files`, or `no findings in 2 files`."""
    files = plural(result.files, "file")
    if not result.findings:
        return f"no findings in {files}"
    by = result.by_severity()
    return (
        f"{plural(len(result.findings), 'finding')} ({plural(by['error'], 'error')}, "
        f"{plural(by['warning'], 'warning')}, {plural(by['info'], 'info')}) in {files}"
    )


SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
