"""`dbvet github` outside a pull request, with hostile migration text, and with review comments."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from github_stub import GitHubStub
from github_support import NUMBER, REPOSITORY, actions_env, make_pull_request, patch_of, run_github

BASE_FILES = {
    ".dbvet.yaml": "dialect: postgresql\n",
    "migrations/0001_init.sql": "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);\n",
}
PR_SQL = "CREATE INDEX orders_total_idx ON orders (total);\nALTER TABLE orders ADD COLUMN note timestamp;\n"
PR_PATH = "migrations/0002_idx.sql"
REVIEW = f"/repos/{REPOSITORY}/pulls/{NUMBER}"


@pytest.fixture
def stub():
    with GitHubStub(REPOSITORY, NUMBER) as server:
        yield server


def test_outside_a_pull_request_it_is_check_with_the_github_format(tmp_path, stub, monkeypatch, capsys):
    pr = make_pull_request(tmp_path, BASE_FILES, {PR_PATH: PR_SQL})
    env = actions_env(tmp_path, stub.api_url, None, event_name="push")
    sarif = tmp_path / "dbvet.sarif"
    run = run_github(monkeypatch, capsys, pr.root, env, "--sarif", str(sarif))

    expected = subprocess.run(
        [sys.executable, "-m", "linter", "check", "--format", "github"], cwd=pr.root, capture_output=True, text=True
    )
    assert (run.code, run.out) == (expected.returncode, expected.stdout) == (1, run.out)
    assert "T001" in run.out  # every file counts outside a pull request
    assert stub.requests == []
    assert run.outputs == "errors=2\nwarnings=2\ninfos=0\nfindings=4\n"
    assert run.summary.startswith("## dbvet\n\n4 findings in 2 files.\n")
    assert [result["ruleId"] for result in json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"]] == [
        "T001",
        "S005",
        "S012",
        "T002",
    ]


def test_pull_request_sarif_holds_only_changed_files(tmp_path, stub, monkeypatch, capsys):
    pr = make_pull_request(tmp_path, BASE_FILES, {PR_PATH: PR_SQL})
    sarif = tmp_path / "dbvet.sarif"
    run_github(
        monkeypatch,
        capsys,
        pr.root,
        actions_env(tmp_path, stub.api_url, pr.event),
        "--comment",
        "off",
        "--check-run",
        "off",
        "--sarif",
        str(sarif),
    )
    results = json.loads(sarif.read_text(encoding="utf-8"))["runs"][0]["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in results] == [
        ("S005", PR_PATH),
        ("S012", PR_PATH),
        ("T002", PR_PATH),
    ]


EVIL_SQL = (
    'ALTER TABLE orders ADD COLUMN "x```y @octocat #1 <img src=x onerror=alert(1)>" timestamp;\n'
    "-- ::error::forged\n"
    'ALTER TABLE orders ADD COLUMN "a\n::warning::b%0A::error::c" timestamp;\n'
)
EVIL_PATH = "migrations/0002_evil.sql"


def test_hostile_migration_text_cannot_issue_commands_mention_or_break_markup(tmp_path, stub, monkeypatch, capsys):
    pr = make_pull_request(tmp_path, BASE_FILES, {EVIL_PATH: EVIL_SQL})
    run = run_github(monkeypatch, capsys, pr.root, actions_env(tmp_path, stub.api_url, pr.event))

    lines = run.out.splitlines()
    # One line per finding (S012, N002, T002, N002, T002) plus the plain summary line; each
    # starts with the command we mean and the forged ones stay escaped inside the message.
    assert [line.split(" ", 1)[0] for line in lines] == ["::warning"] * 5 + ["dbvet:"]
    assert [re.search(r"title=(\w+)", line).group(1) for line in lines[:5]] == ["S012", "N002", "T002", "N002", "T002"]
    assert "a%0A::warning::b%250A::error::c" in lines[3]
    assert run.out.count("\n") == 6

    body = stub.state.issue_comments[0]["body"]
    for text in (body, run.summary):
        # GitHub makes no mentions, references or HTML inside code blocks; outside them, neither may we.
        prose = "\n".join(_outside_code(text))
        assert "@\u2060octocat #\u20601 &lt;img src=x onerror=alert\\(1\\)&gt;" in prose
        assert "@octocat" not in prose and "#1" not in prose and "<img" not in prose
        # The SQL with a triple backtick inside sits in a fence of four.
        assert '````sql\nALTER TABLE orders RENAME COLUMN "x```y @octocat #1 <img src=x onerror=alert(1)>" TO ' in text
    check = stub.requests[0].body
    assert [a["title"] for a in check["output"]["annotations"]] == [
        "S012 lock-timeout-missing",
        "N002 column-name-snake-case",
        "T002 prefer-timestamptz",
        "N002 column-name-snake-case",
        "T002 prefer-timestamptz",
    ]


def _outside_code(text: str) -> list[str]:
    """The lines of Markdown that are not inside fenced code blocks."""
    lines, fence = [], None
    for line in text.splitlines():
        match = re.match(r"^(`{3,})", line)
        if fence is None and match:
            fence = match.group(1)
        elif fence is not None and line.strip() == fence:
            fence = None
        elif fence is None:
            lines.append(line)
    return lines


def test_review_comments_suggest_the_mechanical_fix_once(tmp_path, stub, monkeypatch, capsys):
    pr = make_pull_request(tmp_path, BASE_FILES, {PR_PATH: PR_SQL})
    stub.state.files = [{"filename": PR_PATH, "status": "added", "patch": patch_of(PR_SQL)}]
    for number in range(130):  # review comments of others, over two pages
        stub.state.review_comments.append(
            {"id": number + 1, "body": f"nit {number}", "url": f"{stub.api_url}/x/{number}"}
        )
    env = actions_env(tmp_path, stub.api_url, pr.event)
    args = ("--comment", "off", "--check-run", "off", "--review-comments", "on")
    run = run_github(monkeypatch, capsys, pr.root, env, *args)

    assert run.code == 1
    assert [(r.method, r.path, r.query) for r in stub.requests] == [
        ("GET", f"{REVIEW}/files", {"per_page": "100"}),
        ("GET", f"{REVIEW}/comments", {"per_page": "100"}),
        ("GET", f"{REVIEW}/comments", {"per_page": "100", "page": "2"}),
        ("POST", f"{REVIEW}/comments", {}),
    ]
    posted = stub.requests[-1].body
    assert {k: v for k, v in posted.items() if k != "body"} == {
        "commit_id": pr.head,
        "path": PR_PATH,
        "line": 1,
        "side": "RIGHT",
    }
    assert re.fullmatch(
        r"<!-- dbvet-suggestion:[0-9a-f]{20} -->\n"
        r"\*\*S005 create-index-blocking\*\*: CREATE INDEX on existing table \"orders\" blocks writes to it until the index is built\n\n"
        r"\*\*S012 lock-timeout-missing\*\*: SHARE lock on existing table \"orders\" taken without a lock\\_timeout .*\n\n"
        r"```suggestion\nSET lock_timeout = '5s';\nCREATE INDEX CONCURRENTLY orders_total_idx ON orders \(total\);\n```\n",
        posted["body"],
    ), posted["body"]

    stub.requests.clear()
    run = run_github(monkeypatch, capsys, pr.root, env, *args)
    assert [r.method for r in stub.requests] == ["GET", "GET", "GET"]  # already there: not posted again
    assert "0 review comments with suggestions posted" in run.err


def test_review_comments_only_on_lines_the_pull_request_adds(tmp_path, stub, monkeypatch, capsys):
    pr = make_pull_request(tmp_path, BASE_FILES, {PR_PATH: PR_SQL})
    # The pull request's diff adds only line 2 (as if line 1 had been there before).
    stub.state.files = [
        {"filename": PR_PATH, "status": "modified", "patch": "@@ -1 +1,2 @@\n CREATE INDEX x\n+ALTER TABLE"}
    ]
    run = run_github(
        monkeypatch,
        capsys,
        pr.root,
        actions_env(tmp_path, stub.api_url, pr.event),
        "--comment",
        "off",
        "--check-run",
        "off",
        "--review-comments",
        "on",
    )
    assert run.code == 1
    assert [r.method for r in stub.requests] == ["GET", "GET"]
    assert stub.state.review_comments == []
