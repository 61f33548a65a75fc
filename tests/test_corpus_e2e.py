"""dbvet over every repository of the real-world corpus: no internal error, no traceback,
machine-readable output, and findings that point inside the files they name."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, corpus_path

PROJECTS = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else ["(corpus absent)"]


@pytest.mark.parametrize("project", PROJECTS)
def test_whole_project_runs_clean(project):
    root = corpus_path(project)
    run = subprocess.run(
        [sys.executable, "-m", "linter", "check", "--format", "json", "--fail-on", "never", "."],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    report = json.loads(run.stdout)
    assert report["summary"]["findings"] == len(report["findings"])
    for finding in report["findings"]:
        path = root / finding["path"]
        assert path.is_file(), finding
        if finding["rule"] == "E003":
            continue
        lines = re.split(r"\r\n|\r|\n", path.read_text(encoding="utf-8-sig"))
        assert 1 <= finding["line"] <= max(len(lines), 1), finding
        if lines:
            assert 1 <= finding["column"] <= len(lines[finding["line"] - 1]) + 1, finding
