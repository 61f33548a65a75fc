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
