"""What a GitHub Actions job tells a step: the `GITHUB_*` variables and the event payload.

Read once, in one place, so the rest of `dbvet github` is plain functions of this record
(and tests can build one without touching the process environment).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Mapping

from linter.errors import UserError
from linter.records import Record

PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target")

# The token: DBVET_GITHUB_TOKEN first (what action.yml passes, so a workflow's own
# GITHUB_TOKEN variable never changes what dbvet writes with), then GITHUB_TOKEN.
TOKEN_VARIABLES = ("DBVET_GITHUB_TOKEN", "GITHUB_TOKEN")


class PullRequest(Record, frozen=True):
    number: int
    base_sha: str
    head_sha: str


class ActionsEnvironment(Record, frozen=True):
    event_name: str
    repository: str | None  # owner/name
    api_url: str
    server_url: str
    sha: str | None
    run_id: str | None
    step_summary: Path | None
    output: Path | None
    token: str | None
    pull_request: PullRequest | None  # set in a pull_request / pull_request_target event

    @property
    def run_url(self) -> str | None:
        """The page of this workflow run, where the job summary is shown."""
        if self.repository and self.run_id:
            return f"{self.server_url}/{self.repository}/actions/runs/{self.run_id}"
        return None

    @property
    def head_sha(self) -> str | None:
        return self.pull_request.head_sha if self.pull_request else self.sha

    def blob_url(self, repo_path: str) -> str | None:
        """Where a file of the linted commit can be read on GitHub (None outside Actions)."""
        from urllib.parse import quote

        if not (self.repository and self.head_sha):
            return None
        return f"{self.server_url}/{self.repository}/blob/{self.head_sha}/{quote(repo_path, safe='/')}"


def read_environment(environ: Mapping[str, str] | None = None) -> ActionsEnvironment:
    """The job's environment; a pull-request event whose payload cannot be read is a UserError."""
    env = os.environ if environ is None else environ
    event_name = env.get("GITHUB_EVENT_NAME", "")
    payload: dict = {}
    pull_request = None
    if event_name in PULL_REQUEST_EVENTS:
        payload = _payload(env.get("GITHUB_EVENT_PATH"))
        pull_request = _pull_request(payload)
    named = _nested(payload, "repository", "full_name")
    repository = env.get("GITHUB_REPOSITORY") or (named if isinstance(named, str) and named else None)
    return ActionsEnvironment(
        event_name=event_name,
        repository=repository,
        api_url=(env.get("GITHUB_API_URL") or "https://api.github.com").rstrip("/"),
        server_url=(env.get("GITHUB_SERVER_URL") or "https://github.com").rstrip("/"),
        sha=env.get("GITHUB_SHA") or None,
        run_id=env.get("GITHUB_RUN_ID") or None,
        step_summary=Path(env["GITHUB_STEP_SUMMARY"]) if env.get("GITHUB_STEP_SUMMARY") else None,
        output=Path(env["GITHUB_OUTPUT"]) if env.get("GITHUB_OUTPUT") else None,
        token=next((env[name] for name in TOKEN_VARIABLES if env.get(name)), None),
        pull_request=pull_request,
    )


def _payload(path: str | None) -> dict:
    if not path:
        raise UserError("GITHUB_EVENT_PATH is not set: cannot read the pull request's event payload")
    try:
        payload = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise UserError(f"cannot read the event payload {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise UserError(f"the event payload {path} is not JSON: {exc}") from None
    if not isinstance(payload, dict):
        raise UserError(f"the event payload {path} is not a JSON object")
    return payload


def _pull_request(payload: dict) -> PullRequest:
    number = _nested(payload, "pull_request", "number") or payload.get("number")
    base_sha = _nested(payload, "pull_request", "base", "sha")
    head_sha = _nested(payload, "pull_request", "head", "sha")
    if not isinstance(number, int) or not isinstance(base_sha, str) or not isinstance(head_sha, str):
        raise UserError("the event payload has no pull_request with a number, base.sha and head.sha")
    return PullRequest(number=number, base_sha=base_sha, head_sha=head_sha)


def _nested(data: object, *keys: str) -> object:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data
