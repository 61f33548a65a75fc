"""A loopback stand-in for the part of the GitHub REST API `dbvet github` uses.

It keeps the state a pull request has (issue comments, review comments, changed files, check
runs), answers with the fields PyGithub reads, paginates with `Link` headers as GitHub does,
and records every request exactly (method, path, query, headers, JSON body) so tests can
assert what was sent. It is served under `/api/v3`, the prefix of GitHub Enterprise Server,
to prove the base URL is taken from GITHUB_API_URL.

Failures are injected per route: `fail("POST", r"/issues/\\d+/comments$", 403, {...})`.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

PREFIX = "/api/v3"


@dataclass
class Request:
    method: str
    path: str  # without PREFIX and query
    query: dict[str, str]
    headers: dict[str, str]
    body: object  # parsed JSON, or None
    raw: str


@dataclass
class Failure:
    method: str
    pattern: re.Pattern[str]
    status: int
    body: dict
    headers: dict[str, str]
    times: int | None  # None: every time


@dataclass
class Repository:
    issue_comments: list[dict] = field(default_factory=list)
    review_comments: list[dict] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)
    check_runs: list[dict] = field(default_factory=list)


class GitHubStub:
    def __init__(self, owner_repo: str = "acme/shop", pull_number: int = 7) -> None:
        self.owner_repo = owner_repo
        self.pull_number = pull_number
        self.state = Repository()
        self.requests: list[Request] = []
        self.failures: list[Failure] = []
        self._next_id = 1000
        self._lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def _handle(self) -> None:
                stub._serve(self)

            do_GET = do_POST = do_PATCH = do_DELETE = _handle

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # lifecycle

    def __enter__(self) -> "GitHubStub":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def origin(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def api_url(self) -> str:
        return self.origin + PREFIX

    # test helpers

    def fail(
        self,
        method: str,
        pattern: str,
        status: int,
        body: dict | None = None,
        headers: dict | None = None,
        times: int | None = None,
    ) -> None:
        self.failures.append(
            Failure(method, re.compile(pattern), status, body or {"message": "failed"}, headers or {}, times)
        )

    def add_issue_comment(self, body: str, login: str = "someone") -> dict:
        comment = self._comment(body, login, "issues/comments")
        self.state.issue_comments.append(comment)
        return comment

    def requests_to(self, method: str, pattern: str) -> list[Request]:
        return [r for r in self.requests if r.method == method and re.search(pattern, r.path)]

    def new_id(self) -> int:
        with self._lock:
            self._next_id += 1
            return self._next_id

    # serving

    def _comment(self, body: str, login: str, kind: str, **extra) -> dict:
        number = self.new_id()
        url = f"{self.api_url}/repos/{self.owner_repo}/{kind}/{number}"
        return {
            "id": number,
            "body": body,
            "url": url,
            "html_url": url,
            "user": {"login": login, "type": "Bot"},
            **extra,
        }

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length).decode("utf-8") if length else ""
        path = parts.path[len(PREFIX) :] if parts.path.startswith(PREFIX) else parts.path
        request = Request(
            method=handler.command,
            path=path,
            query={k: v[-1] for k, v in parse_qs(parts.query).items()},
            headers={k.lower(): v for k, v in handler.headers.items()},
            body=json.loads(raw) if raw else None,
            raw=raw,
        )
        with self._lock:
            self.requests.append(request)
            failure = self._failure(request)
        if failure is not None:
            return self._send(handler, failure.status, failure.body, failure.headers)
        if not parts.path.startswith(PREFIX):
            return self._send(handler, 404, {"message": "Not Found"})
        status, payload, headers = self._route(request)
        self._send(handler, status, payload, headers)

    def _failure(self, request: Request) -> Failure | None:
        for failure in self.failures:
            if failure.method == request.method and failure.pattern.search(request.path):
                if failure.times is not None:
                    if failure.times == 0:
                        continue
                    failure.times -= 1
                return failure
        return None

    def _route(self, request: Request) -> tuple[int, object, dict[str, str]]:
        repo = f"/repos/{self.owner_repo}"
        issue = f"{repo}/issues/{self.pull_number}"
        pull = f"{repo}/pulls/{self.pull_number}"
        state = self.state
        method, path = request.method, request.path
        if method == "GET" and path == f"{issue}/comments":
            return self._page(request, state.issue_comments)
        if method == "POST" and path == f"{issue}/comments":
            comment = self._comment(request.body["body"], "github-actions[bot]", "issues/comments")
            state.issue_comments.append(comment)
            return 201, comment, {}
        match = re.fullmatch(rf"{repo}/issues/comments/(\d+)", path)
        if method == "PATCH" and match:
            for comment in state.issue_comments:
                if comment["id"] == int(match.group(1)):
                    comment["body"] = request.body["body"]
                    return 200, comment, {}
            return 404, {"message": "Not Found"}, {}
        if method == "POST" and path == f"{repo}/check-runs":
            number = self.new_id()
            run = {**request.body, "id": number, "url": f"{self.api_url}{repo}/check-runs/{number}"}
            run["annotations_count"] = len(request.body.get("output", {}).get("annotations", []))
            state.check_runs.append(run)
            return 201, run, {}
        match = re.fullmatch(rf"{repo}/check-runs/(\d+)", path)
        if method == "PATCH" and match:
            for run in state.check_runs:
                if run["id"] == int(match.group(1)):
                    run["annotations_count"] += len(request.body.get("output", {}).get("annotations", []))
                    return 200, run, {}
            return 404, {"message": "Not Found"}, {}
        if method == "GET" and path == f"{pull}/files":
            return self._page(request, state.files)
        if method == "GET" and path == f"{pull}/comments":
            return self._page(request, state.review_comments)
        if method == "POST" and path == f"{pull}/comments":
            extra = {k: v for k, v in request.body.items() if k != "body"}
            comment = self._comment(request.body["body"], "github-actions[bot]", "pulls/comments", **extra)
            state.review_comments.append(comment)
            return 201, comment, {}
        return 404, {"message": "Not Found"}, {}

    def _page(self, request: Request, items: list[dict]) -> tuple[int, object, dict[str, str]]:
        per_page = int(request.query.get("per_page", 30))
        page = int(request.query.get("page", 1))
        chunk = items[(page - 1) * per_page : page * per_page]
        headers = {}
        if page * per_page < len(items):
            url = f"{self.api_url}{request.path}?per_page={per_page}&page={page + 1}"
            headers["Link"] = f'<{url}>; rel="next"'
        return 200, chunk, headers

    @staticmethod
    def _send(
        handler: BaseHTTPRequestHandler, status: int, payload: object, headers: dict[str, str] | None = None
    ) -> None:
        data = json.dumps(payload).encode("utf-8")
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json; charset=utf-8")
        handler.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)


def refused_url() -> str:
    """An API URL on loopback where nothing listens (connection refused)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}{PREFIX}"
