"""Ctrl-C and dead workers: a run stops promptly with one line on stderr and leaves no process behind.

Most of these start real runs of dbvet on a synthetic tree big enough to take seconds, wait until
the linting is under way (the progress bar, drawn at once with `DBVET_PROGRESS_DELAY=0`, on a
pseudo terminal), then interrupt them the way a terminal does: SIGINT to the whole process group.
"""

from __future__ import annotations

import multiprocessing
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_jobs import many_sets  # noqa: F401 (a fixture)

from linter import cache as cache_module
from linter import parallel
from linter.cli import main

REPO = Path(__file__).resolve().parents[1]

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to find the workers")

# Frames of the progress bar, then the blank that erases it: all a terminal may show before the message.
PROGRESS = re.compile(r"(\rdbvet: \[[#.]+\] +\d+%)*(\r +\r)?")


@pytest.fixture(scope="module")
def big_tree(tmp_path_factory) -> Path:
    """400 synthetic migration files: a few sets, seconds of linting, enough to fork for."""
    root = tmp_path_factory.mktemp("interrupt") / "tree"
    subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "gen_synthetic.py"), str(root), "--files", "400"],
        check=True, capture_output=True,
    )
    return root


class Run:
    """`dbvet check` in a process group of its own, its stderr on a pseudo terminal."""

    def __init__(self, tree: Path, *args: str) -> None:
        env = {key: value for key, value in os.environ.items() if key != "CI"}
        env["DBVET_PROGRESS_DELAY"] = "0"
        self.terminal, stderr = pty.openpty()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "linter", "check", "--no-cache", *args, str(tree)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr,
            env=env, start_new_session=True,
        )
        os.close(stderr)
        self.seen = b""

    def wait_for(self, text: bytes, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.seen:
            assert self.process.poll() is None, f"ended before showing {text!r}: {self.seen!r}"
            assert time.monotonic() < deadline, f"no {text!r} after {timeout} s"
            self._read(0.1)

    def workers(self) -> list[int]:
        pid = self.process.pid
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]

    def finish(self, timeout: float = 30) -> tuple[int, str]:
        """Exit status and everything the terminal showed, after the process ends."""
        try:
            status = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            pytest.fail(f"still running {timeout} s later")
        while self._read(0):
            pass
        os.close(self.terminal)
        return status, self.seen.decode().replace("\r\n", "\n")

    def _read(self, timeout: float) -> bool:
        if not select.select([self.terminal], [], [], timeout)[0]:
            return False
        try:
            data = os.read(self.terminal, 65536)
        except OSError:  # the other side is closed: Linux reports EIO
            return False
        self.seen += data
        return bool(data)


def message_after_progress(shown: str) -> str:
    """What the terminal shows once the progress bar is erased."""
    bar = PROGRESS.match(shown)
    assert bar is not None
    return shown[bar.end() :]


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie is only waiting to be reaped: its work has stopped


def gone(pids: list[int], timeout: float = 5) -> bool:
    deadline = time.monotonic() + timeout
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not any(alive(pid) for pid in pids)


@linux_only
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_stops_the_run_with_one_line_and_exit_2(big_tree, jobs):
    run = Run(big_tree, "--jobs", jobs)
    run.wait_for(b"dbvet: [")  # a unit is done, others are being linted
    workers = run.workers()
    assert len(workers) == (2 if jobs == "2" else 0)
    started = time.monotonic()
    os.killpg(run.process.pid, signal.SIGINT)  # what Ctrl-C on a terminal does
    status, shown = run.finish()
    assert status == 2
    assert message_after_progress(shown) == "dbvet: interrupted\n"
    assert time.monotonic() - started < 10  # not after the units being linted are done
    assert gone(workers)


@linux_only
def test_sigint_to_the_main_process_alone_stops_the_workers_too(big_tree):
    run = Run(big_tree, "--jobs", "2")
    run.wait_for(b"dbvet: [")
    workers = run.workers()
    assert len(workers) == 2
    run.process.send_signal(signal.SIGINT)
    status, shown = run.finish()
    assert status == 2
    assert message_after_progress(shown) == "dbvet: interrupted\n"
    assert gone(workers)


@linux_only
def test_a_worker_killed_ends_the_run_with_one_line_not_a_hang(big_tree):
    run = Run(big_tree, "--jobs", "2")
    run.wait_for(b"dbvet: [")
    workers = run.workers()
    assert len(workers) == 2
    os.kill(workers[0], signal.SIGKILL)  # as the out-of-memory killer would
    status, shown = run.finish()
    assert status == 2
    assert message_after_progress(shown) == (
        "dbvet: a worker process ended unexpectedly (killed, or out of memory?); rerun with --jobs 1\n"
    )
    assert gone(workers)


def test_an_interrupt_between_results_stops_busy_workers_at_once(many_sets, monkeypatch, capsys):  # noqa: F811
    """Ctrl-C while this process stores a result: the workers still linting are stopped, not awaited."""
    monkeypatch.setattr(parallel, "PARALLEL_MIN_CHARS", 0)
    lint_unit = parallel.lint_unit
    calls: list[int] = []  # each forked worker counts in its own copy

    def slow_after_the_first(setup, unit):
        calls.append(1)
        if len(calls) > 1:
            time.sleep(60)
        return lint_unit(setup, unit)

    def interrupted(self, key, result):
        raise KeyboardInterrupt

    monkeypatch.setattr(parallel, "lint_unit", slow_after_the_first)
    monkeypatch.setattr(cache_module.Cache, "put", interrupted)
    started = time.monotonic()
    assert main(["check", "--format", "json", "--jobs", "2"]) == 2
    assert time.monotonic() - started < 30
    assert capsys.readouterr().err == "dbvet: interrupted\n"
    assert multiprocessing.active_children() == []


# Run in a process of its own, so that a hang fails the test instead of holding pytest: one
# worker sends half a result (the length of a big one, then a few bytes) and dies, as a worker
# killed while it sends does.
_HALF_SENT = """
import gc, os, struct, sys
from multiprocessing.queues import SimpleQueue
from linter import parallel
from linter.cli import main

lint_unit, flag = parallel.lint_unit, sys.argv[1]

def half_sent(setup, unit):
    try:
        os.close(os.open(flag, os.O_CREAT | os.O_EXCL))
    except FileExistsError:
        return lint_unit(setup, unit)
    (results,) = [q for q in gc.get_objects() if isinstance(q, SimpleQueue) and not q._writer.closed]
    os.write(results._writer.fileno(), struct.pack("!i", 1 << 20) + b"x" * 100)
    os._exit(1)

parallel.PARALLEL_MIN_CHARS = 0
parallel.lint_unit = half_sent
sys.exit(main(["check", "--format", "json", "--no-cache", "--jobs", "2"]))
"""


def test_a_worker_dying_halfway_through_sending_a_result_is_no_hang(many_sets):  # noqa: F811
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", _HALF_SENT, str(many_sets / "half-sent.flag")],
        cwd=many_sets, capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (
        2,
        "dbvet: a worker process ended unexpectedly (killed, or out of memory?); rerun with --jobs 1\n",
    )
    assert time.monotonic() - started < 30
