from __future__ import annotations

import json
import re

import pytest
from report_sample import INJECTION, RULES, CreateIndexBlocking, TableNameSnakeCase, sample_result

import linter
from linter.docs import explain_markdown, explain_text
from linter.findings import Finding, RunResult, Severity
from linter.report import render
from linter.report.sarif import artifact_location
from linter.source import SourceFile


def _sarif(result: RunResult, rules=RULES) -> dict:
    return json.loads(render("sarif", result, rules=rules))


def _result(rule, index, level, text, uri, region, fingerprint):
    return {
        "ruleId": rule,
        "ruleIndex": index,
        "level": level,
        "message": {"text": text},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                    "region": dict(zip(("startLine", "startColumn", "endLine", "endColumn"), region)),
                }
            }
        ],
        "partialFingerprints": {"dbvetLineHash/v1": fingerprint},
    }


EXPECTED_RESULTS = [
    _result(
        "S005",
        6,
        "error",
        'CREATE INDEX on existing table "orders" blocks writes to it until the index is built\n'
        'Lock: SHARE on "orders": blocks inserts, updates and deletes; reads continue, until commit\n'
        "Fix: CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);\n-- alone in its migration file",
        "db/migrations/0002_index.sql",
        (2, 1, 2, 60),
        "e02bdbe24702a17c55a9753a8ed058db:1",
    ),
    _result(
        "S012",
        7,
        "warning",
        'ALTER TABLE "orders" takes a lock with no lock_timeout set',
        "db/migrations/0003_crlf.sql",
        (1, 1, 2, 21),
        "ea9f1fff2847969617af7acc84341f34:1",
    ),
    _result(
        "D002",
        2,
        "error",
        'DROP COLUMN "legacy" breaks running code',
        "db/migrations/0003_crlf.sql",
        (2, 3, 2, 21),
        "b4ee05a8585f9214dc57488212e3ad5a:1",
    ),
    _result(
        "S001",
        5,
        "error",
        'ADD COLUMN "tag" NOT NULL without a default fails on a non-empty table "顧客"',
        "db/migrations/0004%20caf%C3%A9.sql",
        (2, 18, 2, 46),
        "3cd5e78cc867c097cc5cbf028f8aa201:1",
    ),
    _result(
        "D001",
        1,
        "error",
        'DROP TABLE "x"',
        "db/migrations/0004%20caf%C3%A9.sql",
        (3, 2, 3, 14),
        "e16ac68a4a851a8c3a72097da4a864cb:1",
    ),
    _result(
        "E003",
        3,
        "error",
        "binary file (contains NUL bytes); expected UTF-8 text",
        "db/migrations/0005_bin.sql",
        (1, 1, 1, 1),
        "444ee3299cbdb29ac7946adb0f0e886b:1",
    ),
    _result(
        "C009",
        0,
        "note",
        'model "Evil" has no /// comment',
        "prisma/schema.prisma",
        (1, 1, 1, 6),
        "4e4585cecdc1b0a2b2e0c4fa86c86d07:1",
    ),
    _result(
        "N001",
        4,
        "warning",
        INJECTION + '\nFix: @@map("a_b_c")',
        "prisma/schema.prisma",
        (1, 7, 1, 11),
        "a9b69fac01ff54d69855409bd64de39e:1",
    ),
]


def _descriptor(rule, tag):
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.doc.what},
        "help": {"text": explain_text(rule), "markdown": explain_markdown(rule)},
        "defaultConfiguration": {
            "enabled": rule.default_on,
            "level": {"error": "error", "warning": "warning"}[str(rule.severity)],
        },
        "properties": {"tags": [tag]},
    }


EXPECTED_RULES = [
    {"id": "C009", "name": "undocumented-table"},
    {"id": "D001", "name": "drop-table"},
    {"id": "D002", "name": "drop-column"},
    {"id": "E003", "name": "unreadable-file"},
    _descriptor(TableNameSnakeCase, "naming"),
    {"id": "S001", "name": "add-required-column"},
    _descriptor(CreateIndexBlocking, "PostgreSQL lock and rewrite safety"),
    {"id": "S012", "name": "lock-timeout-missing"},
]


def test_whole_sarif_log():
    assert _sarif(sample_result()) == {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "dbvet", "version": linter.__version__, "rules": EXPECTED_RULES}},
                "columnKind": "unicodeCodePoints",
                "results": EXPECTED_RESULTS,
            }
        ],
    }


def test_sarif_text_layout():
    text = render("sarif", sample_result(), rules=RULES)
    assert text.startswith('{\n  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",\n  "version": "2.1.0",\n')
    assert text.endswith("\n}\n")
    assert "顧客" in text  # ensure_ascii=False


def test_every_given_rule_is_described_even_without_findings():
    rules = _sarif(RunResult([], 1))["runs"][0]["tool"]["driver"]["rules"]
    assert rules == [
        _descriptor(TableNameSnakeCase, "naming"),
        _descriptor(CreateIndexBlocking, "PostgreSQL lock and rewrite safety"),
    ]
    assert _sarif(RunResult([], 1))["runs"][0]["results"] == []


def test_info_is_note_and_levels_map():
    class Info(CreateIndexBlocking):
        id = "K005"
        severity = Severity.INFO

    driver = _sarif(RunResult([], 1), {"K005": Info})["runs"][0]["tool"]["driver"]
    assert driver["rules"][0]["defaultConfiguration"] == {"enabled": True, "level": "note"}
    assert driver["rules"][0]["properties"] == {"tags": ["keys and indexes"]}


# --- structural validation against the SARIF 2.1.0 schema's requirements -------------------
# No PyPI package ships the OASIS schema file, so the constraints dbvet's output touches are
# checked here by hand: required properties, enums, minimums and cross references.

_LEVELS = {"none", "note", "warning", "error"}
_URI_REFERENCE = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*$")


def _multiformat(value):
    assert isinstance(value, dict) and isinstance(value["text"], str)
    assert set(value) <= {"text", "markdown", "properties"}


def _validate(log: dict) -> None:
    assert set(log) == {"$schema", "version", "runs"}
    assert log["version"] == "2.1.0"
    assert isinstance(log["runs"], list) and len(log["runs"]) == 1
    run = log["runs"][0]
    assert run["columnKind"] in {"utf16CodeUnits", "unicodeCodePoints"}
    driver = run["tool"]["driver"]
    assert isinstance(driver["name"], str) and driver["name"]
    ids = [rule["id"] for rule in driver["rules"]]
    assert len(ids) == len(set(ids))
    for rule in driver["rules"]:
        assert isinstance(rule["id"], str)
        for key in ("shortDescription", "fullDescription", "help"):
            if key in rule:
                _multiformat(rule[key])
        if "defaultConfiguration" in rule:
            assert rule["defaultConfiguration"]["level"] in _LEVELS
            assert isinstance(rule["defaultConfiguration"]["enabled"], bool)
        if "properties" in rule:
            tags = rule["properties"]["tags"]
            assert len(tags) == len(set(tags)) and all(isinstance(tag, str) for tag in tags)
    for result in run["results"]:
        assert isinstance(result["message"]["text"], str)
        assert result["level"] in _LEVELS
        assert result["ruleIndex"] >= 0 and driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        (location,) = result["locations"]
        artifact = location["physicalLocation"]["artifactLocation"]
        assert _URI_REFERENCE.match(artifact["uri"]), artifact["uri"]
        region = location["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert region["endLine"] >= region["startLine"] and region["endColumn"] >= 1
        if region["endLine"] == region["startLine"]:
            assert region["endColumn"] >= region["startColumn"]
        assert all(isinstance(v, str) for v in result["partialFingerprints"].values())


def test_output_meets_the_schema_requirements():
    _validate(_sarif(sample_result()))


def test_odd_positions_are_clamped_into_a_valid_region():
    finding = Finding("X001", "x", Severity.ERROR, "m", "a b/#1%.sql", 0, 0, 0, 0)
    log = _sarif(RunResult([finding], 1))
    _validate(log)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location == {
        "artifactLocation": {"uri": "a%20b/%231%25.sql", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 1},
    }


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("db/m.sql", {"uri": "db/m.sql", "uriBaseId": "%SRCROOT%"}),
        ("./db/m.sql", {"uri": "db/m.sql", "uriBaseId": "%SRCROOT%"}),
        ("db/naïve [1].sql", {"uri": "db/na%C3%AFve%20%5B1%5D.sql", "uriBaseId": "%SRCROOT%"}),
        ("/srv/app/db/m 1.sql", {"uri": "file:///srv/app/db/m%201.sql"}),
        ("C:/work/db/m.sql", {"uri": "file:///C:/work/db/m.sql"}),
    ],
)
def test_artifact_locations(path, location):
    assert artifact_location(path) == location


def _fingerprints(text: str, findings: list[Finding]) -> list[str]:
    result = RunResult(findings, 1, {"m.sql": SourceFile("m.sql", text)})
    return [r["partialFingerprints"]["dbvetLineHash/v1"] for r in _sarif(result)["runs"][0]["results"]]


def test_fingerprint_survives_the_line_moving():
    before = _fingerprints(
        "DROP TABLE a;\n", [Finding("D001", "drop-table", Severity.ERROR, "m", "m.sql", 1, 1, 1, 13)]
    )
    after = _fingerprints(
        "-- a comment\n\n   DROP TABLE a;  \n",
        [Finding("D001", "drop-table", Severity.ERROR, "m 2", "m.sql", 3, 4, 3, 16)],
    )
    assert before == after


def test_fingerprint_differs_by_rule_line_text_and_counts_identical_lines():
    text = "DROP TABLE a;\nDROP TABLE a;\nDROP TABLE b;\n"
    findings = [Finding("D001", "drop-table", Severity.ERROR, "m", "m.sql", line, 1, line, 13) for line in (1, 2, 3)]
    findings.append(Finding("D006", "drop-cascade", Severity.ERROR, "m", "m.sql", 3, 1, 3, 13))
    first, second, third, other_rule = _fingerprints(text, findings)
    assert first.endswith(":1") and second.endswith(":2") and first[:-2] == second[:-2]
    assert third.endswith(":1") and third[:-2] != first[:-2]
    assert other_rule.endswith(":1") and other_rule[:-2] != third[:-2]


def test_old_style_workflow_command_is_escaped():
    finding = Finding("X001", "x", Severity.ERROR, "##[add-mask]s", "a.sql", 1, 1, 1, 1)
    text = render("sarif", RunResult([finding], 1), rules={})
    assert "##[" not in text
    assert json.loads(text)["runs"][0]["results"][0]["message"]["text"] == "##[add-mask]s"
