"""`dbvet github` in a pull_request event, end to end against a loopback GitHub API.

The pull request adds migrations/0002_idx.sql to a repository whose base already has
migrations/0001_init.sql (which has a T001 finding of its own: it must appear nowhere, since
the pull request did not change that file).
"""

from __future__ import annotations

import json

import pytest
from github_stub import GitHubStub
from github_support import (
    NUMBER,
    REPOSITORY,
    TOKEN,
    actions_env,
    make_pull_request,
    patch_of,
    run_github,
)

BASE_FILES = {
    ".dbvet.yaml": "dialect: postgresql\n",
    "migrations/0001_init.sql": "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);\n",
}
PR_SQL = "CREATE INDEX orders_total_idx ON orders (total);\nALTER TABLE orders ADD COLUMN note timestamp;\n"
PR_FILES = {"migrations/0002_idx.sql": PR_SQL}
PR_PATH = "migrations/0002_idx.sql"

# (rule, path, line, column) of every finding the pull request's files have.
EXPECTED = [
    ("S005", PR_PATH, 1, 1),
    ("S012", PR_PATH, 1, 1),
    ("T002", PR_PATH, 2, 31),
]

REPO_API = f"/repos/{REPOSITORY}"
COMMENTS = f"{REPO_API}/issues/{NUMBER}/comments"


@pytest.fixture
def pr(tmp_path):
    return make_pull_request(tmp_path, BASE_FILES, PR_FILES)


@pytest.fixture
def stub():
    with GitHubStub(REPOSITORY, NUMBER) as server:
        server.state.files = [{"filename": PR_PATH, "status": "added", "patch": patch_of(PR_SQL)}]
        yield server


def _events(count: int) -> str:
    """A new table with `count` timestamp columns: exactly `count` T002 findings, on lines 3, 4, …
    (and a C008 for the table's width, which these tests --ignore)."""
    columns = "".join(f"  at_{number:03d} timestamp,\n" for number in range(count))
    return (
        f"CREATE TABLE events (\n  id bigint PRIMARY KEY,\n{columns}"
        "  created_at timestamptz NOT NULL DEFAULT now(),\n  updated_at timestamptz NOT NULL DEFAULT now()\n);\n"
        "CREATE TRIGGER events_updated_at BEFORE UPDATE ON events FOR EACH ROW EXECUTE FUNCTION set_updated_at();\n"
    )


def _calls(stub: GitHubStub) -> list[tuple[str, str, dict]]:
    return [(r.method, r.path, r.query) for r in stub.requests]


def _annotation_keys(out: str) -> list[tuple[str, str, int]]:
    keys = []
    for line in out.splitlines():
        if line.startswith(("::error ", "::warning file", "::notice ")):
            props = dict(part.split("=", 1) for part in line.split("::")[1].split(" ", 1)[1].split(","))
            keys.append((props["title"].split(" ")[0], props["file"], int(props["line"])))
    return keys


def test_first_run_creates_one_comment_and_a_check_run(tmp_path, pr, stub, monkeypatch, capsys):
    for number in range(150):  # two pages of other people's comments (the client asks for 100 a page)
        stub.add_issue_comment(f"comment {number}")
    run = run_github(monkeypatch, capsys, pr.root, actions_env(tmp_path, stub.api_url, pr.event))

    assert run.code == 1  # S005 is an error, and --fail-on defaults to error
    assert _annotation_keys(run.out) == [(rule, path, line) for rule, path, line, _ in EXPECTED]
    assert run.out.splitlines()[-1] == "dbvet: 3 findings (1 error, 2 warnings, 0 infos) in 2 files."
    assert run.outputs == "errors=1\nwarnings=2\ninfos=0\nfindings=3\n"
    assert _calls(stub) == [
        ("POST", f"{REPO_API}/check-runs", {}),
        ("GET", COMMENTS, {"per_page": "100"}),
        ("GET", COMMENTS, {"per_page": "100", "page": "2"}),
        ("POST", COMMENTS, {}),
    ]
    for request in stub.requests:
        assert request.headers["authorization"] == f"token {TOKEN}"
    check = stub.requests[0].body
    assert (check["name"], check["head_sha"], check["status"], check["conclusion"]) == (
        "dbvet",
        pr.head,
        "completed",
        "failure",
    )
    assert check["output"]["title"] == "3 findings: 1 error, 2 warnings, 0 infos"
    assert [
        (a["title"].split()[0], a["path"], a["start_line"], a["start_column"]) for a in check["output"]["annotations"]
    ] == EXPECTED
    assert [a["annotation_level"] for a in check["output"]["annotations"]] == ["failure", "warning", "warning"]

    body = stub.requests[-1].body["body"]
    assert body.startswith("<!-- dbvet-report -->\n## dbvet\n")
    assert "| error | 1 |\n| warning | 2 |\n| info | 0 |" in body
    link = f"https://github.example/{REPOSITORY}/blob/{pr.head}/{PR_PATH}#L1"
    assert f"### S005 create-index-blocking (error)\n\n[migrations/0002\\_idx.sql:1]({link})" in body
    assert '**Lock:** SHARE on "orders"' in body
    assert "```sql\nCREATE INDEX CONCURRENTLY orders_total_idx ON orders (total);\n```" in body
    assert "0001" not in body and "T001" not in body
    assert [c["body"].startswith("<!-- dbvet-report -->") for c in stub.state.issue_comments].count(True) == 1
    assert run.summary.startswith("## dbvet\n") and "S005 create-index-blocking" in run.summary
    assert "T001" not in run.summary and "T001" not in run.out and "T001" not in json.dumps(check)


def test_second_run_updates_the_same_comment(tmp_path, pr, stub, monkeypatch, capsys):
    for number in range(150):
        stub.add_issue_comment(f"comment {number}")
    env = actions_env(tmp_path, stub.api_url, pr.event)
    run_github(monkeypatch, capsys, pr.root, env, "--check-run", "off")
    created = stub.state.issue_comments[-1]
    stub.requests.clear()
    for number in range(20):  # more talk after ours: ours is now in the middle of page 2
        stub.add_issue_comment(f"later {number}")

    run = run_github(monkeypatch, capsys, pr.root, env, "--check-run", "off")

    assert run.code == 1
    assert _calls(stub) == [
        ("GET", COMMENTS, {"per_page": "100"}),
        ("GET", COMMENTS, {"per_page": "100", "page": "2"}),
        ("PATCH", f"{REPO_API}/issues/comments/{created['id']}", {}),
    ]
    assert len(stub.state.issue_comments) == 171
    assert stub.requests[-1].body["body"] == created["body"]


def test_fixed_issues_update_the_comment_and_an_empty_result_posts_nothing_new(tmp_path, pr, stub, monkeypatch, capsys):
    env = actions_env(tmp_path, stub.api_url, pr.event)
    run_github(monkeypatch, capsys, pr.root, env, "--check-run", "off")
    ours = stub.state.issue_comments[0]
    pr.commit({PR_PATH: "SELECT 1;\n"}, "fix it")
    stub.requests.clear()

    run = run_github(monkeypatch, capsys, pr.root, env)

    assert run.code == 0
    assert run.out == "dbvet: no findings in 2 files.\n"
    assert run.outputs == "errors=0\nwarnings=0\ninfos=0\nfindings=0\n"
    assert _calls(stub) == [
        ("POST", f"{REPO_API}/check-runs", {}),
        ("GET", COMMENTS, {"per_page": "100"}),
        ("PATCH", f"{REPO_API}/issues/comments/{ours['id']}", {}),
    ]
    assert stub.requests[0].body["conclusion"] == "success"
    assert stub.requests[0].body["output"]["annotations"] == []
    assert stub.requests[-1].body["body"] == (
        "<!-- dbvet-report -->\n## dbvet\n\n"
        "No findings in the files this pull request changes: the issues reported earlier are fixed.\n"
    )

    # A clean pull request that never had a comment gets none.
    stub.state.issue_comments.clear()
    stub.requests.clear()
    run = run_github(monkeypatch, capsys, pr.root, env, "--check-run", "off")
    assert run.code == 0
    assert _calls(stub) == [("GET", COMMENTS, {"per_page": "100"})]


def test_check_run_annotations_go_fifty_at_a_time_and_cover_every_finding(tmp_path, stub, monkeypatch, capsys):
    pr = make_pull_request(tmp_path, BASE_FILES, {"migrations/0002_events.sql": _events(120)})
    run = run_github(
        monkeypatch,
        capsys,
        pr.root,
        actions_env(tmp_path, stub.api_url, pr.event),
        "--comment",
        "off",
        "--ignore",
        "C008",
    )

    assert run.code == 0  # 120 warnings, no error
    assert run.outputs == "errors=0\nwarnings=120\ninfos=0\nfindings=120\n"
    assert [(r.method, r.path) for r in stub.requests] == [("POST", f"{REPO_API}/check-runs")] + [
        ("PATCH", f"{REPO_API}/check-runs/{stub.state.check_runs[0]['id']}")
    ] * 2
    batches = [r.body["output"]["annotations"] for r in stub.requests]
    assert [len(batch) for batch in batches] == [50, 50, 20]
    sent = [(a["title"].split()[0], a["path"], a["start_line"], a["start_column"]) for batch in batches for a in batch]
    assert sent == [("T002", "migrations/0002_events.sql", 3 + number, 3) for number in range(120)]
    assert stub.requests[0].body["conclusion"] == "success"
    for request in stub.requests[1:]:
        assert request.body["output"]["title"] == "120 findings: 0 errors, 120 warnings, 0 infos"
        assert set(request.body) == {"output"}


def test_a_refused_comment_is_one_warning_and_the_exit_code_follows_the_findings(
    tmp_path, pr, stub, monkeypatch, capsys
):
    stub.fail("POST", r"/issues/\d+/comments$", 403, {"message": "Resource not accessible by integration"})
    run = run_github(monkeypatch, capsys, pr.root, actions_env(tmp_path, stub.api_url, pr.event))

    assert run.code == 1
    warnings = [line for line in run.out.splitlines() if line.startswith("::warning title=dbvet::")]
    assert warnings == [
        "::warning title=dbvet::could not update the pull-request comment: the token may not do this: HTTP 403 "
        "Resource not accessible by integration (pull requests from forks get a read-only token; otherwise grant "
        "`pull-requests: write` in the workflow's permissions)"
    ]
    assert [r.method for r in stub.requests] == ["POST", "GET", "POST"]  # the check run still went out
    assert stub.state.check_runs and not stub.state.issue_comments

    # With --fail-on never, the same refusal leaves the exit code at 0.
    run = run_github(monkeypatch, capsys, pr.root, actions_env(tmp_path, stub.api_url, pr.event), "--fail-on", "never")
    assert run.code == 0
    assert sum(line.startswith("::warning title=dbvet::") for line in run.out.splitlines()) == 1


def test_rate_limits_are_one_warning_each(tmp_path, pr, stub, monkeypatch, capsys):
    stub.fail(
        "POST",
        r"/check-runs$",
        403,
        {"message": "API rate limit exceeded for installation ID 1."},
        {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000000"},
    )
    stub.fail(
        "GET",
        r"/issues/\d+/comments$",
        429,
        {"message": "You have exceeded a secondary rate limit."},
        {"retry-after": "60"},
    )
    run = run_github(monkeypatch, capsys, pr.root, actions_env(tmp_path, stub.api_url, pr.event))

    assert run.code == 1
    assert [line for line in run.out.splitlines() if line.startswith("::warning title=dbvet::")] == [
        "::warning title=dbvet::could not create the check run: the GitHub API rate limit is exhausted until "
        "2023-11-14 22:13:20 UTC: HTTP 403 API rate limit exceeded for installation ID 1.",
        "::warning title=dbvet::could not update the pull-request comment: the GitHub API rate limit is exhausted "
        "for 60 seconds: HTTP 429 You have exceeded a secondary rate limit.",
    ]
    assert len(stub.requests) == 2  # no retries, no waiting


def test_a_failing_annotation_batch_says_how_far_it_got(tmp_path, stub, monkeypatch, capsys):
    pr = make_pull_request(tmp_path, BASE_FILES, {"migrations/0002_events.sql": _events(60)})
    stub.fail("PATCH", r"/check-runs/\d+$", 502, {"message": "Server Error"})
    run = run_github(
        monkeypatch,
        capsys,
        pr.root,
        actions_env(tmp_path, stub.api_url, pr.event),
        "--comment",
        "off",
        "--ignore",
        "C008",
    )

    assert run.code == 0
    assert [line for line in run.out.splitlines() if line.startswith("::warning title=dbvet::")] == [
        "::warning title=dbvet::could not send every annotation of the check run (sent 50 of 60): "
        "the GitHub API failed: HTTP 502 Server Error"
    ]


def test_connection_refused_is_one_warning_per_capability(tmp_path, pr, monkeypatch, capsys):
    from github_stub import refused_url

    api = refused_url()
    run = run_github(monkeypatch, capsys, pr.root, actions_env(tmp_path, api, pr.event), "--review-comments", "on")

    assert run.code == 1
    assert [line for line in run.out.splitlines() if line.startswith("::warning title=dbvet::")] == [
        f"::warning title=dbvet::could not create the check run: cannot connect to the GitHub API at {api}",
        f"::warning title=dbvet::could not update the pull-request comment: cannot connect to the GitHub API at {api}",
        f"::warning title=dbvet::could not post review comments with suggestions: cannot connect to the GitHub API at {api}",
    ]
    assert _annotation_keys(run.out) == [(rule, path, line) for rule, path, line, _ in EXPECTED]


def test_without_a_token_nothing_is_requested(tmp_path, pr, stub, monkeypatch, capsys):
    run = run_github(monkeypatch, capsys, pr.root, actions_env(tmp_path, stub.api_url, pr.event, token=None))

    assert run.code == 1
    assert [line for line in run.out.splitlines() if line.startswith("::warning title=dbvet::")] == [
        "::warning title=dbvet::no GitHub token (set DBVET_GITHUB_TOKEN or GITHUB_TOKEN): "
        "skipped the check run, pull-request comment"
    ]
    assert stub.requests == []


def test_the_token_never_appears_in_any_output(tmp_path, pr, stub, monkeypatch, capsys):
    # A server that echoes the token back in its error message must not make us print it.
    stub.fail("POST", r"/check-runs$", 403, {"message": f"token {TOKEN} lacks checks:write"})
    stub.fail("GET", r"/pulls/\d+/files$", 500, {"message": f"broken for {TOKEN}"})
    run = run_github(
        monkeypatch,
        capsys,
        pr.root,
        actions_env(tmp_path, stub.api_url, pr.event),
        "--review-comments",
        "on",
        "--sarif",
        str(tmp_path / "out.sarif"),
    )

    assert run.code == 1
    texts = [run.out, run.err, run.summary, run.outputs, (tmp_path / "out.sarif").read_text(encoding="utf-8")]
    texts += [request.raw for request in stub.requests]
    for text in texts:
        assert TOKEN not in text
    assert (
        "::warning title=dbvet::could not create the check run: the token may not do this: HTTP 403 token *** lacks checks:write"
        in run.out
    )
    assert (
        "::warning title=dbvet::could not post review comments with suggestions: the GitHub API failed: HTTP 500 broken for ***"
        in run.out
    )


def test_missing_payload_in_a_pull_request_event_is_exit_2(tmp_path, pr, stub, monkeypatch, capsys):
    env = actions_env(tmp_path, stub.api_url, tmp_path / "missing.json")
    run = run_github(monkeypatch, capsys, pr.root, env)
    assert run.code == 2
    assert run.err.startswith(f"dbvet: cannot read the event payload {tmp_path / 'missing.json'}: ")
    assert run.err.count("\n") == 1 and run.out == ""
