from __future__ import annotations

import json

import pytest
from report_sample import RULES, TableNameSnakeCase, sample_result

import rules
from linter.errors import UserError
from linter.findings import Finding, RunResult, Severity
from linter.report import FORMATS, render


def test_formats():
    assert FORMATS == ("text", "json", "sarif", "github", "junit")


@pytest.mark.parametrize("fmt", ["xml", "", "TEXT", "sarif "])
def test_unknown_format_is_a_user_error(fmt):
    with pytest.raises(UserError) as error:
        render(fmt, sample_result())
    assert str(error.value) == f"unknown output format {fmt!r} (expected one of: text, json, sarif, github, junit)"


def test_findings_are_sorted_by_path_line_column_rule_in_every_format():
    result = sample_result()
    shuffled = RunResult(list(reversed(result.findings)), result.files, result.sources)
    for fmt in FORMATS:
        assert render(fmt, shuffled, rules=RULES) == render(fmt, result, rules=RULES), fmt
    paths = [f["path"] for f in json.loads(render("json", shuffled))["findings"]]
    assert paths == sorted(paths)


def test_render_does_not_reorder_the_callers_findings():
    result = sample_result()
    before = list(result.findings)
    render("text", result)
    assert result.findings == before


def test_same_rule_at_same_position_orders_by_rule_id():
    findings = [
        Finding("S012", "b", Severity.WARNING, "m", "a.sql", 1, 1, 1, 2),
        Finding("D001", "a", Severity.ERROR, "m", "a.sql", 1, 1, 1, 2),
    ]
    assert [f["rule"] for f in json.loads(render("json", RunResult(findings, 1)))["findings"]] == ["D001", "S012"]


def test_sarif_describes_the_registered_rules_when_none_are_given(monkeypatch):
    monkeypatch.setattr(rules, "all_rules", lambda: {"N001": TableNameSnakeCase})
    driver = json.loads(render("sarif", RunResult([], 1)))["runs"][0]["tool"]["driver"]
    assert [rule["id"] for rule in driver["rules"]] == ["N001"]


def test_color_applies_to_text_only():
    for fmt in ("json", "sarif", "github", "junit"):
        assert "\x1b" not in render(fmt, sample_result(), color=True, rules=RULES), fmt


def test_quiet_changes_nothing_in_machine_formats():
    for fmt in ("json", "sarif", "junit"):
        assert render(fmt, sample_result(), quiet=True, rules=RULES) == render(fmt, sample_result(), rules=RULES), fmt
