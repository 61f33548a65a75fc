"""action.yml, executed as a runner executes a composite action.

The steps are read from action.yml; `${{ … }}` expressions are substituted from the inputs
(defaults merged with the workflow's `with:`), `github.*` and earlier steps' outputs; each
`run:` step runs under `bash --noprofile --norc -eo pipefail` with its `env:`, the GITHUB_*
variables and a fresh GITHUB_OUTPUT file; `uses:` steps are skipped (setup-python's
`python-path` output is a stand-in Python). That stand-in makes the install step cheap: its
venv's `python -m pip install PATH` records PATH and links `dbvet` to this checkout, so the
dbvet step itself runs for real, against the loopback GitHub API.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from github_stub import GitHubStub
from github_support import NUMBER, REPOSITORY, TOKEN, make_pull_request, patch_of
from ruamel.yaml import YAML

ACTION = Path(__file__).resolve().parents[1] / "action.yml"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")

BASE_FILES = {
    ".dbvet.yaml": "dialect: postgresql\n",
    "migrations/0001_init.sql": "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);\n",
}
PR_SQL = "CREATE INDEX orders_total_idx ON orders (total);\nALTER TABLE orders ADD COLUMN note timestamp;\n"
PR_PATH = "migrations/0002_idx.sql"

STAND_IN_PYTHON = """#!/bin/bash
# setup-python's interpreter, for the test: `-m venv DIR` makes a venv whose python
# answers `-m pip install PATH` by recording PATH and linking bin/dbvet to this checkout.
set -e
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
  mkdir -p "$3/bin"
  cat > "$3/bin/python" <<'EOF'
#!/bin/bash
if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then
  echo "$@" >> "$PIP_LOG"
  printf '#!/bin/bash\\nexec "%s" -m linter "$@"\\n' "$REAL_PYTHON" > "$(dirname "$0")/dbvet"
  chmod +x "$(dirname "$0")/dbvet"
  exit 0
fi
exec "$REAL_PYTHON" "$@"
EOF
  chmod +x "$3/bin/python"
  exit 0
fi
exec "$REAL_PYTHON" "$@"
"""


def _action() -> dict:
    return YAML(typ="safe").load(ACTION.read_text(encoding="utf-8"))


def _substitute(text: str, context: dict[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("steps.") and name not in context:
            return ""  # an output a step did not set is empty, as on a runner
        assert name in context, f"action.yml uses ${{{{ {name} }}}}, which this runner stand-in does not know"
        return context[name]

    return EXPRESSION.sub(value, text)


def _outputs(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, _, value = line.partition("=")
        values[name] = value
    return values


def run_action(workspace: Path, tmp_path: Path, with_inputs: dict[str, str], github_env: dict[str, str]):
    """Run action.yml's steps; (exit code of the last step run, step outputs, action outputs)."""
    action = _action()
    action_path = tmp_path / "action"  # the action's own checkout, apart from the workspace
    shutil.copytree(
        ACTION.parent,
        action_path,
        ignore=shutil.ignore_patterns(".git", "tests", "__pycache__", "*.egg-info", "benchmarks", "examples"),
    )
    stand_in = tmp_path / "setup-python" / "python"
    stand_in.parent.mkdir()
    stand_in.write_text(STAND_IN_PYTHON, encoding="utf-8")
    stand_in.chmod(0o755)

    inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    context = {"github.action_path": str(action_path), "github.token": TOKEN}
    inputs = {name: _substitute(value, context) for name, value in inputs.items()}
    inputs.update(with_inputs)
    context.update({f"inputs.{name}": value for name, value in inputs.items()})
    context["steps.python.outputs.python-path"] = str(stand_in)

    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    base_env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "RUNNER_TEMP": str(runner_temp),
        "REAL_PYTHON": sys.executable,
        "PIP_LOG": str(tmp_path / "pip.log"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        **github_env,
    }
    steps: dict[str, dict[str, str]] = {}
    code = 0
    for number, step in enumerate(action["runs"]["steps"]):
        if "uses" in step:
            continue
        output = tmp_path / f"output-{number}"
        output.touch()
        env = {**base_env, "GITHUB_OUTPUT": str(output)}
        env.update({name: _substitute(str(value), context) for name, value in (step.get("env") or {}).items()})
        script = tmp_path / f"step-{number}.sh"
        script.write_text(_substitute(step["run"], context), encoding="utf-8")
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
        )
        steps[step["id"]] = {"stdout": done.stdout, "stderr": done.stderr, **_outputs(output)}
        context.update({f"steps.{step['id']}.outputs.{name}": value for name, value in _outputs(output).items()})
        code = done.returncode
        if code != 0:
            break
    outputs = {name: _substitute(spec["value"], context) for name, spec in action["outputs"].items()}
    return code, steps, outputs


def test_run_steps_never_interpolate_expressions():
    """Inputs and event fields reach the scripts only through env:, where no shell parses them."""
    action = _action()
    assert action["runs"]["using"] == "composite"
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"], step["name"]
            assert step["shell"] == "bash"
    assert set(action["inputs"]) == {
        "paths",
        "config",
        "fail-on",
        "pg-version",
        "comment",
        "check-run",
        "review-comments",
        "sarif-file",
        "token",
        "python-version",
    }
    assert action["inputs"]["token"]["default"] == "${{ github.token }}"
    assert set(action["outputs"]) == {"errors", "warnings", "infos", "findings"}


@pytest.fixture
def stub():
    with GitHubStub(REPOSITORY, NUMBER) as server:
        server.state.files = [{"filename": PR_PATH, "status": "added", "patch": patch_of(PR_SQL)}]
        yield server


def _github_env(tmp_path: Path, pr, stub: GitHubStub) -> dict[str, str]:
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(pr.event),
        "GITHUB_REPOSITORY": REPOSITORY,
        "GITHUB_API_URL": stub.api_url,
        "GITHUB_SERVER_URL": "https://github.example",
        "GITHUB_RUN_ID": "4242",
        "GITHUB_SHA": pr.head,
        "GITHUB_WORKSPACE": str(pr.root),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
    }


def test_the_action_lints_the_pull_request_against_the_loopback_api(tmp_path, stub):
    pr = make_pull_request(tmp_path, BASE_FILES, {PR_PATH: PR_SQL})
    inputs = {"paths": "migrations", "sarif-file": "dbvet.sarif", "pg-version": "15"}
    code, steps, outputs = run_action(pr.root, tmp_path, inputs, _github_env(tmp_path, pr, stub))

    assert code == 1, steps  # an error finding, and fail-on defaults to error
    assert outputs == {"errors": "1", "warnings": "2", "infos": "0", "findings": "3"}
    pip = (tmp_path / "pip.log").read_text(encoding="utf-8").split()
    assert pip == ["-m", "pip", "install", "--disable-pip-version-check", "--quiet", str(tmp_path / "action")]
    assert [line.split(",")[0] for line in steps["dbvet"]["stdout"].splitlines()[:3]] == [
        "::error file=migrations/0002_idx.sql",
        "::warning file=migrations/0002_idx.sql",
        "::warning file=migrations/0002_idx.sql",
    ]
    assert [(r.method, r.path) for r in stub.requests] == [
        ("POST", f"/repos/{REPOSITORY}/check-runs"),
        ("GET", f"/repos/{REPOSITORY}/issues/{NUMBER}/comments"),
        ("POST", f"/repos/{REPOSITORY}/issues/{NUMBER}/comments"),
    ]
    assert all(r.headers["authorization"] == f"token {TOKEN}" for r in stub.requests)
    assert (pr.root / "dbvet.sarif").exists()
    assert "S005 create-index-blocking" in (tmp_path / "summary.md").read_text(encoding="utf-8")
    for step in steps.values():
        assert TOKEN not in step["stdout"] + step["stderr"]


def test_hostile_inputs_stay_data(tmp_path, stub):
    pr = make_pull_request(tmp_path, BASE_FILES, {PR_PATH: PR_SQL})
    inputs = {"paths": '$(touch pwned) `touch pwned2` ";touch pwned3"', "comment": "off", "check-run": "off"}
    code, steps, outputs = run_action(pr.root, tmp_path, inputs, _github_env(tmp_path, pr, stub))

    assert not any((pr.root / name).exists() for name in ("pwned", "pwned2", "pwned3", ")"))
    assert code == 2  # the words are taken as paths, which do not exist
    assert steps["dbvet"]["stderr"].startswith("dbvet: ")
    assert stub.requests == []


def test_readme_workflow_uses_only_inputs_the_action_has():
    readme = (ACTION.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### GitHub Action", 1)[1].split("\n## ", 1)[0]
    workflow = YAML(typ="safe").load(re.search(r"```yaml\n(.*?)```", section, re.S).group(1))
    assert workflow["on"] == "pull_request"
    assert workflow["permissions"] == {
        "contents": "read",
        "pull-requests": "write",
        "checks": "write",
        "security-events": "write",
    }
    steps = workflow["jobs"]["dbvet"]["steps"]
    assert steps[0] == {"uses": "actions/checkout@v4", "with": {"fetch-depth": 0}}
    assert set(steps[1]["with"]) <= set(_action()["inputs"])
    assert steps[2]["uses"].startswith("github/codeql-action/upload-sarif@")
    documented = set(re.findall(r"^\| `([a-z-]+)` \|", section, re.M))
    assert documented == set(_action()["inputs"])
