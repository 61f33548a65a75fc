"""A rule's documentation as people read it: `dbvet explain`, `dbvet rules`, the README's
rule table and SARIF's rule help all come from the rule's own declaration, so none of them
can drift from the code."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Mapping
from typing import Any

from linter.rule import FAMILIES, Example, Rule

WRAP = 88

_BACKTICKS = re.compile("`+")


def _family(rule: type[Rule]) -> str:
    letter = rule.id[:1]
    return f"{letter} ({FAMILIES[letter]})" if letter in FAMILIES else letter


def _default(value: Any) -> str:
    """An option's default as it would be written in configuration."""
    return json.dumps(value, ensure_ascii=False)


def _on_off(rule: type[Rule]) -> str:
    return "on" if rule.default_on else "off"


def _wrap(text: str, indent: str) -> list[str]:
    """Paragraphs (separated by blank lines) wrapped for a terminal, each line indented."""
    lines: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        if lines:
            lines.append("")
        lines.extend(
            textwrap.wrap(
                " ".join(paragraph.split()),
                WRAP,
                initial_indent=indent,
                subsequent_indent=indent,
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return lines


def _code(source: str, indent: str) -> list[str]:
    return [f"{indent}{line}".rstrip() for line in source.rstrip("\n").expandtabs(4).split("\n")]


def _labels(example: Example) -> tuple[str, str]:
    """What the earlier texts are and what the example shows: a Prisma example's `before` holds
    the migrations beside its schema (R005)."""
    if example.kind == "prisma":
        return "Migration", "The Prisma schema beside them:"
    if example.kind == "git":  # `before` is committed at the base revision; the change writes the example
        numbered = [f"{number:04d}_before.sql" for number in range(1, len(example.before) + 1)]
        if example.name in numbered:
            return "Committed migration", f"The change edits committed migration {numbered.index(example.name) + 1}:"
        if example.name:
            return "Committed migration", f"The change adds {example.name} (committed: {', '.join(numbered)}):"
        return "Committed migration", "The change adds the next migration:"
    return "Earlier migration", "This migration:"


def _example_text(example: Example) -> list[str]:
    lines: list[str] = []
    if example.options:
        settings = ", ".join(f"{name} = {_default(value)}" for name, value in example.options.items())
        lines.append(f"  With options: {settings}")
    earlier_label, shown_label = _labels(example)
    for number, earlier in enumerate(example.before, 1):
        lines.append(f"  {earlier_label} {number}:" if len(example.before) > 1 else f"  {earlier_label}:")
        lines.extend(_code(earlier, "    "))
    if example.before:
        lines.append(f"  {shown_label}")
    lines.extend(_code(example.source, "    "))
    return lines


def explain_text(rule: type[Rule]) -> str:
    """The full documentation of a rule, for a terminal (`dbvet explain ID`)."""
    lines = [
        f"{rule.id} {rule.name}",
        f"  severity: {rule.severity}",
        f"  default:  {_on_off(rule)}",
        f"  family:   {_family(rule)}",
        "",
        *_wrap(rule.summary, ""),
    ]
    for title, body in (
        ("What it catches", rule.doc.what),
        ("Why it hurts", rule.doc.why),
        ("Instead", rule.doc.instead),
    ):
        lines += ["", title, *_wrap(body, "  ")]
    lines += ["", "Bad", *_example_text(rule.doc.bad)]
    lines += ["", "Good", *_example_text(rule.doc.good)]
    if not rule.options:
        lines += ["", "Options", "  none"]
    else:
        lines += ["", f"Options (in the configuration: rules.{rule.id}.<option>)"]
    for name, option in rule.options.items():
        lines.append(f"  {name} (default: {_default(option.default)})")
        lines.extend(_wrap(option.help, "      "))
    return "\n".join(lines) + "\n"


def _fence(source: str, language: str) -> list[str]:
    """A fenced code block that no run of backticks inside `source` can close early."""
    longest = max((len(run) for run in _BACKTICKS.findall(source)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}{language}", *source.rstrip("\n").split("\n"), fence]


def _example_markdown(example: Example) -> list[str]:
    language = "prisma" if example.kind == "prisma" else "sql"
    lines: list[str] = []
    if example.options:
        settings = ", ".join(f"`{name} = {_default(value)}`" for name, value in example.options.items())
        lines += [f"With options: {settings}", ""]
    earlier_label, shown_label = _labels(example)
    for number, earlier in enumerate(example.before, 1):
        lines += [f"{earlier_label} {number}:" if len(example.before) > 1 else f"{earlier_label}:", ""]
        lines += [*_fence(earlier, "sql"), ""]
    if example.before:
        lines += [shown_label, ""]
    return lines + _fence(example.source, language)


def _cell(text: str) -> str:
    """Text made safe for one Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def explain_markdown(rule: type[Rule]) -> str:
    """The full documentation of a rule in Markdown (SARIF rule help, generated docs)."""
    lines = [
        f"## {rule.id} `{rule.name}`",
        "",
        f"**Severity:** {rule.severity} · **Default:** {_on_off(rule)} · **Family:** {_family(rule)}",
        "",
        rule.summary.strip(),
    ]
    for title, body in (
        ("What it catches", rule.doc.what),
        ("Why it hurts", rule.doc.why),
        ("Instead", rule.doc.instead),
    ):
        lines += ["", f"### {title}", "", body.strip()]
    lines += ["", "### Bad", "", *_example_markdown(rule.doc.bad)]
    lines += ["", "### Good", "", *_example_markdown(rule.doc.good)]
    lines += ["", "### Options", ""]
    if not rule.options:
        lines.append("None.")
    else:
        lines += [f"Set in the configuration as `rules.{rule.id}.<option>`.", ""]
        lines += ["| option | default | description |", "|---|---|---|"]
        for name, option in rule.options.items():
            lines.append(f"| `{_cell(name)}` | `{_cell(_default(option.default))}` | {_cell(option.help)} |")
    return "\n".join(lines) + "\n"


def _ordered(rules: Mapping[str, type[Rule]]) -> list[type[Rule]]:
    return [rules[rule_id] for rule_id in sorted(rules)]


def rules_table(rules: Mapping[str, type[Rule]]) -> str:
    """Every rule on one line, in aligned columns (`dbvet rules`)."""
    header = ("ID", "NAME", "DEFAULT", "SEVERITY", "SUMMARY")
    rows = [header] + [
        (r.id, r.name, _on_off(r), str(r.severity), " ".join(r.summary.split())) for r in _ordered(rules)
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(header) - 1)]
    lines = []
    for row in rows:
        cells = [value.ljust(width) for value, width in zip(row, widths)]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines) + "\n"


def rules_markdown_table(rules: Mapping[str, type[Rule]]) -> str:
    """The rule table for the README."""
    lines = ["| Rule | Name | Default | Severity | Summary |", "|---|---|---|---|---|"]
    for r in _ordered(rules):
        lines.append(f"| {r.id} | `{r.name}` | {_on_off(r)} | {r.severity} | {_cell(r.summary)} |")
    return "\n".join(lines) + "\n"
