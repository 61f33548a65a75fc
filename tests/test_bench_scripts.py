"""The benchmark scripts still run against the code they measure (they wrap its entry points
by name, so a renamed or moved function breaks them without breaking any other test)."""

from __future__ import annotations

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
