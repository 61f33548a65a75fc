"""Every rule's documented bad example produces exactly its documented findings, and its good
example none: the documentation cannot drift from the code."""

from __future__ import annotations

import pytest
from rules import all_rules

from harness import run_example

RULES = all_rules()


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_bad_example_fires_exactly(tmp_path, rule_id):
    rule = RULES[rule_id]
    assert rule.doc.bad.expect, f"{rule_id}: the bad example must say where its findings are"
    assert run_example(tmp_path, rule.doc.bad, rule_id) == list(rule.doc.bad.expect)


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_good_example_is_silent(tmp_path, rule_id):
    rule = RULES[rule_id]
    assert run_example(tmp_path, rule.doc.good, rule_id) == []


def test_every_rule_is_documented():
    for rule_id, rule in RULES.items():
        doc = rule.doc
        assert all((doc.what, doc.why, doc.instead, doc.bad.source, doc.good.source)), rule_id
        assert rule.summary and rule.name and rule.id == rule_id
