"""The command line as users and CI see it: exit codes, output shapes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rules import all_rules

from harness import write_tree
from linter import __version__
from linter.cli import main

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def project(tmp_path, monkeypatch):
    write_tree(
        tmp_path,
        {
            "db/migrations/postgres/0001_orders.up.sql": "CREATE TABLE orders (id bigint PRIMARY KEY, note text);\n",
            "db/migrations/postgres/0001_orders.down.sql": "DROP TABLE orders;\n",
            "db/migrations/postgres/0002_note.up.sql": "-- index the notes\nCREATE INDEX orders_note_idx ON orders (note);\n",
            "db/migrations/postgres/0002_note.down.sql": "DROP INDEX orders_note_idx;\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_json_output_has_the_documented_shape(project, capsys):
    assert main(["check", "--format", "json", "--select", "S005"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report == {
        "version": 1,
        "tool": {"name": "dbvet", "version": __version__},
        "findings": [
            {
                "rule": "S005",
                "name": "create-index-blocking",
                "severity": "error",
                "message": 'CREATE INDEX on existing table "orders" blocks writes to it until the index is built',
                "path": "db/migrations/postgres/0002_note.up.sql",
                "line": 2,
                "column": 1,
                "end_line": 2,
                "end_column": 46,
                "lock": 'SHARE on "orders": blocks inserts, updates and deletes; reads continue, '
                "until the index is built and the transaction commits",
                "fix": report["findings"][0]["fix"],
                "docs": "dbvet explain S005",
            }
        ],
        "summary": {"files": 4, "findings": 1, "by_severity": {"error": 1, "warning": 0, "info": 0}},
    }
    assert "CREATE INDEX CONCURRENTLY orders_note_idx ON orders (note);" in report["findings"][0]["fix"]


def test_fail_on_decides_the_exit_code(project, capsys):
    assert main(["check", "--select", "S005", "--fail-on", "never"]) == 0
    assert main(["check", "--select", "S005,S012", "--ignore", "S005"]) == 0  # S012 is a warning
    assert main(["check", "--select", "S012", "--fail-on", "warning"]) == 1
    assert main(["check", "--select", "S"]) == 1
    capsys.readouterr()


def test_single_file_reports_only_that_file_with_its_set_as_context(project, capsys):
    # The index is on a table from migration 0001: dbvet must load the set to know that.
    assert main(["check", "--format", "json", "--select", "S005", "db/migrations/postgres/0001_orders.up.sql"]) == 0
    assert json.loads(capsys.readouterr().out)["findings"] == []
    assert main(["check", "--format", "json", "--select", "S005", "db/migrations/postgres/0002_note.up.sql"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["rule"], f["path"]) for f in findings] == [("S005", "db/migrations/postgres/0002_note.up.sql")]


def test_output_file_is_written(project, capsys):
    assert main(["check", "--format", "sarif", "--select", "S005", "--output", "out/dbvet.sarif"]) == 1
    assert capsys.readouterr().out == ""
    sarif = json.loads((project / "out" / "dbvet.sarif").read_text(encoding="utf-8"))
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["S005"]


@pytest.mark.parametrize(
    ("output", "message"),
    [
        (".", "dbvet: cannot write .: Is a directory\n"),
        ("/", "dbvet: cannot write /: Is a directory\n"),
        ("..", "dbvet: cannot write ..: Is a directory\n"),
        ("db", "dbvet: cannot write db: Is a directory\n"),
        ("notes.txt/report.sarif", "dbvet: cannot write notes.txt/report.sarif: Not a directory\n"),
        ("notes.txt/more/report.sarif", "dbvet: cannot write notes.txt/more/report.sarif: Not a directory\n"),
    ],
)
def test_an_output_that_cannot_be_a_file_is_one_line_and_leaves_nothing(project, capsys, output, message):
    (project / "notes.txt").write_text("notes\n", encoding="utf-8")
    before = sorted(str(path.relative_to(project)) for path in project.rglob("*"))
    assert main(["check", "--format", "sarif", "--output", output]) == 2
    assert capsys.readouterr() == ("", message)
    assert sorted(str(path.relative_to(project)) for path in project.rglob("*")) == before


def test_a_failed_rename_leaves_no_temporary_file(project, capsys, monkeypatch):
    def refused(source, target):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refused)
    assert main(["check", "--format", "sarif", "--output", "out/dbvet.sarif"]) == 2
    assert capsys.readouterr() == ("", "dbvet: cannot write out/dbvet.sarif: Permission denied\n")
    assert list((project / "out").iterdir()) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["check", "missing/dir"], "dbvet: path not found: missing/dir"),
        (["check", "--select", "Z123"], "Z123"),
        (["explain", "X999"], "dbvet: unknown rule 'X999'; `dbvet rules` lists them"),
        (["check", "--format", "xml"], "invalid choice: 'xml'"),
    ],
)
def test_user_errors_exit_2_with_one_line(project, capsys, argv, message):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_bad_configuration_exits_2(project, capsys):
    (project / ".dbvet.yaml").write_text("selct: [S005]\n", encoding="utf-8")
    assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert "selct" in err and err.count("\n") == 1


def test_rules_lists_every_rule(capsys):
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    for rule_id, rule in all_rules().items():
        assert rule_id in out and rule.name in out


def test_explain_renders_the_documentation(capsys):
    assert main(["explain", "S005"]) == 0
    out = capsys.readouterr().out
    rule = all_rules()["S005"]
    assert rule.doc.what.split(".")[0] in out.replace("\n", " ") or "create-index-blocking" in out
    assert "CREATE INDEX CONCURRENTLY orders_customer_id_idx" in out


def test_python_dash_m_and_the_example_project():
    """`python -m linter` works, and the README's example gives the findings it promises."""
    run = subprocess.run(
        [sys.executable, "-m", "linter", "check", "--format", "json", "examples/"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert run.returncode == 1, run.stderr
    findings = json.loads(run.stdout)["findings"]
    assert [(f["rule"], f["path"], f["line"]) for f in findings] == [
        ("R001", "examples/shop/prisma/migrations/20240101000000_init/migration.sql", 1),
        ("R001", "examples/shop/prisma/migrations/20240301000000_order_lookup/migration.sql", 1),
        ("S005", "examples/shop/prisma/migrations/20240301000000_order_lookup/migration.sql", 2),
        ("S012", "examples/shop/prisma/migrations/20240301000000_order_lookup/migration.sql", 2),
        ("N002", "examples/shop/prisma/schema.prisma", 27),
    ]


def test_nothing_to_check_says_so(tmp_path, monkeypatch, capsys):
    (tmp_path / "notes.txt").write_text("nothing here", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 0
    captured = capsys.readouterr()
    assert captured.err == "dbvet: no migration sets or Prisma schemas found in .\n"
    assert captured.out == "No findings in 0 files.\n"


def test_schema_command_prints_the_replayed_schema(project, capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["tables"]["public.orders"]["columns"] == {
        "id": {"type": "bigint", "nullable": False, "default": None, "comment": None},
        "note": {"type": "text", "nullable": True, "default": None, "comment": None},
    }
    assert schema["tables"]["public.orders"]["primary_key"] == ["id"]
    assert [index["name"] for index in schema["tables"]["public.orders"]["indexes"]] == ["orders_note_idx"]


def test_schema_command_without_inputs_is_a_user_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["schema"]) == 2
    assert capsys.readouterr().err == "dbvet: no migration sets or Prisma schemas found in .\n"
