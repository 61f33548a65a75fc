from __future__ import annotations

import xml.etree.ElementTree as ET

from report_sample import empty_result, sample_result

from linter.findings import Finding, RunResult, Severity
from linter.report import render
from linter.report.text import finding_block

WJ = "\u2060"

EMPTY = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<testsuites name="dbvet" tests="1" failures="0" errors="0">\n'
    '  <testsuite name="dbvet" tests="1" failures="0" errors="0" skipped="0">\n'
    '    <testcase classname="dbvet" name="dbvet" />\n'
    "  </testsuite>\n"
    "</testsuites>\n"
)


def test_clean_run_is_one_passing_test_case():
    assert render("junit", empty_result(2)) == EMPTY


def test_findings_are_failed_test_cases():
    result = sample_result()
    root = ET.fromstring(render("junit", result))
    assert root.tag == "testsuites" and root.attrib == {"name": "dbvet", "tests": "8", "failures": "8", "errors": "0"}
    (suite,) = root
    assert suite.attrib == {"name": "dbvet", "tests": "8", "failures": "8", "errors": "0", "skipped": "0"}
    cases = [(case.attrib["classname"], case.attrib["name"]) for case in suite]
    assert cases == [
        ("db/migrations/0002_index.sql", "S005 2:1"),
        ("db/migrations/0003_crlf.sql", "S012 1:1"),
        ("db/migrations/0003_crlf.sql", "D002 2:3"),
        ("db/migrations/0004 café.sql", "S001 2:18"),
        ("db/migrations/0004 café.sql", "D001 3:2"),
        ("db/migrations/0005_bin.sql", "E003 1:1"),
        ("prisma/schema.prisma", "C009 1:1"),
        ("prisma/schema.prisma", "N001 1:7"),
    ]
    ordered = sorted(result.findings, key=lambda f: f.sort_key)
    for case, finding in zip(suite, ordered):
        (failure,) = case
        assert failure.tag == "failure"
        # the injected message comes back exactly, CR included (ElementTree writes it as &#13;)
        assert failure.attrib == {"message": finding.message, "type": str(finding.severity)}
        assert failure.text == finding_block(finding, result.sources.get(finding.path))


def test_exact_xml_of_one_finding_with_escapes():
    finding = Finding("N001", "n", Severity.WARNING, 'a <b> & "c"\nd', "x&y.sql", 1, 1, 1, 2, fix="<fix>")
    assert render("junit", RunResult([finding], 1)) == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<testsuites name="dbvet" tests="1" failures="1" errors="0">\n'
        '  <testsuite name="dbvet" tests="1" failures="1" errors="0" skipped="0">\n'
        '    <testcase classname="x&amp;y.sql" name="N001 1:1">\n'
        '      <failure message="a &lt;b&gt; &amp; &quot;c&quot;&#10;d" type="warning">'
        'x&amp;y.sql:1:1: N001 [warning] a &lt;b&gt; &amp; "c"\n'
        "    d\n"
        "  fix: &lt;fix&gt;</failure>\n"
        "    </testcase>\n"
        "  </testsuite>\n"
        "</testsuites>\n"
    )


def test_characters_xml_cannot_hold_are_dropped_or_shown():
    finding = Finding(
        "N001", "n", Severity.WARNING, "a\x00b\x1b c ##[add-mask]x \ufffe\U0001f600", "m\x01.sql", 1, 1, 1, 2
    )
    text = render("junit", RunResult([finding], 1))
    assert text.split("\n")[3:5] == [
        '    <testcase classname="m\u2401.sql" name="N001 1:1">',
        (
            '      <failure message="a\u2400b\u241b c ##&#91;add-mask]x \U0001f600" type="warning">'
            f"m\u2401.sql:1:1: N001 [warning] a\u2400b\u241b c #{WJ}#[add-mask]x \U0001f600</failure>"
        ),
    ]
    failure = ET.fromstring(text)[0][0][0]
    assert failure.attrib["message"] == "a\u2400b\u241b c ##[add-mask]x \U0001f600"
    assert "##[" not in text
