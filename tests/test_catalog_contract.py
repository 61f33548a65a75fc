"""The rules match the catalog in ../shared/RULES.md: ids, names, default on/off, severities.
Ids are a contract (outputs, configuration and suppressions use them)."""

from __future__ import annotations

import os
import re

import pytest
from rules import all_rules

from conftest import CORPUS
from linter.findings import Severity

RULES_MD = CORPUS.parent / "RULES.md"
# Catalog rules whose implementation belongs to an open issue (#6: migration sets and history).
NOT_YET_IMPLEMENTED: set[str] = set()


def catalog() -> dict[str, tuple[str, bool, Severity]]:
    if not RULES_MD.is_file():
        if os.environ.get("DBVET_REQUIRE_CORPUS") == "1":
            pytest.fail(f"{RULES_MD} is required (DBVET_REQUIRE_CORPUS=1) but missing")
        pytest.skip(f"the rule catalog is not here ({RULES_MD}); it ships beside the repository in ../shared")
    rows = {}
    for line in RULES_MD.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not cells or not re.fullmatch(r"[A-Z]\d{3}", cells[0]):
            continue
        if cells[0][0] in "ES":  # these tables have no src column (E) or no src and no on column variants
            on = cells[2] == "on" if cells[0][0] == "S" else True
            severity = cells[3] if cells[0][0] == "S" else cells[2]
        else:
            on, severity = cells[2] == "on", cells[3]
        rows[cells[0]] = (cells[1], on, Severity.parse(severity))
    return rows


def test_every_catalog_rule_is_implemented_as_specified():
    rules = all_rules()
    expected = catalog()
    assert set(expected) - set(rules) == NOT_YET_IMPLEMENTED
    for rule_id, (name, on, severity) in expected.items():
        if rule_id in rules:
            rule = rules[rule_id]
            assert (rule.name, rule.default_on, rule.severity) == (name, on, severity), rule_id


def test_no_rule_outside_the_catalog_but_the_suppression_check():
    assert set(all_rules()) - set(catalog()) == {"E005"}
