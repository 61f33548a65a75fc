"""Data-driven rule cases (tests/cases/*.yaml), in the style of sqlfluff's rule fixtures.

Each YAML file holds a list of cases. A case gives either `migrations` (an ordered list of
SQL texts, written as a plain folder `migrations/0001.sql`, …) or `files` (a whole tree:
path → content), optional `config` (as in .dbvet.yaml; `dialect` defaults to postgresql for
`migrations` cases), optional `paths` (what to pass on the command line), and `expect`: the
exact list of findings of the rules under test (`rules`, default: the file's name) as
`{rule, path, line, column}` — or `[]`. Every finding of those rules must be listed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from harness import run_tree, write_tree

CASES_DIR = Path(__file__).parent / "cases"


def _load_cases():
    for case_file in sorted(CASES_DIR.glob("*.yaml")):
        for number, case in enumerate(YAML(typ="safe", pure=True).load(case_file.read_text(encoding="utf-8")) or [], start=1):
            yield pytest.param(case_file.stem, case, id=f"{case_file.stem}-{number}-{case['name']}")


@pytest.mark.parametrize(("group", "case"), list(_load_cases()))
def test_case(tmp_path, group, case):
    config = dict(case.get("config") or {})
    if "migrations" in case:
        files = {f"migrations/{n:04d}.sql": text for n, text in enumerate(case["migrations"], start=1)}
        config.setdefault("dialect", "postgresql")
    else:
        files = case["files"]
    write_tree(tmp_path, files)
    rule_ids = set(case.get("rules") or [group])
    findings = run_tree(tmp_path, config, case.get("paths") or ())
    got = [
        {"rule": f.rule, "path": f.path, "line": f.line, "column": f.column}
        for f in findings
        if f.rule in rule_ids or f.rule[:1] in rule_ids
    ]
    expected = [dict(item) for item in case["expect"] or []]
    for item in expected:
        item.setdefault("rule", group)
    assert got == sorted(expected, key=lambda f: (f["path"], f["line"], f["column"], f["rule"]))
