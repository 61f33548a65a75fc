"""`dbvet github`: pull-request mode inside GitHub Actions.

In a pull_request (or pull_request_target) event, dbvet lints against the pull request's
base commit — so "created in this change" and R003/R004 see the change — and reports only
findings in the files the pull request changed: as workflow-command annotations, in the job
summary, in one check run, in one sticky comment and, if asked, as review comments with
suggestions. Outside a pull request it is `check --format github` plus the job summary.

Everything that needs the API is an extra. Each capability that fails prints one warning
saying what was not done and why; the exit code depends on the findings alone.
"""

from __future__ import annotations

import argparse
import posixpath
import subprocess
import sys
from pathlib import Path
from typing import Callable

from linter.errors import UserError
from linter.findings import Finding, RunResult, Severity
from linter.github import checkrun, comment, markdown, suggestions
from linter.github.environment import ActionsEnvironment, read_environment
from linter.records import replace
from linter.report.common import plural
from linter.report.github import escape_data


def run_github(args: argparse.Namespace) -> int:
    from linter.cli import lint, write_atomically
    from linter.report import render

    env = read_environment()
    cwd = Path.cwd()
    pull = env.pull_request
    if pull is not None and args.base is None:
        args.base = pull.base_sha
    rules, config, result = lint(args, cwd)
    if pull is not None:
        result = _only_changed(result)

    output = render(args.format, result, rules=rules, quiet=args.quiet)
    if args.output is not None:
        write_atomically(args.output, output)
    else:
        sys.stdout.write(output)
        sys.stdout.flush()
    if args.sarif is not None:
        write_atomically(args.sarif, render("sarif", result, rules=rules))

    repo_path = _repository_paths(cwd)
    report = markdown.Report(
        findings=result.findings,
        files=result.files,
        pull_request=pull is not None,
        link=lambda finding: _link(env, repo_path, finding),
        run_url=env.run_url,
    )
    if env.step_summary is not None:
        _append(env.step_summary, markdown.render(report, limit=markdown.STEP_SUMMARY_LIMIT) + "\n")
    if env.output is not None:
        _append(env.output, _outputs(result))
    if pull is not None:
        _publish(args, env, result, report, repo_path, config.fail_on)

    fail_on: Severity | None = config.fail_on
    return 1 if fail_on is not None and any(finding.severity >= fail_on for finding in result.findings) else 0


def _only_changed(result: RunResult) -> RunResult:
    """The findings in files the pull request changed (RunResult.changed, from --base)."""
    changed = result.changed
    if changed is None:
        raise UserError("cannot tell which files the pull request changed: the run was not measured against its base")
    return replace(result, findings=[finding for finding in result.findings if finding.path in changed])


def _outputs(result: RunResult) -> str:
    """The step outputs action.yml passes on: counts by severity and in all."""
    by = result.by_severity()
    values = {"errors": by["error"], "warnings": by["warning"], "infos": by["info"], "findings": len(result.findings)}
    return "".join(f"{name}={value}\n" for name, value in values.items())


def _append(path: Path, text: str) -> None:
    try:
        with path.open("a", encoding="utf-8") as stream:
            stream.write(text)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None


def _repository_paths(cwd: Path) -> Callable[[str], str]:
    """Display paths (relative to the working directory) to paths from the repository's root,
    which is what the API's annotations, review comments and links expect."""
    try:
        prefix = subprocess.run(
            ["git", "rev-parse", "--show-prefix"], cwd=cwd, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        prefix = ""
    return lambda path: posixpath.normpath(posixpath.join(prefix, path)) if prefix else path


def _link(env: ActionsEnvironment, repo_path: Callable[[str], str], finding: Finding) -> str | None:
    url = env.blob_url(repo_path(finding.path))
    if url is None:
        return None
    lines = f"L{finding.line}" if finding.end_line <= finding.line else f"L{finding.line}-L{finding.end_line}"
    return f"{url}#{lines}"


def _title(result: RunResult) -> str:
    if not result.findings:
        return "No findings"
    by = result.by_severity()
    return (
        f"{plural(len(result.findings), 'finding')}: {plural(by['error'], 'error')}, "
        f"{plural(by['warning'], 'warning')}, {plural(by['info'], 'info')}"
    )


def _warn(text: str) -> None:
    """One workflow-command warning; the text is escaped so it stays one command."""
    sys.stdout.write(f"::warning title=dbvet::{escape_data(text)}\n")
    sys.stdout.flush()


def _publish(
    args: argparse.Namespace,
    env: ActionsEnvironment,
    result: RunResult,
    report: markdown.Report,
    repo_path: Callable[[str], str],
    fail_on: Severity | None,
) -> None:
    """The check run, the sticky comment and the review comments, each on its own."""
    from linter.github import api

    wanted = [
        name
        for name, on in (
            ("check run", args.check_run == "on"),
            ("pull-request comment", args.comment == "on"),
            ("review comments", args.review_comments == "on"),
        )
        if on
    ]
    if not wanted:
        return
    if not env.token:
        _warn(f"no GitHub token (set DBVET_GITHUB_TOKEN or GITHUB_TOKEN): skipped the {', '.join(wanted)}")
        return
    if not env.repository:
        _warn(f"GITHUB_REPOSITORY is not set: skipped the {', '.join(wanted)}")
        return
    pull = env.pull_request
    assert pull is not None
    client = api.client(env.api_url, env.token)
    repo = client.get_repo(env.repository)
    failures = api.failures()

    def attempt(capability: str, doing: str, action: Callable[[], str]) -> None:
        try:
            done = action()
        except failures as exc:
            _warn(f"could not {doing()}: {api.describe(exc, capability, env.api_url, env.token)}")
        else:
            print(f"dbvet: {done}", file=sys.stderr)

    if "check run" in wanted:
        annotations = [checkrun.annotation(finding, repo_path(finding.path)) for finding in result.findings]
        sent = [0]

        def check_run() -> str:
            checkrun.publish(
                repo,
                pull.head_sha,
                title=_title(result),
                summary=markdown.render(report, limit=markdown.SUMMARY_LIMIT),
                annotations=annotations,
                outcome=checkrun.conclusion(result.findings, result.files, fail_on),
                progress=lambda count: sent.__setitem__(0, count),
            )
            return f"check run {checkrun.NAME!r} created with {plural(len(annotations), 'annotation')}"

        def check_run_doing() -> str:
            if sent[0]:
                return f"send every annotation of the check run (sent {sent[0]} of {len(annotations)})"
            return "create the check run"

        attempt("check run", check_run_doing, check_run)

    if "pull-request comment" in wanted:
        body = markdown.render(report, limit=markdown.COMMENT_LIMIT, marker=markdown.MARKER)

        def sticky() -> str:
            outcome = comment.upsert(repo.get_issue(pull.number), body, has_findings=bool(result.findings))
            return f"pull-request comment {outcome}" if outcome != "none" else "no pull-request comment needed"

        attempt("pull-request comment", lambda: "update the pull-request comment", sticky)

    if "review comments" in wanted:

        def review() -> str:
            proposed = suggestions.group(result.findings, result.sources)
            posted = suggestions.post(repo.get_pull(pull.number), pull.head_sha, proposed, result.sources, repo_path)
            return f"{plural(posted, 'review comment')} with suggestions posted"

        attempt("review comments", lambda: "post review comments with suggestions", review)
