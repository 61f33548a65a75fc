"""The progress bar: on a terminal, after a delay, erased at the end; never in CI or in machine output."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys

import pytest
from test_jobs import many_sets  # noqa: F401 (a fixture)

from linter.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_nothing_shows_before_the_delay_then_one_line_redraws_and_clears():
    stream, clock = Terminal(), Clock()
    with Progress(stream, delay=2.0, clock=clock) as bar:
        bar.update(10, 100)
        clock.now += 1.9
        bar.update(20, 100)
        assert stream.getvalue() == ""
        clock.now += 0.2
        bar.update(50, 100)
        clock.now += 0.01
        bar.update(60, 100)  # too soon to redraw
        clock.now += 0.5
        bar.update(100, 100)
    line = "dbvet: [" + "#" * 15 + "." * 15 + "]  50%"
    done = "dbvet: [" + "#" * 30 + "] 100%"
    assert stream.getvalue() == "\r" + line + "\r" + done + "\r" + " " * len(done) + "\r"


def test_a_short_run_leaves_nothing_behind():
    stream = Terminal()
    with Progress(stream, delay=2.0, clock=Clock()) as bar:
        bar.update(1, 1)
    assert stream.getvalue() == ""


@pytest.mark.parametrize(
    "enabled, ci, stream",
    [(False, None, Terminal()), (True, "true", Terminal()), (True, None, io.StringIO())],
    ids=["not-wanted", "ci", "not-a-terminal"],
)
def test_for_run_stays_silent(monkeypatch, enabled, ci, stream):
    monkeypatch.setenv("DBVET_PROGRESS_DELAY", "0")
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with Progress.for_run(enabled, stream) as bar:
        bar.update(5, 10)
    assert stream.getvalue() == ""


def run_on_pty(args: list[str], cwd, **env: str) -> tuple[str, str]:
    """Run dbvet with stderr on a pseudo-terminal; (what the terminal got, stdout)."""
    environment = {key: value for key, value in os.environ.items() if key != "CI"} | env
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "linter", "check", "--no-cache", "--jobs", "1", *args],
        stdout=subprocess.PIPE, stderr=slave, cwd=cwd, env=environment,
    )
    os.close(slave)
    received = b""
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        received += chunk
    stdout = process.communicate(timeout=60)[0]
    os.close(master)
    return received.decode(), stdout.decode()


def test_a_long_run_on_a_terminal_shows_and_erases_the_bar(many_sets):  # noqa: F811
    terminal, stdout = run_on_pty([], many_sets, DBVET_PROGRESS_DELAY="0")
    assert terminal.startswith("\rdbvet: [")
    done = "dbvet: [" + "#" * 30 + "] 100%"
    assert terminal.endswith("\r" + done + "\r" + " " * len(done) + "\r")
    assert "dbvet:" not in stdout and "Found " in stdout


@pytest.mark.parametrize(
    "args, env",
    [(["--format", "json"], {}), (["-q"], {}), ([], {"CI": "1"}), ([], {"DBVET_PROGRESS_DELAY": "600"})],
    ids=["json", "quiet", "ci", "short-run"],
)
def test_no_bar_for_machines_quiet_runs_ci_or_short_runs(many_sets, args, env):  # noqa: F811
    terminal, _ = run_on_pty(args, many_sets, **({"DBVET_PROGRESS_DELAY": "0"} | env))
    assert terminal == ""
