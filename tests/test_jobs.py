"""`--jobs`: worker processes change how fast a run is, never what it reports."""

from __future__ import annotations

import subprocess
import sys

import pytest
from harness import write_tree
from test_cache import TREE

from linter import parallel
from linter.cli import main


@pytest.fixture
def many_sets(tmp_path, monkeypatch):
    """Eight PostgreSQL sets and the mixed tree of test_cache: enough units to share out."""
    files = dict(TREE)
    for number in range(8):
        files[f"services/s{number}/postgres/0001_init.sql"] = (
            f"CREATE TABLE items{number} (id serial PRIMARY KEY, price float, owner_id bigint REFERENCES users (id));\n"
        )
        files[f"services/s{number}/postgres/0002_more.sql"] = (
            f"ALTER TABLE items{number} ADD COLUMN sku text NOT NULL;\nCREATE INDEX ON items{number} (sku);\n"
            f"UPDATE items{number} SET price = 0;\n"
        )
    write_tree(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def forked(monkeypatch):
    """Make every run with more than one job fork, however small, and count the runs that did."""
    monkeypatch.setattr(parallel, "PARALLEL_MIN_CHARS", 0)
    calls: list[int] = []
    original = parallel._in_workers

    def counting(setup, units, order, workers):
        calls.append(workers)
        yield from original(setup, units, order, workers)

    monkeypatch.setattr(parallel, "_in_workers", counting)
    return calls


def test_any_number_of_jobs_reports_the_same(many_sets, forked, capsys):
    outputs = {}
    for jobs in ("1", "2", "4"):
        main(["check", "--format", "json", "--no-cache", "--jobs", jobs])
        outputs[jobs] = capsys.readouterr().out
    assert forked == [2, 4]
    assert outputs["2"] == outputs["1"]
    assert outputs["4"] == outputs["1"]
    assert outputs["1"].count('"rule": "S005"') == 8 + 1  # one per service, one in TREE


def test_workers_fill_the_cache_a_single_process_reads(many_sets, forked, capsys):
    main(["check", "--format", "json", "--jobs", "2"])
    parallel_run = capsys.readouterr().out
    assert forked == [2]
    main(["check", "--format", "json", "--jobs", "1"])
    assert capsys.readouterr().out == parallel_run
    main(["check", "--format", "json", "--jobs", "2"])  # all cached: nothing to fork for
    assert forked == [2]


def test_small_runs_never_fork():
    assert parallel.worker_count(None, 10_000, 1) == 1
    assert parallel.worker_count(8, 10_000, 20) == 1  # a few files: forking costs more than it saves
    assert parallel.worker_count(1, 10**9, 20) == 1
    assert parallel.worker_count(8, 10**9, 3) == 3
    assert parallel.worker_count(2, 10**9, 20) == 2


def test_a_one_file_run_stays_in_process(many_sets, monkeypatch, capsys):
    def refuse(*args):
        raise AssertionError("forked for one file")

    monkeypatch.setattr(parallel, "_in_workers", refuse)
    main(["check", "--format", "json", "--jobs", "4", "services/s1/postgres/0002_more.sql"])
    assert '"path": "services/s1/postgres/0002_more.sql"' in capsys.readouterr().out


def test_the_corpus_reports_the_same_with_two_jobs(corpus):
    def run(jobs: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "linter", "check", "--format", "json", "--no-cache", "--jobs", jobs],
            capture_output=True, text=True, cwd=corpus, timeout=600,
        )

    one, two = run("1"), run("2")
    assert one.stderr == two.stderr == ""
    assert one.returncode == two.returncode == 1
    assert two.stdout == one.stdout
