"""The machine format of INTERFACE.md: stable keys, findings sorted, version 1."""

from __future__ import annotations

import json

import linter
from linter.findings import RunResult
from linter.report.common import defuse_json

FORMAT_VERSION = 1

# `json.dumps(indent=2)` runs the pure-Python encoder (CPython's C encoder serves only
# `indent=None`), and on tens of thousands of findings that was a tenth of a whole run. Every
# finding's values are scalars, so the C encoder writes them all in one call, separated by a
# raw line break — which JSON never leaves inside a string — and the indentation is added here.
_SCALARS = {str, int, float, bool, type(None)}
_encode_values = json.JSONEncoder(ensure_ascii=False, separators=("\n", ": ")).encode


def render(result: RunResult) -> str:
    document = {
        "version": FORMAT_VERSION,
        "tool": {"name": "dbvet", "version": linter.__version__},
        "findings": [],
        "summary": {
            "files": result.files,
            "findings": len(result.findings),
            "by_severity": result.by_severity(),
        },
    }
    blocks = []
    for start in range(0, len(result.findings), _CHUNK):
        block = _indented_findings([finding.to_json() for finding in result.findings[start : start + _CHUNK]])
        if block is None:  # not all scalars: the plain (slower) way gives the same text
            document["findings"] = [finding.to_json() for finding in result.findings]
            return defuse_json(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"
        blocks.append(defuse_json(block))  # no `##[` spans two findings
    text = json.dumps(document, indent=2, ensure_ascii=False)
    if not blocks:
        return defuse_json(text) + "\n"
    # "version" and "tool" come first and hold only our own constant text.
    head, tail = text.split('"findings": []', 1)
    return "".join([defuse_json(head), '"findings": [\n', ",\n".join(blocks), "\n  ]", defuse_json(tail), "\n"])


# Findings rendered at a time: the text of a large run is built from blocks of this many, so the
# run's peak memory holds the output about twice, not the half-dozen copies of one big pass.
_CHUNK = 2000


def _indented_findings(findings: list[dict]) -> str | None:
    """The findings as `json.dumps(document, indent=2)` lays them out inside the document's
    list (without its brackets); None if a value is not a scalar."""
    if not findings:
        return ""
    keys = list(findings[0])
    values = []
    for finding in findings:
        if len(finding) != len(keys):
            return None
        values.extend(finding.values())
    if not set(map(type, values)) <= _SCALARS:
        return None
    encoded = _encode_values(values)[1:-1].split("\n")
    # Interleave labels and values, then join once: `    {\n      "rule": <v>,\n      "name": <v>…\n    }`.
    labels = [f',\n      {json.dumps(key, ensure_ascii=False)}: ' for key in keys]
    first, rest = labels[0][2:], labels[1:]
    pieces: list[str] = [""] * (2 * len(encoded))
    pieces[0::2] = ["    {\n" + first, *rest] + ["\n    },\n    {\n" + first, *rest] * (len(findings) - 1)
    pieces[1::2] = encoded
    return "".join(pieces) + "\n    }"
