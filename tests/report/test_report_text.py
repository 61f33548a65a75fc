from __future__ import annotations

import pytest
from report_sample import INDEX_PATH, sample_result

from linter.findings import Finding, RunResult, Severity
from linter.report import render
from linter.report.text import excerpt, finding_block
from linter.source import SourceFile

WJ = "\u2060"

EXPECTED = (
    'db/migrations/0002_index.sql:2:1: S005 [error] CREATE INDEX on existing table "orders" blocks writes to it until the index is built\n'
    "  2 | CREATE INDEX orders_customer_id_idx ON orders (customer_id);\n"
    "    | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
    '  lock: SHARE on "orders": blocks inserts, updates and deletes; reads continue, until commit\n'
    "  fix: CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);\n"
    "       -- alone in its migration file\n"
    "\n"
    'db/migrations/0003_crlf.sql:1:1: S012 [warning] ALTER TABLE "orders" takes a lock with no lock_timeout set\n'
    "  1 | ALTER TABLE orders\n"
    "    | ^^^^^^^^^^^^^^^^^^\n"
    "\n"
    'db/migrations/0003_crlf.sql:2:3: D002 [error] DROP COLUMN "legacy" breaks running code\n'
    "  2 |   DROP COLUMN legacy;\n"
    "    |   ^^^^^^^^^^^^^^^^^^\n"
    "\n"
    'db/migrations/0004 café.sql:2:18: S001 [error] ADD COLUMN "tag" NOT NULL without a default fails on a non-empty table "顧客"\n'
    '  2 | ALTER TABLE "顧客" ADD COLUMN tag text NOT NULL;\n'
    "    |                    ^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n"
    "\n"
    'db/migrations/0004 café.sql:3:2: D001 [error] DROP TABLE "x"\n'
    "  3 |     DROP TABLE x;\n"
    "    |     ^^^^^^^^^^^^\n"
    "\n"
    "db/migrations/0005_bin.sql:1:1: E003 [error] binary file (contains NUL bytes); expected UTF-8 text\n"
    "\n"
    'prisma/schema.prisma:1:1: C009 [info] model "Evil" has no /// comment\n'
    "  1 | model Evil {\n"
    "    | ^^^^^\n"
    "\n"
    'prisma/schema.prisma:1:7: N001 [warning] table name "a,b:c\n'
    f"    :{WJ}:stop-commands::x %0A\n"
    f'    :{WJ}:add-mask::y" is not snake_case\n'
    "  1 | model Evil {\n"
    "    |       ^^^^\n"
    '  fix: @@map("a_b_c")\n'
    "\n"
    "Found 8 findings (5 errors, 2 warnings, 1 info) in 6 files.\n"
)


def test_whole_text_output():
    assert render("text", sample_result()) == EXPECTED


def test_text_is_deterministic_and_plain_without_color():
    first = render("text", sample_result())
    assert first == render("text", sample_result())
    assert "\x1b" not in first


def test_color_marks_rule_severity_and_carets():
    block = render("text", sample_result(), color=True).split("\n\n")[0].split("\n")
    assert block[0] == (
        "db/migrations/0002_index.sql:2:1: \x1b[1m\x1b[31mS005\x1b[0m \x1b[31m[error]\x1b[0m "
        'CREATE INDEX on existing table "orders" blocks writes to it until the index is built'
    )
    assert block[2] == "    | \x1b[31m" + "^" * 59 + "\x1b[0m"


@pytest.mark.parametrize(
    ("severity", "code"), [(Severity.ERROR, "31"), (Severity.WARNING, "33"), (Severity.INFO, "34")]
)
def test_severity_colors(severity, code):
    finding = Finding("X001", "x", severity, "m", "a.sql", 1, 1, 1, 2)
    assert finding_block(finding, None, color=True) == (
        f"a.sql:1:1: \x1b[1m\x1b[{code}mX001\x1b[0m \x1b[{code}m[{severity}]\x1b[0m m"
    )


@pytest.mark.parametrize(
    ("findings", "files", "summary"),
    [
        (0, 1, "No findings in 1 file.\n"),
        (0, 3, "No findings in 3 files.\n"),
        (1, 1, "Found 1 finding (1 error, 0 warnings, 0 infos) in 1 file.\n"),
        (2, 2, "Found 2 findings (2 errors, 0 warnings, 0 infos) in 2 files.\n"),
    ],
)
def test_summary_singular_and_plural(findings, files, summary):
    result = RunResult(
        [Finding("E003", "unreadable-file", Severity.ERROR, "m", f"f{i}.sql", 1, 1, 1, 1) for i in range(findings)],
        files,
    )
    assert render("text", result).split("\n\n")[-1] == summary


def test_one_warning_and_one_info_are_singular():
    result = RunResult(
        [
            Finding("N001", "n", Severity.WARNING, "w", "a.sql", 1, 1, 1, 1),
            Finding("C009", "c", Severity.INFO, "i", "a.sql", 2, 1, 2, 1),
        ],
        1,
    )
    assert render("text", result).endswith("\n\nFound 2 findings (0 errors, 1 warning, 1 info) in 1 file.\n")


@pytest.mark.parametrize(
    ("line", "column", "end_column", "expected"),
    [
        # ASCII: carets from the column up to (not including) the end column
        ("abc def", 5, 8, ("abc def", 4, 3)),
        # an empty range still gets one caret
        ("abc def", 5, 5, ("abc def", 4, 1)),
        # an end before the start is treated as empty
        ("abc def", 5, 2, ("abc def", 4, 1)),
        # a column past the end of the line points just after it
        ("abc", 9, 12, ("abc", 3, 1)),
        # column 0 (should not happen) is read as column 1
        ("abc", 0, 2, ("abc", 0, 1)),
        # wide characters take two cells each, before and inside the span
        ("表 x", 3, 4, ("表 x", 3, 1)),
        ("a表表b", 2, 4, ("a表表b", 1, 4)),
        # Latin letters with diacritics are one cell; a combining accent is none
        ("café x", 6, 7, ("café x", 5, 1)),
        ("cafe\u0301 x", 7, 8, ("cafe\u0301 x", 5, 1)),
        # tabs expand to the next multiple of four cells
        ("\tx", 2, 3, ("    x", 4, 1)),
        ("ab\tx", 4, 5, ("ab  x", 4, 1)),
        ("\t\tx", 1, 3, ("        x", 0, 8)),
        # control characters are shown as pictures, one cell each
        ("a\x1b[31mb", 7, 8, ("a\u241b[31mb", 6, 1)),
        ("a\x0cb", 3, 4, ("a\u240cb", 2, 1)),
    ],
)
def test_excerpt_layout(line, column, end_column, expected):
    assert excerpt(line, column, end_column) == expected


def test_long_line_is_cut_to_a_window_around_the_finding():
    line = "x" * 300 + "TARGET" + "y" * 300
    shown, pad, width = excerpt(line, 301, 307)
    assert shown == "…" + "x" * 60 + "TARGET" + "y" * 134 + "…"
    assert (pad, width) == (61, 6)
    assert shown[pad : pad + width] == "TARGET"


def test_long_line_window_at_the_end_and_a_span_running_past_it():
    line = "a" * 250
    assert excerpt(line, 248, 251) == ("…" + "a" * 200, 198, 3)
    shown, pad, width = excerpt(line, 1, 251)
    assert (shown, pad, width) == ("a" * 200 + "…", 0, 200)


def test_multi_line_finding_underlines_to_the_end_of_its_first_line():
    source = SourceFile("m.sql", "UPDATE t\nSET a = 1;\n")
    finding = Finding("D007", "unfiltered-dml", Severity.ERROR, "no WHERE", "m.sql", 1, 1, 2, 11)
    assert finding_block(finding, source) == "m.sql:1:1: D007 [error] no WHERE\n  1 | UPDATE t\n    | ^^^^^^^^"


def test_cr_only_line_endings():
    source = SourceFile("m.sql", "SELECT 1;\rDROP TABLE t;\r")
    finding = Finding("D001", "drop-table", Severity.ERROR, "m", "m.sql", 2, 1, 2, 13)
    assert finding_block(finding, source).split("\n")[1:] == ["  2 | DROP TABLE t;", "    | " + "^" * 12]


def test_line_number_gutter_grows_with_the_number():
    source = SourceFile("m.sql", "\n" * 99 + "DROP TABLE t;\n")
    finding = Finding("D001", "drop-table", Severity.ERROR, "m", "m.sql", 100, 6, 100, 11)
    assert finding_block(finding, source).split("\n")[1:] == ["  100 | DROP TABLE t;", "      |      ^^^^^"]


@pytest.mark.parametrize(("text", "line"), [("", 1), ("   \n", 1), ("a\n", 7)])
def test_no_excerpt_for_blank_or_missing_lines(text, line):
    source = SourceFile("m.sql", text)
    finding = Finding("R007", "empty-migration", Severity.WARNING, "empty", "m.sql", line, 1, line, 1)
    assert finding_block(finding, source) == f"m.sql:{line}:1: R007 [warning] empty"


def test_multi_line_lock_with_blank_line_and_tab():
    finding = Finding("S001", "x", Severity.ERROR, "m", "a.sql", 1, 1, 1, 1, lock="first\r\n\n\tthird", fix="one")
    assert finding_block(finding, None) == "a.sql:1:1: S001 [error] m\n  lock: first\n\n            third\n  fix: one"


def test_untrusted_path_and_text_cannot_issue_workflow_commands():
    source = SourceFile("::stop-commands::tok.sql", "  ##[add-mask]secret\n")
    finding = Finding(
        "N001",
        "n",
        Severity.WARNING,
        "bad ##[set-output name=x]y\n  ::add-mask::z",
        "::stop-commands::tok.sql",
        1,
        3,
        1,
        4,
        fix="SELECT a\n  ::int",
    )
    lines = finding_block(finding, source).split("\n")
    assert lines == [
        f":{WJ}:stop-commands::tok.sql:1:3: N001 [warning] bad #{WJ}#[set-output name=x]y",
        f"      :{WJ}:add-mask::z",
        f"  1 |   #{WJ}#[add-mask]secret",
        "    |   ^",
        "  fix: SELECT a",
        f"         :{WJ}:int",
    ]
    for line in lines:
        assert not line.lstrip().startswith("::") and "##[" not in line


def test_escape_sequences_in_messages_are_not_sent_to_the_terminal():
    finding = Finding("N001", "n", Severity.WARNING, 'name "\x1b]0;pwned\x07x"', "a.sql", 1, 1, 1, 1)
    assert finding_block(finding, None) == 'a.sql:1:1: N001 [warning] name "\u241b]0;pwned\u2407x"'


def test_finding_for_a_file_without_source_still_renders():
    result = RunResult([Finding("S005", "c", Severity.ERROR, "m", INDEX_PATH, 2, 1, 2, 60)], 1, {})
    assert render("text", result) == (
        "db/migrations/0002_index.sql:2:1: S005 [error] m\n\nFound 1 finding (1 error, 0 warnings, 0 infos) in 1 file.\n"
    )


def test_trailing_line_break_in_a_message_adds_no_blank_line():
    finding = Finding("N001", "n", Severity.WARNING, "name\r\n", "a.sql", 1, 1, 1, 1)
    assert finding_block(finding, None) == "a.sql:1:1: N001 [warning] name"


def test_quiet_prints_one_header_per_finding_only():
    assert render("text", sample_result(), quiet=True) == (
        'db/migrations/0002_index.sql:2:1: S005 [error] CREATE INDEX on existing table "orders" blocks writes to it '
        "until the index is built\n"
        'db/migrations/0003_crlf.sql:1:1: S012 [warning] ALTER TABLE "orders" takes a lock with no lock_timeout set\n'
        'db/migrations/0003_crlf.sql:2:3: D002 [error] DROP COLUMN "legacy" breaks running code\n'
        'db/migrations/0004 café.sql:2:18: S001 [error] ADD COLUMN "tag" NOT NULL without a default fails on a '
        'non-empty table "顧客"\n'
        'db/migrations/0004 café.sql:3:2: D001 [error] DROP TABLE "x"\n'
        "db/migrations/0005_bin.sql:1:1: E003 [error] binary file (contains NUL bytes); expected UTF-8 text\n"
        'prisma/schema.prisma:1:1: C009 [info] model "Evil" has no /// comment\n'
        'prisma/schema.prisma:1:7: N001 [warning] table name "a,b:c\n'
        f"    :{WJ}:stop-commands::x %0A\n"
        f'    :{WJ}:add-mask::y" is not snake_case\n'
    )
    assert render("text", RunResult([], 4), quiet=True) == ""
