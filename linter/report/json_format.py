"""The machine format of INTERFACE.md: stable keys, findings sorted, version 1."""

from __future__ import annotations

import json

import linter
from linter.findings import RunResult
from linter.report.common import defuse_json

FORMAT_VERSION = 1


def render(result: RunResult) -> str:
    document = {
        "version": FORMAT_VERSION,
        "tool": {"name": "dbvet", "version": linter.__version__},
        "findings": [finding.to_json() for finding in result.findings],
        "summary": {
            "files": result.files,
            "findings": len(result.findings),
            "by_severity": result.by_severity(),
        },
    }
    return defuse_json(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"
