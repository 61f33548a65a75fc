"""The benchmark scripts still run against the code they measure (they wrap its entry points
by name, so a renamed or moved function breaks them without breaking any other test)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_phases_reports_every_phase(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.dbvet]\ndialect = "postgresql"\n', encoding="utf-8")
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    (migrations / "0001_users.sql").write_text(
        "CREATE TABLE users (id bigint PRIMARY KEY,\n"
        "  created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL);\n",
        encoding="utf-8",
    )
    (migrations / "0002_email.sql").write_text(
        "-- dbvet: ignore S005 a small table\nCREATE INDEX users_id_idx ON users (id);\n", encoding="utf-8"
    )
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "phases.py"), str(tmp_path)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("2 files, 3 findings, ")
    phases = [line.strip().rsplit(" ", 2)[0].strip() for line in lines[1:]]
    assert phases == [
        "discover",
        "parse postgresql",
        "suppression",
        "replay + rules + Prisma (rest of check)",
        "render json",
    ]


def test_bench_times_every_case_and_writes_its_block(tmp_path, monkeypatch):
    """One round over a tiny synthetic corpus and the two real sets the pre-commit cases use."""
    from conftest import corpus_path

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("langfuse__langfuse", "openmeterio__openmeter"):
        shutil.copytree(corpus_path(name), corpus / name)  # copies: the bench's file listing follows no links
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "bench.py"), "--synthetic-files", "30", "--rounds", "1",
         "--no-scale", "--corpus", str(corpus)],
        capture_output=True, text=True, env={**os.environ, "DBVET_CACHE_DIR": str(tmp_path / "not-the-bench-cache")},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    real = f"real corpus, {sum(1 for path in corpus.rglob('*.sql') if path.is_file())} .sql files"
    assert not (tmp_path / "not-the-bench-cache").exists()  # the bench's runs keep to their own cache
    rows = [line[2:-2].split(" | ") for line in done.stdout.splitlines() if line.startswith("| ") and "---" not in line]
    header, rows = rows[0], rows[1:]
    assert header == ["corpus", "case", "median s", "min s", "peak MB", "× squawk"]
    cases = [(group, case) for group, case, *_ in rows]
    assert cases == [
        ("synthetic, 30 files, 633 statements", "squawk"),
        ("synthetic, 30 files, 633 statements", "dbvet cold, --jobs 1"),
        ("synthetic, 30 files, 633 statements", "dbvet cold, default jobs"),
        ("synthetic, 30 files, 633 statements", "dbvet warm (cache primed)"),
        (real, "squawk"),
        (real, "dbvet cold, --jobs 1"),
        (real, "dbvet cold, default jobs"),
        (real, "dbvet warm (cache primed)"),
        ("pre-commit", "dbvet, one langfuse file, cold"),
        ("pre-commit", "dbvet, one langfuse file, warm"),
        ("pre-commit", "squawk, the same file"),
        ("pre-commit, pairs", "dbvet, the newest openmeter pair, cold"),
        ("pre-commit, pairs", "dbvet, the newest openmeter pair, warm"),
        ("pre-commit, pairs", "squawk, the same files"),
        ("standalone file", "dbvet, one standalone file, cold"),
        ("standalone file", "squawk, the same file"),
        ("standalone file", "python -c pass (the interpreter's start-up)"),
        ("standalone file", "dbvet, the same, clean venv"),
        ("standalone file", "python -c pass, clean venv"),
        ("pre-commit hook, standalone project", "dbvet --base HEAD, standalone project, after an edit"),
        ("pre-commit hook, standalone project", "dbvet --base HEAD, standalone project, after an edit, clean venv"),
        ("pre-commit hook, standalone project", "squawk, the same file"),
        ("pre-commit hook, langfuse", "dbvet --base HEAD, langfuse, after an edit"),
        ("pre-commit hook, langfuse", "dbvet --base HEAD, langfuse, after an edit, clean venv"),
        ("pre-commit hook, langfuse", "squawk, the same file"),
    ]
    for group, case, median, smallest, peak, ratio in rows:
        assert 0 < float(smallest) <= float(median) and int(peak) > 0, (group, case)
        if case.startswith("squawk"):
            assert ratio == "1.00"

    sys.path.insert(0, str(REPO / "benchmarks"))
    import bench

    readme = tmp_path / "README.md"
    readme.write_text(f"# Benchmarks\n\n{bench.BEGIN}\nold figures\n{bench.END}\n\nmore text\n", encoding="utf-8")
    monkeypatch.setattr(bench, "README", readme)
    bench.write_readme("new figures")
    assert (
        readme.read_text(encoding="utf-8") == f"# Benchmarks\n\n{bench.BEGIN}\nnew figures\n{bench.END}\n\nmore text\n"
    )


def test_long_history_times_three_lengths():
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "long_history.py"), "--migrations", "5", "--rounds", "1"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[:2] == ["| migrations | median s | × the first |", "|---:|---:|---:|"]
    rows = [line[2:-2].split(" | ") for line in lines[2:]]
    assert [migrations for migrations, _, _ in rows] == ["5", "10", "20"]
    assert rows[0][2] == "1.00" and all(float(seconds) > 0 for _, seconds, _ in rows)
