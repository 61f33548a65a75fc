"""One migration set with a long history: does dbvet's time grow linearly with its length?

    python benchmarks/long_history.py [--migrations 1000] [--rounds 3]

Writes sets of N, 2N and 4N migrations to a temporary directory (each creates a table with a
generated primary key, unique and foreign-key name, adds a check and an index, and drops the
index of the migration before by name alone: the names PostgreSQL generates are what the replay
must keep apart, and DROP INDEX must find its table) and times `dbvet check --no-cache
--jobs 1` on each, as a fresh process. bench.py's scale check grows the number of sets; this
grows one set, where a step that looks at the whole schema for every statement would show.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def write_set(root: Path, migrations: int) -> None:
    folder = root / "migrations"
    folder.mkdir(parents=True)
    (root / "pyproject.toml").write_text('[tool.dbvet]\ndialect = "postgresql"\n', encoding="utf-8")
    for number in range(migrations):
        parent = f", parent_id bigint REFERENCES t{number - 1} (id)" if number else ""
        # The index the migration before made goes: DROP INDEX names no table.
        drop = f"DROP INDEX t{number - 1}_created_at_idx;\n" if number else ""
        (folder / f"{number + 1:05d}_t{number}.sql").write_text(
            f"CREATE TABLE t{number} (id bigint PRIMARY KEY, code text UNIQUE, "
            f"created_at timestamptz NOT NULL DEFAULT now(), updated_at timestamptz NOT NULL DEFAULT now(){parent});\n"
            f"ALTER TABLE t{number} ADD CHECK (code <> '');\n"
            f"CREATE INDEX ON t{number} (created_at);\n{drop}",
            encoding="utf-8",
        )


def timed(root: Path, rounds: int) -> float:
    argv = [sys.executable, "-m", "linter", "check", "--no-cache", "--jobs", "1", "--format", "json", "."]
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        done = subprocess.run(argv, cwd=root, stdout=subprocess.DEVNULL, env={"PYTHONPATH": str(REPO)})
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(f"long_history: dbvet exited {done.returncode}")
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--migrations", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="dbvet-long-"))
    try:
        rows = []
        for factor in (1, 2, 4):
            root = work / str(factor)
            write_set(root, factor * args.migrations)
            rows.append((factor * args.migrations, timed(root, args.rounds)))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("| migrations | median s | × the first |\n|---:|---:|---:|")
    for migrations, seconds in rows:
        print(f"| {migrations:,} | {seconds:.2f} | {seconds / rows[0][1]:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
