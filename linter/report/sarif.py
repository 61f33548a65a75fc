"""SARIF 2.1.0, as GitHub code scanning and editors read it.

dbvet's columns count code points; SARIF's default is UTF-16 code units, so the run says
`columnKind: unicodeCodePoints` rather than converting every column.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from urllib.parse import quote

import linter
from linter.findings import Finding, RunResult
from linter.report.common import SARIF_LEVEL, defuse_json
from linter.rule import FAMILIES, Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "dbvetLineHash/v1"

_WINDOWS_DRIVE = re.compile(r"[A-Za-z]:/")


def render(result: RunResult, rules: Mapping[str, type[Rule]]) -> str:
    descriptors, index = _rule_descriptors(result.findings, rules)
    run = {
        "tool": {"driver": {"name": "dbvet", "version": linter.__version__, "rules": descriptors}},
        "columnKind": "unicodeCodePoints",
        "results": _RESULTS,
    }
    document = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    head, tail = json.dumps(document, indent=2, ensure_ascii=False).split(_RESULTS_TEXT, 1)
    # The results are written one at a time, each as `json.dumps(document, indent=2)` would lay
    # it out at its depth (a raw line break in JSON text is only ever layout): one pass over a
    # large run's document kept several copies of its text alive at once.
    if not result.findings:
        return defuse_json(f"{head}[]{tail}") + "\n"
    body = ",\n".join(
        _RESULT_INDENT + json.dumps(one, indent=2, ensure_ascii=False).replace("\n", _RESULT_BREAK)
        for one in _results(result, index)
    )
    return "".join([defuse_json(head), "[\n", defuse_json(body), "\n      ]", defuse_json(tail), "\n"])


# Where the results go in the document's text: a string no rule's text can hold (json.dumps
# writes its control characters as escapes).
_RESULTS = "\x00results\x00"
_RESULTS_TEXT = json.dumps(_RESULTS)
# A result sits at depth 4 (document, runs, run, results), two spaces a level.
_RESULT_INDENT = " " * 8
_RESULT_BREAK = "\n" + _RESULT_INDENT


def _rule_descriptors(findings: list[Finding], rules: Mapping[str, type[Rule]]) -> tuple[list[dict], dict[str, int]]:
    """Every rule given, plus any rule a finding names that was not given (its results
    need a descriptor to point at), in id order; and each id's index in that list."""
    from linter.docs import explain_markdown, explain_text

    names = {rule_id: rule.name for rule_id, rule in rules.items()}
    for finding in findings:
        names.setdefault(finding.rule, finding.name)
    descriptors: list[dict] = []
    index: dict[str, int] = {}
    for rule_id in sorted(names):
        index[rule_id] = len(descriptors)
        rule = rules.get(rule_id)
        if rule is None:
            descriptors.append({"id": rule_id, "name": names[rule_id]})
            continue
        descriptors.append(
            {
                "id": rule_id,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": rule.doc.what},
                "help": {"text": explain_text(rule), "markdown": explain_markdown(rule)},
                "defaultConfiguration": {"enabled": rule.default_on, "level": SARIF_LEVEL[rule.severity]},
                "properties": {"tags": [FAMILIES.get(rule_id[0], rule_id[0])]},
            }
        )
    return descriptors, index


def _results(result: RunResult, index: Mapping[str, int]) -> Iterator[dict]:
    """Each finding's result, made as it is written (a large run's would fill memory at once)."""
    seen: dict[str, int] = {}
    for finding in result.findings:
        text = finding.message
        if finding.lock:
            text += f"\nLock: {finding.lock}"
        if finding.fix:
            text += f"\nFix: {finding.fix}"
        line_hash = _line_hash(finding, result)
        # Identical lines flagged by one rule in one file are told apart by their order, as
        # GitHub does for its own primaryLocationLineHash.
        seen[line_hash] = seen.get(line_hash, 0) + 1
        yield {
            "ruleId": finding.rule,
            "ruleIndex": index[finding.rule],
            "level": SARIF_LEVEL[finding.severity],
            "message": {"text": text},
            "locations": [{"physicalLocation": _physical_location(finding)}],
            "partialFingerprints": {FINGERPRINT_KEY: f"{line_hash}:{seen[line_hash]}"},
        }


def _physical_location(finding: Finding) -> dict:
    start_line = max(finding.line, 1)
    start_column = max(finding.column, 1)
    end_line = max(finding.end_line, start_line)
    end_column = max(finding.end_column, 1)
    if end_line == start_line:
        end_column = max(end_column, start_column)
    region = {"startLine": start_line, "startColumn": start_column, "endLine": end_line, "endColumn": end_column}
    return {"artifactLocation": artifact_location(finding.path), "region": region}


def artifact_location(path: str) -> dict:
    """A display path as a SARIF artifact location: relative paths against %SRCROOT%,
    absolute ones (files outside the working directory) as file: URIs."""
    if path.startswith("/"):
        return {"uri": "file://" + quote(path)}
    if _WINDOWS_DRIVE.match(path):
        return {"uri": "file:///" + quote(path, safe="/:")}
    return {"uri": quote(path.removeprefix("./")), "uriBaseId": SRCROOT}


def _line_hash(finding: Finding, result: RunResult) -> str:
    """A hash that survives the finding's line moving: rule, path and the line's own text
    (or the message, when no text is at hand: unreadable files, whole-set findings)."""
    source = result.sources.get(finding.path)
    anchor = source.line_text(finding.line).strip() if source is not None else ""
    if not anchor:
        anchor = finding.message
    digest = hashlib.sha256(f"{finding.rule}\0{finding.path}\0{anchor}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:32]
