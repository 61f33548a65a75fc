"""Pull requests in temporary git repositories, and `dbvet github` run over them as a job would.

Each test builds a repository with a base commit and a pull-request commit, an event payload
naming both, and a loopback GitHub API (tests/github_stub.py); `run_github` then runs
`dbvet github` in-process with exactly the GITHUB_* variables a runner sets, and hands back
the exit code, stdout, stderr, the job summary and the step outputs.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from harness import write_tree

TOKEN = "ghs_dbvetTestToken0123456789abcdefXYZ"
REPOSITORY = "acme/shop"
NUMBER = 7


def git(root: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(root),
    }
    done = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@dataclass
class PullRequestRepo:
    root: Path
    base: str
    head: str
    event: Path

    def commit(self, files: Mapping[str, str], message: str = "more") -> None:
        """Another commit on the pull request (the payload's head moves with it)."""
        write_tree(self.root, files)
        git(self.root, "add", "-A")
        git(self.root, "commit", "-q", "-m", message)
        self.head = git(self.root, "rev-parse", "HEAD")
        write_event(self.event, self.base, self.head)


def write_event(path: Path, base: str, head: str) -> None:
    payload = {
        "action": "synchronize",
        "number": NUMBER,
        "pull_request": {"number": NUMBER, "base": {"sha": base}, "head": {"sha": head}},
        "repository": {"full_name": REPOSITORY},
    }
    path.write_text(json.dumps(payload), encoding="utf-8")


def make_pull_request(tmp_path: Path, base_files: Mapping[str, str], pr_files: Mapping[str, str]) -> PullRequestRepo:
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write_tree(root, base_files)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    base = git(root, "rev-parse", "HEAD")
    write_tree(root, pr_files)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "change")
    head = git(root, "rev-parse", "HEAD")
    event = tmp_path / "event.json"
    write_event(event, base, head)
    return PullRequestRepo(root, base, head, event)


def patch_of(text: str) -> str:
    """The unified-diff patch GitHub lists for a file the pull request adds."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return f"@@ -0,0 +1,{len(lines)} @@\n" + "\n".join("+" + line for line in lines)


@dataclass
class Run:
    code: int
    out: str
    err: str
    summary: str
    outputs: str


def actions_env(
    tmp_path: Path, api_url: str, event: Path | None, *, event_name: str = "pull_request", token: str | None = TOKEN
) -> dict[str, str]:
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": event_name,
        "GITHUB_REPOSITORY": REPOSITORY,
        "GITHUB_API_URL": api_url,
        "GITHUB_SERVER_URL": "https://github.example",
        "GITHUB_RUN_ID": "4242",
        "GITHUB_SHA": "0" * 40,
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "GITHUB_OUTPUT": str(tmp_path / "output.txt"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    if event is not None:
        env["GITHUB_EVENT_PATH"] = str(event)
    if token is not None:
        env["DBVET_GITHUB_TOKEN"] = token
    return env


def run_github(monkeypatch, capsys, cwd: Path, env: Mapping[str, str], *args: str) -> Run:
    """`dbvet github ARGS` in `cwd` with exactly `env`'s GITHUB_* variables (and the token)."""
    from linter.cli import main

    for name in list(os.environ):
        if name.startswith("GITHUB_") or name in ("DBVET_GITHUB_TOKEN", "RUNNER_TEMP"):
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(cwd)
    summary = Path(env["GITHUB_STEP_SUMMARY"]) if "GITHUB_STEP_SUMMARY" in env else None
    outputs = Path(env["GITHUB_OUTPUT"]) if "GITHUB_OUTPUT" in env else None
    for path in (summary, outputs):
        if path is not None and path.exists():
            path.unlink()
    capsys.readouterr()
    code = main(["github", "--jobs", "1", *args])
    captured = capsys.readouterr()
    return Run(
        code=code,
        out=captured.out,
        err=captured.err,
        summary=summary.read_text(encoding="utf-8") if summary and summary.exists() else "",
        outputs=outputs.read_text(encoding="utf-8") if outputs and outputs.exists() else "",
    )
