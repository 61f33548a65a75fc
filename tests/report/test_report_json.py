from __future__ import annotations

import json

from report_sample import INJECTION, sample_result

import linter
from linter.findings import Finding, RunResult, Severity
from linter.report import render


def _finding(rule, name, severity, message, path, line, column, end_line, end_column, lock=None, fix=None):
    return {
        "rule": rule,
        "name": name,
        "severity": severity,
        "message": message,
        "path": path,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "lock": lock,
        "fix": fix,
        "docs": f"dbvet explain {rule}",
    }


EXPECTED = {
    "version": 1,
    "tool": {"name": "dbvet", "version": linter.__version__},
    "findings": [
        _finding(
            "S005",
            "create-index-blocking",
            "error",
            'CREATE INDEX on existing table "orders" blocks writes to it until the index is built',
            "db/migrations/0002_index.sql",
            2,
            1,
            2,
            60,
            lock='SHARE on "orders": blocks inserts, updates and deletes; reads continue, until commit',
            fix="CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);\n-- alone in its migration file",
        ),
        _finding(
            "S012",
            "lock-timeout-missing",
            "warning",
            'ALTER TABLE "orders" takes a lock with no lock_timeout set',
            "db/migrations/0003_crlf.sql",
            1,
            1,
            2,
            21,
        ),
        _finding(
            "D002",
            "drop-column",
            "error",
            'DROP COLUMN "legacy" breaks running code',
            "db/migrations/0003_crlf.sql",
            2,
            3,
            2,
            21,
        ),
        _finding(
            "S001",
            "add-required-column",
            "error",
            'ADD COLUMN "tag" NOT NULL without a default fails on a non-empty table "顧客"',
            "db/migrations/0004 café.sql",
            2,
            18,
            2,
            46,
        ),
        _finding("D001", "drop-table", "error", 'DROP TABLE "x"', "db/migrations/0004 café.sql", 3, 2, 3, 14),
        _finding(
            "E003",
            "unreadable-file",
            "error",
            "binary file (contains NUL bytes); expected UTF-8 text",
            "db/migrations/0005_bin.sql",
            1,
            1,
            1,
            1,
        ),
        _finding(
            "C009", "undocumented-table", "info", 'model "Evil" has no /// comment', "prisma/schema.prisma", 1, 1, 1, 6
        ),
        _finding(
            "N001",
            "table-name-snake-case",
            "warning",
            INJECTION,
            "prisma/schema.prisma",
            1,
            7,
            1,
            11,
            fix='@@map("a_b_c")',
        ),
    ],
    "summary": {"files": 6, "findings": 8, "by_severity": {"error": 5, "warning": 2, "info": 1}},
}


def test_whole_json_document():
    assert json.loads(render("json", sample_result())) == EXPECTED


def test_json_text_layout():
    text = render("json", sample_result())
    # indent=2, keys in the documented order, non-ASCII kept as is, one trailing newline
    assert text == json.dumps(EXPECTED, indent=2, ensure_ascii=False) + "\n"
    assert '"path": "db/migrations/0004 café.sql"' in text


def test_empty_run():
    assert render("json", RunResult([], 3)) == (
        "{\n"
        '  "version": 1,\n'
        '  "tool": {\n'
        '    "name": "dbvet",\n'
        f'    "version": "{linter.__version__}"\n'
        "  },\n"
        '  "findings": [],\n'
        '  "summary": {\n'
        '    "files": 3,\n'
        '    "findings": 0,\n'
        '    "by_severity": {\n'
        '      "error": 0,\n'
        '      "warning": 0,\n'
        '      "info": 0\n'
        "    }\n"
        "  }\n"
        "}\n"
    )


def test_old_style_workflow_command_is_escaped_but_content_unchanged():
    message = 'name "##[add-mask]secret" \\##[x'
    result = RunResult([Finding("N001", "n", Severity.WARNING, message, "a.sql", 1, 1, 1, 2)], 1)
    text = render("json", result)
    assert "##[" not in text
    assert '"message": "name \\"##\\u005badd-mask]secret\\" \\\\##\\u005bx"' in text
    assert json.loads(text)["findings"][0]["message"] == message


def test_layout_is_exactly_json_dumps_indent_2_for_awkward_text():
    # The renderer writes the findings through the C encoder and indents them itself; the text
    # must be the one json.dumps(indent=2) gives, whatever the strings hold.
    awkward = [
        'quote " and backslash \\ and slash /',
        "line\nbreak\r\nand\ttab \x00\x1f\x7f",
        "non-ASCII é 日本 \u2028 \u2029 😀",
        '"findings": [] inside a message',
        "##[error] and ::warning:: text",
        "",
    ]
    findings = [
        Finding(
            rule="N001",
            name="name",
            severity=Severity.WARNING,
            message=text,
            path=f"db/{text}.sql",
            line=number,
            column=number + 1,
            end_line=number,
            end_column=number + 9,
            lock=text or None,
            fix=None if number % 2 else text,
        )
        for number, text in enumerate(awkward, start=1)
    ]
    findings.sort(key=lambda finding: finding.sort_key)  # as the reporters order them
    result = RunResult(findings=findings, files=3)
    expected = {
        "version": 1,
        "tool": {"name": "dbvet", "version": linter.__version__},
        "findings": [finding.to_json() for finding in findings],
        "summary": {"files": 3, "findings": len(findings), "by_severity": result.by_severity()},
    }
    plain = json.dumps(expected, indent=2, ensure_ascii=False).replace("##[", "##\\u005b") + "\n"
    assert render("json", result) == plain
    assert render("json", RunResult(findings=[], files=0)).count('"findings": []') == 1
