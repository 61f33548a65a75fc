"""Baselines: recorded findings stay recorded when lines move, edited statements become new,
identical statements are separate entries, fixed entries are counted, bad files are one line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from harness import write_tree

from linter import __version__
from linter.baseline import normalise
from linter.cli import main

SET = "db/migrations/postgres"
ORDERS = "CREATE TABLE orders (id bigint PRIMARY KEY, note text, total numeric);\n"


@pytest.fixture
def project(tmp_path, monkeypatch):
    write_tree(
        tmp_path,
        {
            f"{SET}/0001_orders.up.sql": ORDERS,
            f"{SET}/0001_orders.down.sql": "DROP TABLE orders;\n",
            f"{SET}/0002_note.up.sql": "-- index the notes\nCREATE INDEX orders_note_idx ON orders (note);\n",
            f"{SET}/0002_note.down.sql": "DROP INDEX orders_note_idx;\n",
            f"{SET}/0003_total.up.sql": "CREATE INDEX orders_total_idx ON orders (total);\n",
            f"{SET}/0003_total.down.sql": "DROP INDEX orders_total_idx;\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _check(capsys, *args: str) -> tuple[int, list[tuple[str, str, int, int]], str]:
    """Exit code, (rule, path, line, column) of each reported finding, and stderr."""
    code = main(["check", "--format", "json", "--select", "S005", *args])
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    return code, [(f["rule"], f["path"], f["line"], f["column"]) for f in report["findings"]], captured.err


def _write(project: Path, relative: str, text: str) -> None:
    (project / relative).write_text(text, encoding="utf-8")


def test_the_written_baseline_is_sorted_stable_json(project, capsys):
    assert _check(capsys, "--write-baseline", "baseline.json") == (
        0,
        [],
        "dbvet: recorded 2 findings in baseline.json\n",
    )
    text = (project / "baseline.json").read_text(encoding="utf-8")
    document = json.loads(text)
    assert document["version"] == 1
    assert document["tool"] == {"name": "dbvet", "version": __version__}
    message = 'CREATE INDEX on existing table "orders" blocks writes to it until the index is built'
    assert [(e["rule"], e["path"], e["message"]) for e in document["findings"]] == [
        ("S005", f"{SET}/0002_note.up.sql", message),
        ("S005", f"{SET}/0003_total.up.sql", message),
    ]
    assert all(re.fullmatch(r"[0-9a-f]{64}", e["fingerprint"]) for e in document["findings"])
    assert list(document) == ["version", "tool", "findings"]
    assert text.endswith("}\n") and "\r" not in text
    # The fingerprint is a contract with every baseline already committed: it must not drift.
    assert document["findings"][0]["fingerprint"] == "e749389c8a5a298642e0d3b6d83a41580c87c82704123f9962267c04742cc4ed"

    # Writing again gives the same bytes.
    assert _check(capsys, "--write-baseline", "baseline.json")[0] == 0
    assert (project / "baseline.json").read_text(encoding="utf-8") == text


def test_findings_stay_recorded_when_lines_move_and_comments_or_spacing_change(project, capsys):
    assert _check(capsys, "--write-baseline", "baseline.json")[0] == 0
    _write(
        project,
        f"{SET}/0002_note.up.sql",
        "-- a new first line\n\n-- index the notes, reworded\nCREATE   INDEX orders_note_idx\n  ON orders (note) ;\n",
    )
    _write(
        project, f"{SET}/0003_total.up.sql", "SELECT 1;\n/* moved */ CREATE INDEX orders_total_idx ON orders (total);\n"
    )
    assert _check(capsys) == (
        1,
        [("S005", f"{SET}/0002_note.up.sql", 4, 1), ("S005", f"{SET}/0003_total.up.sql", 2, 13)],
        "",
    )
    assert _check(capsys, "--baseline", "baseline.json") == (0, [], "")


def test_an_edited_statement_is_new_and_its_old_entry_counts_as_fixed(project, capsys):
    assert _check(capsys, "--write-baseline", "baseline.json")[0] == 0
    _write(project, f"{SET}/0003_total.up.sql", "CREATE INDEX orders_total_idx ON orders (total, id);\n")
    assert _check(capsys, "--baseline", "baseline.json") == (
        1,
        [("S005", f"{SET}/0003_total.up.sql", 1, 1)],
        "dbvet: 1 baselined finding no longer occurs (fixed); rerun with --write-baseline baseline.json to drop it\n",
    )


def test_fixed_entries_are_counted_and_dropped_by_rewriting(project, capsys):
    assert _check(capsys, "--write-baseline", "baseline.json")[0] == 0
    _write(project, f"{SET}/0002_note.up.sql", "CREATE INDEX CONCURRENTLY orders_note_idx ON orders (note);\n")
    _write(project, f"{SET}/0003_total.up.sql", "CREATE INDEX CONCURRENTLY orders_total_idx ON orders (total);\n")
    assert _check(capsys, "--baseline", "baseline.json") == (
        0,
        [],
        "dbvet: 2 baselined findings no longer occur (fixed); rerun with --write-baseline baseline.json to drop them\n",
    )
    assert _check(capsys, "--baseline", "baseline.json", "--write-baseline", "baseline.json") == (
        0,
        [],
        "dbvet: recorded 0 findings in baseline.json (0 new, 2 fixed dropped)\n",
    )
    assert json.loads((project / "baseline.json").read_text())["findings"] == []
    assert _check(capsys, "--baseline", "baseline.json") == (0, [], "")


def test_identical_statements_are_separate_entries(project, capsys):
    twice = "CREATE INDEX ON orders (note);\nCREATE INDEX ON orders (note);\n"
    _write(project, f"{SET}/0003_total.up.sql", twice)
    assert _check(capsys, "--write-baseline", "baseline.json")[2] == "dbvet: recorded 3 findings in baseline.json\n"
    entries = json.loads((project / "baseline.json").read_text())["findings"]
    assert len({e["fingerprint"] for e in entries}) == 3

    # A third copy is one new finding; the two recorded ones stay recorded.
    _write(project, f"{SET}/0003_total.up.sql", twice + "CREATE INDEX ON orders (note);\n")
    assert _check(capsys, "--baseline", "baseline.json") == (1, [("S005", f"{SET}/0003_total.up.sql", 3, 1)], "")

    # Down to one copy: one recorded finding is fixed, whichever of the two it was.
    _write(project, f"{SET}/0003_total.up.sql", "\n" + twice.split("\n")[0] + "\n")
    assert _check(capsys, "--baseline", "baseline.json") == (
        0,
        [],
        "dbvet: 1 baselined finding no longer occurs (fixed); rerun with --write-baseline baseline.json to drop it\n",
    )


def test_files_not_checked_keep_their_entries(project, capsys):
    """pre-commit passes a few files: entries for the others are neither matched nor fixed."""
    assert _check(capsys, "--write-baseline", "baseline.json")[0] == 0
    assert _check(capsys, "--baseline", "baseline.json", f"{SET}/0003_total.up.sql") == (0, [], "")
    # Rewriting from one file keeps the other file's entry.
    assert _check(
        capsys, "--baseline", "baseline.json", "--write-baseline", "baseline.json", f"{SET}/0003_total.up.sql"
    )[2] == ("dbvet: recorded 2 findings in baseline.json (0 new, 0 fixed dropped)\n")
    # A rule that did not run looked for nothing either.
    assert main(["check", "--select", "E", "--baseline", "baseline.json"]) == 0
    assert capsys.readouterr().err == ""


def test_a_deleted_file_within_the_paths_checked_has_its_entries_fixed(project, capsys):
    assert _check(capsys, "--write-baseline", "baseline.json")[0] == 0
    (project / f"{SET}/0003_total.up.sql").unlink()
    (project / f"{SET}/0003_total.down.sql").unlink()
    assert _check(capsys, "--baseline", "baseline.json") == (
        0,
        [],
        "dbvet: 1 baselined finding no longer occurs (fixed); rerun with --write-baseline baseline.json to drop it\n",
    )


def test_an_unreadable_file_is_fingerprinted_by_its_message(project, capsys):
    (project / f"{SET}/0004_blob.up.sql").write_bytes(b"CREATE\x00 TABLE x ();\n")
    code = main(["check", "--format", "json", "--select", "E003", "--write-baseline", "baseline.json"])
    capsys.readouterr()
    assert code == 0
    entries = json.loads((project / "baseline.json").read_text())["findings"]
    assert [(e["rule"], e["path"]) for e in entries] == [("E003", f"{SET}/0004_blob.up.sql")]
    assert main(["check", "--select", "E003", "--baseline", "baseline.json"]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "baseline.json: baseline file not found (write one with --write-baseline baseline.json)"),
        (b"{not json", "baseline.json: not a dbvet baseline: invalid JSON at line 1, column 2"),
        (b"\xff\xfe", "baseline.json: not a dbvet baseline: not valid UTF-8 (byte offset 0)"),
        (b"[]", 'baseline.json: not a dbvet baseline: expected an object with a "findings" list'),
        (
            b'{"version": 2, "findings": []}',
            "baseline.json: baseline version 2 was written by a newer dbvet; this one reads 1",
        ),
        (b'{"version": "1", "findings": []}', "baseline.json: not a dbvet baseline: unsupported \"version\" '1'"),
        (
            b'{"version": 1, "findings": [{"rule": "S005", "path": "x.sql", "fingerprint": "abc"}]}',
            'baseline.json: not a dbvet baseline: findings[0] needs "rule", "path" and a sha256 "fingerprint"',
        ),
    ],
)
def test_a_bad_baseline_is_one_line_and_exit_2(project, capsys, content, problem):
    if content is not None:
        (project / "baseline.json").write_bytes(content)
    assert main(["check", "--baseline", "baseline.json"]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"dbvet: {problem}\n"
    assert captured.out == ""


@pytest.mark.parametrize(
    ("text", "path", "expected"),
    [
        ("CREATE  INDEX -- why\n  ON t (a);", "m.sql", "CREATE INDEX ON t (a);"),
        ("SELECT '-- kept', \"a--b\" /* gone */ FROM t;", "m.sql", "SELECT '-- kept', \"a--b\" FROM t;"),
        ("SELECT $$ -- kept $$, $fn$ /* kept */ $fn$;", "m.sql", "SELECT $$ -- kept $$, $fn$ /* kept */ $fn$;"),
        ("SELECT 'it''s -- kept' -- gone", "m.sql", "SELECT 'it''s -- kept'"),
        (
            'model User {\n  id Int @id // gone\n  url String @default("http://x")\n}',
            "s.prisma",
            'model User { id Int @id url String @default("http://x") }',
        ),
        ('provider = "postgresql" # toml', "migration_lock.toml", 'provider = "postgresql" # toml'),
        ("Mixed Case\r\n\tkept", "m.sql", "Mixed Case kept"),
    ],
)
def test_normalise(text, path, expected):
    assert normalise(text, path) == expected
