"""The Markdown of the sticky comment and the job summary: escaping and the size limit."""

from __future__ import annotations

import re

from linter.findings import Finding, Severity
from linter.github import markdown


def _finding(number: int, message: str = "a message", fix: str | None = None, lock: str | None = None) -> Finding:
    return Finding(
        rule="T002",
        name="prefer-timestamptz",
        severity=Severity.WARNING,
        message=message,
        path="migrations/0002_x.sql",
        line=number,
        column=3,
        end_line=number,
        end_column=9,
        lock=lock,
        fix=fix,
    )


def _report(findings, run_url="https://github.example/acme/shop/actions/runs/1") -> markdown.Report:
    return markdown.Report(findings=findings, files=2, pull_request=True, link=lambda f: None, run_url=run_url)


def test_prose_cannot_mention_reference_or_inject_html():
    text = 'column "x @octocat #12 <img src=x onerror=alert(1)> *b* [l](u) `c` |t| $m$ \\\n## h"'
    escaped = markdown.prose(text)
    assert escaped == (
        'column "x @\u2060octocat #\u206012 &lt;img src=x onerror=alert\\(1\\)&gt; \\*b\\* \\[l\\]\\(u\\) '
        '\\`c\\` \\|t\\| \\$m\\$ \\\\ #\u2060#\u2060 h"'
    )
    assert "@octocat" not in escaped and "<" not in escaped and "\n" not in escaped


def test_code_block_fence_outgrows_any_backtick_run():
    assert markdown.code_block("SELECT 1;") == "```\nSELECT 1;\n```"
    assert (
        markdown.code_block('ALTER TABLE "x````y" ADD c int;', "sql")
        == '`````sql\nALTER TABLE "x````y" ADD c int;\n`````'
    )


def test_fix_forms():
    sql_only = markdown.render(
        _report([_finding(1, fix="ALTER TABLE t ALTER COLUMN c TYPE timestamptz;")]), limit=65_536
    )
    assert "**Safe rewrite:**\n\n```sql\nALTER TABLE t ALTER COLUMN c TYPE timestamptz;\n```" in sql_only
    prose_then_sql = markdown.render(
        _report([_finding(1, fix="build it concurrently:\n     CREATE INDEX CONCURRENTLY i ON t (c);")]), limit=65_536
    )
    assert (
        "**Safe rewrite:** build it concurrently:\n\n```sql\nCREATE INDEX CONCURRENTLY i ON t (c);\n```"
        in prose_then_sql
    )
    advice = markdown.render(_report([_finding(1, fix="use @db.Decimal(19, 4)")]), limit=65_536)
    assert "**Fix:** use @\u2060db.Decimal\\(19, 4\\)" in advice


def test_the_comment_stays_within_the_limit_and_points_to_the_job_summary():
    findings = [
        _finding(number, message="m" * 300, lock="SHARE on t", fix="ALTER TABLE t ADD c int;")
        for number in range(1, 401)
    ]
    body = markdown.render(_report(findings), limit=markdown.COMMENT_LIMIT, marker=markdown.MARKER)

    assert markdown.length(body) <= markdown.COMMENT_LIMIT
    shown = len(re.findall(r"^### T002 ", body, re.M))
    assert 0 < shown < 400
    assert body.endswith(
        f"… and {400 - shown} more findings: see the [job summary](https://github.example/acme/shop/actions/runs/1) "
        "for the full list.\n"
    )
    # Every finding shown is whole: the last one ends with its fix block.
    assert body.rsplit("\n\n… and", 1)[0].endswith("```sql\nALTER TABLE t ADD c int;\n```")
    # One more finding's worth of room would not have fitted.
    assert markdown.length(body) + 400 > markdown.COMMENT_LIMIT


def test_limit_counts_utf16_units():
    # Astral characters count twice, as GitHub counts them.
    assert markdown.length("a\U0001f600") == 3
    findings = [_finding(number, message="\U0001f600" * 1000) for number in range(1, 101)]
    body = markdown.render(_report(findings), limit=markdown.COMMENT_LIMIT)
    assert markdown.length(body) <= markdown.COMMENT_LIMIT < len(body) * 2


def test_everything_fits_when_it_can():
    body = markdown.render(_report([_finding(1), _finding(2)]), limit=markdown.COMMENT_LIMIT, marker=markdown.MARKER)
    assert body == (
        "<!-- dbvet-report -->\n## dbvet\n\n2 findings in the files this pull request changes.\n\n"
        "| severity | findings |\n|---|---:|\n| error | 0 |\n| warning | 2 |\n| info | 0 |\n\n"
        "### T002 prefer-timestamptz (warning)\n\nmigrations/0002\\_x.sql:1\n\na message\n\n"
        "### T002 prefer-timestamptz (warning)\n\nmigrations/0002\\_x.sql:2\n\na message\n"
    )
