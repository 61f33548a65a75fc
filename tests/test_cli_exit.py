"""How the `dbvet` command ends: `linter.cli.entry` flushes the output and leaves with a hard
exit (no teardown of what the run built). The report must still arrive whole, the exit code
must be main's, and a stream that cannot take the report ends the run with one line or quietly."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from harness import write_tree

from linter import cli

# Enough findings that the JSON report is far bigger than a pipe's buffer (64 KiB).
MANY = "".join(f"CREATE TABLE t{n} (id int);\n" for n in range(400))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_tree(tmp_path, {"migrations/0001_init.sql": MANY, "migrations/0002_more.sql": MANY.replace("t", "u")})
    return tmp_path


def run(cwd: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "linter", *args], cwd=cwd, capture_output=True, text=True, **kwargs
    )


def test_a_large_report_arrives_whole_through_a_pipe(project):
    done = run(project, "check", "--no-cache", "--dialect", "postgresql", "--format", "json", "migrations")
    assert done.stderr == ""
    assert len(done.stdout) > 256 * 1024
    report = json.loads(done.stdout)
    assert report["summary"]["findings"] == len(report["findings"]) > 800
    assert done.returncode == 1  # errors among the findings: main's code, not the hard exit's


def test_the_exit_code_is_mains_when_nothing_is_found(tmp_path):
    write_tree(tmp_path, {"notes.txt": "no migrations here"})
    done = run(tmp_path, "check", "--no-cache", ".")
    assert done.returncode == 0
    assert done.stderr.startswith("dbvet: no migration sets or Prisma schemas found")


def test_output_file_is_complete(project):
    done = run(
        project, "check", "--no-cache", "--dialect", "postgresql",
        "--format", "sarif", "--output", "out.sarif", "migrations",
    )
    assert (done.returncode, done.stdout, done.stderr) == (1, "", "")
    sarif = json.loads((project / "out.sarif").read_text(encoding="utf-8"))
    assert len(sarif["runs"][0]["results"]) > 800


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full to fill a stream")
def test_a_full_output_stream_is_one_line_and_exit_2(project):
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "linter", "check", "--no-cache", "--dialect", "postgresql", "migrations"],
            cwd=project, stdout=full, stderr=subprocess.PIPE, text=True,
        )
    assert done.returncode == 2
    assert done.stderr == "dbvet: cannot write the output: No space left on device\n"


class _LeftEarly(io.StringIO):
    """A stdout whose reader has gone, as `dbvet check | head -1` leaves it."""

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_a_reader_that_left_early_ends_the_run_quietly(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdout", _LeftEarly())
    assert cli.main(["rules"]) == 2
    assert capsys.readouterr().err == ""  # not "internal error", no traceback


def test_entry_is_the_command_and_python_dash_m():
    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    assert 'dbvet = "linter.cli:entry"' in pyproject
    main_module = (Path(cli.__file__).parent / "__main__.py").read_text(encoding="utf-8")
    assert "entry()" in main_module
