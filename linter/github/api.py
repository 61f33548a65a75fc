"""Talking to the GitHub REST API through PyGithub, and saying in one line why it failed.

Every write dbvet makes is an extra: a refused token (pull requests from forks get a
read-only one), a rate limit or an API that is down must cost the job one warning per
capability, never its result. PyGithub's defaults suit long-lived scripts, not a CI step:
its retry waits out rate limits for up to an hour and it throttles writes to one a second,
so both are turned off here.
"""

from __future__ import annotations

from linter import __version__

TIMEOUT_SECONDS = 20


def client(api_url: str, token: str):
    """A PyGithub client for `api_url` (github.com or a GitHub Enterprise Server's /api/v3)."""
    from github import Auth, Github

    return Github(
        auth=Auth.Token(token),
        base_url=api_url,
        timeout=TIMEOUT_SECONDS,
        user_agent=f"dbvet/{__version__}",
        retry=None,
        seconds_between_requests=None,
        seconds_between_writes=None,
        lazy=True,
        per_page=100,
    )


def failures() -> tuple[type[BaseException], ...]:
    """The exceptions that mean "the API did not do it" rather than a bug in dbvet."""
    from github import GithubException
    from requests import RequestException

    return (GithubException, RequestException, OSError)


_PERMISSION = {
    "check run": "checks: write",
    "pull-request comment": "pull-requests: write",
    "review comments": "pull-requests: write",
}


def describe(exc: BaseException, capability: str, api_url: str, token: str | None) -> str:
    """Why a request failed, in words, never quoting the token."""
    from github import GithubException
    from requests import ConnectionError as RequestsConnectionError
    from requests import Timeout

    if isinstance(exc, GithubException):
        reason = _http_reason(exc, capability)
    elif isinstance(exc, Timeout):
        reason = f"the GitHub API at {api_url} did not answer within {TIMEOUT_SECONDS} seconds"
    elif isinstance(exc, RequestsConnectionError):
        reason = f"cannot connect to the GitHub API at {api_url}"
    else:
        reason = f"{type(exc).__name__}: {exc}"
    return scrub(reason, token)


def _http_reason(exc, capability: str) -> str:
    status = exc.status
    headers = {key.lower(): value for key, value in (exc.headers or {}).items()}
    said = exc.data.get("message") if isinstance(exc.data, dict) else None
    said = _short(said) if isinstance(said, str) and said else None
    detail = f"HTTP {status}" + (f" {said}" if said else "")
    if status == 429 or (
        status == 403 and (headers.get("x-ratelimit-remaining") == "0" or "rate limit" in (said or "").lower())
    ):
        return f"the GitHub API rate limit is exhausted{_when(headers)}: {detail}"
    if status == 401:
        return f"the token was refused: {detail}"
    if status == 403:
        permission = _PERMISSION.get(capability, "write access")
        return (
            f"the token may not do this: {detail} (pull requests from forks get a read-only token; "
            f"otherwise grant `{permission}` in the workflow's permissions)"
        )
    if status == 404:
        return f"not found: {detail} (the repository or pull request is not visible with this token)"
    if status == 422:
        return f"GitHub rejected the request: {detail}"
    if status >= 500:
        return f"the GitHub API failed: {detail}"
    return detail


def _when(headers: dict[str, str]) -> str:
    """When a rate limit lets requests through again, from the response headers."""
    from datetime import datetime, timezone

    reset, retry_after = headers.get("x-ratelimit-reset", ""), headers.get("retry-after", "")
    if reset.isdigit():
        return f" until {datetime.fromtimestamp(int(reset), timezone.utc):%Y-%m-%d %H:%M:%S} UTC"
    if retry_after.isdigit():
        return f" for {retry_after} seconds"
    return ""


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def scrub(text: str, token: str | None) -> str:
    """`text` with every occurrence of the token replaced by `***`."""
    return text.replace(token, "***") if token else text
