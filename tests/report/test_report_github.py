from __future__ import annotations

import pytest
from report_sample import INJECTION, sample_result

from linter.findings import Finding, RunResult, Severity
from linter.report import render
from linter.report.github import annotation, escape_data, escape_property

WJ = "\u2060"

EXPECTED = (
    "::error file=db/migrations/0002_index.sql,line=2,col=1,endLine=2,endColumn=60,title=S005 create-index-blocking::"
    'CREATE INDEX on existing table "orders" blocks writes to it until the index is built%0A%0A'
    'Lock: SHARE on "orders": blocks inserts, updates and deletes; reads continue, until commit%0A%0A'
    "Fix: CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);%0A-- alone in its migration file\n"
    "::warning file=db/migrations/0003_crlf.sql,line=1,endLine=2,title=S012 lock-timeout-missing::"
    'ALTER TABLE "orders" takes a lock with no lock_timeout set\n'
    "::error file=db/migrations/0003_crlf.sql,line=2,col=3,endLine=2,endColumn=21,title=D002 drop-column::"
    'DROP COLUMN "legacy" breaks running code\n'
    "::error file=db/migrations/0004 café.sql,line=2,col=18,endLine=2,endColumn=46,title=S001 add-required-column::"
    'ADD COLUMN "tag" NOT NULL without a default fails on a non-empty table "顧客"\n'
    "::error file=db/migrations/0004 café.sql,line=3,col=2,endLine=3,endColumn=14,title=D001 drop-table::"
    'DROP TABLE "x"\n'
    "::error file=db/migrations/0005_bin.sql,line=1,col=1,endLine=1,endColumn=1,title=E003 unreadable-file::"
    "binary file (contains NUL bytes); expected UTF-8 text\n"
    "::notice file=prisma/schema.prisma,line=1,col=1,endLine=1,endColumn=6,title=C009 undocumented-table::"
    'model "Evil" has no /// comment\n'
    "::warning file=prisma/schema.prisma,line=1,col=7,endLine=1,endColumn=11,title=N001 table-name-snake-case::"
    'table name "a,b:c%0A::stop-commands::x %250A%0D::add-mask::y" is not snake_case%0A%0AFix: @@map("a_b_c")\n'
    "dbvet: 8 findings (5 errors, 2 warnings, 1 info) in 6 files.\n"
)

REGISTERED = {
    "error",
    "warning",
    "notice",
    "debug",
    "group",
    "endgroup",
    "add-mask",
    "stop-commands",
    "set-output",
    "echo",
}


def _parse_v2(line: str) -> tuple[str, dict[str, str], str] | None:
    """The runner's reading of one log line (actions/runner ActionCommand.TryParseV2)."""
    line = line.lstrip()
    if not line.startswith("::"):
        return None
    end = line.find("::", 2)
    if end < 0:
        return None
    info = line[2:end]
    name, _, props = info.partition(" ")
    if name not in REGISTERED:
        return None
    properties = {}
    for item in filter(None, props.strip().split(",")):
        key, sep, value = item.partition("=")
        if sep and key and value:
            for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
                value = value.replace(escaped, char)
            properties[key] = value
    data = line[end + 2 :]
    for escaped, char in (("%0D", "\r"), ("%0A", "\n"), ("%25", "%")):
        data = data.replace(escaped, char)
    return name, properties, data


def _runner_lines(output: str) -> list[str]:
    """How the runner splits a step's output into lines (.NET ReadLine: CR, LF, CRLF)."""
    return output.replace("\r\n", "\n").replace("\r", "\n").split("\n")[:-1]


def test_whole_github_output():
    assert render("github", sample_result()) == EXPECTED


def test_exactly_one_intended_command_per_finding():
    result = sample_result()
    lines = _runner_lines(render("github", result))
    ordered = sorted(result.findings, key=lambda f: f.sort_key)
    assert len(lines) == len(ordered) + 1
    for line, finding in zip(lines, ordered):
        command = {"error": "::error ", "warning": "::warning ", "info": "::notice "}[str(finding.severity)]
        assert line.startswith(command)
        _, properties, data = _parse_v2(line)
        assert properties["file"] == finding.path
        assert properties["title"] == f"{finding.rule} {finding.name}"
        assert data.startswith(finding.message)
    assert _parse_v2(lines[-1]) is None


def test_injected_message_round_trips_and_issues_nothing_else():
    line = _runner_lines(render("github", sample_result()))[7]
    assert _parse_v2(line) == (
        "warning",
        {
            "file": "prisma/schema.prisma",
            "line": "1",
            "col": "7",
            "endLine": "1",
            "endColumn": "11",
            "title": "N001 table-name-snake-case",
        },
        INJECTION + '\n\nFix: @@map("a_b_c")',
    )


@pytest.mark.parametrize(
    "payload",
    [
        "\n::stop-commands::x",
        "\r::add-mask::secret",
        "\r\n::set-output name=a::b",
        "\n::endgroup::",
        "\u2028::error::fake",
        "\x85::error::fake",
        "\x0b::error::fake",
        "\x0c::error::fake",
        "\u2029::error::fake",
    ],
)
def test_line_breaks_in_any_field_cannot_start_a_command(payload):
    finding = Finding(
        "N001",
        f"name{payload}",
        Severity.WARNING,
        f"msg{payload}",
        f"dir{payload}/m.sql",
        1,
        1,
        1,
        2,
        lock=f"lock{payload}",
        fix=f"fix{payload}",
    )
    output = render("github", RunResult([finding], 1))
    lines = _runner_lines(output)
    assert len(lines) == 2
    assert lines[0].startswith("::warning file=dir")
    assert _parse_v2(lines[0])[0] == "warning"
    first, summary = output.split("\n", 1)
    assert not any(char in first for char in "\r\n\x0b\x0c\x85\u2028\u2029")
    assert summary == "dbvet: 1 finding (0 errors, 1 warning, 0 infos) in 1 file.\n"


def test_property_values_escape_colon_comma_and_percent():
    finding = Finding("N001", "n", Severity.ERROR, "m", "a,b:c%d.sql", 1, 1, 1, 2)
    assert annotation(finding) == "::error file=a%2Cb%3Ac%25d.sql,line=1,col=1,endLine=1,endColumn=2,title=N001 n::m"
    assert _parse_v2(annotation(finding))[1]["file"] == "a,b:c%d.sql"


def test_escape_functions():
    assert escape_data("50% a:b,c\r\nd") == "50%25 a:b,c%0D%0Ad"
    assert escape_property("50% a:b,c\r\nd") == "50%25 a%3Ab%2Cc%0D%0Ad"
    assert escape_data("%0A") == "%250A"


def test_multi_line_finding_has_no_columns():
    finding = Finding("D007", "unfiltered-dml", Severity.ERROR, "m", "a.sql", 3, 5, 4, 2)
    assert annotation(finding) == "::error file=a.sql,line=3,endLine=4,title=D007 unfiltered-dml::m"


def test_old_style_command_is_hidden_in_message_and_title():
    finding = Finding("N001", "##[add-mask]t", Severity.ERROR, "x ##[add-mask]secret", "a.sql", 1, 1, 1, 2)
    assert annotation(finding) == (
        f"::error file=a.sql,line=1,col=1,endLine=1,endColumn=2,title=N001 #{WJ}#[add-mask]t::x #{WJ}#[add-mask]secret"
    )


def test_control_characters_are_made_visible():
    finding = Finding("N001", "n", Severity.ERROR, "a\x1b[31mb\x00", "a.sql", 1, 1, 1, 2)
    assert annotation(finding).endswith("::a\u241b[31mb\u2400")


def test_empty_run_prints_only_the_summary():
    assert render("github", RunResult([], 1)) == "dbvet: no findings in 1 file.\n"


def test_quiet_leaves_out_the_summary():
    assert render("github", sample_result(), quiet=True) == EXPECTED.rsplit("dbvet: ", 1)[0]
    assert render("github", RunResult([], 1), quiet=True) == ""
