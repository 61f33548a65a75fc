"""The benchmark's synthetic corpus: the same for a seed, in every layout, and clean SQL."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent / "benchmarks")]

from gen_synthetic import MARKER, generate  # noqa: E402
from pglast.parser import split  # noqa: E402

from linter.config import config_from_mapping  # noqa: E402
from linter.run import check  # noqa: E402
from rules import all_rules  # noqa: E402


def _tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    assert generate(tmp_path / "one", 300, seed=5) == 300
    generate(tmp_path / "two", 300, seed=5)
    generate(tmp_path / "three", 300, seed=6)
    assert _tree(tmp_path / "one") == _tree(tmp_path / "two")
    assert _tree(tmp_path / "one") != _tree(tmp_path / "three")


def test_layouts_and_contents(tmp_path):
    generate(tmp_path, 600, seed=8)
    sql = [p for p in tmp_path.rglob("*.sql")]
    assert len(sql) == 600
    names = {p.name for p in sql}
    assert "migration.sql" in names and "up.sql" in names and "down.sql" in names  # Prisma, Diesel
    assert any(n.endswith(".up.sql") for n in names) and any(n.endswith(".down.sql") for n in names)  # golang-migrate
    assert list(tmp_path.rglob("migration_lock.toml")) and list(tmp_path.rglob("schema.prisma"))
    text = "\n".join(p.read_text(encoding="utf-8") for p in sql)
    for piece in ("BEGIN;", "COMMIT;", "$$", "LANGUAGE plpgsql", "INSERT INTO", "UPDATE ", "DELETE FROM", "/*", "-- "):
        assert piece in text
    assert not text.isascii()
    statements = sum(len(split(p.read_text(encoding="utf-8"))) for p in sql)  # every file parses
    assert 15 * len(sql) <= statements <= 25 * len(sql)


def test_dbvet_reads_every_file_without_an_engine_error(tmp_path):
    generate(tmp_path, 300, seed=8)
    rules = all_rules()
    previous = Path.cwd()
    os.chdir(tmp_path)
    try:
        result = check([Path(".")], config_from_mapping({}, rules, tmp_path), rules, tmp_path)
    finally:
        os.chdir(previous)
    # every .sql file, each Prisma schema and each lock file
    assert result.files == 300 + len(list(tmp_path.rglob("*.prisma"))) + len(list(tmp_path.rglob("migration_lock.toml")))
    assert [f for f in result.findings if f.rule.startswith("E")] == []


def test_refuses_to_replace_a_directory_it_did_not_make(tmp_path):
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(SystemExit):
        generate(tmp_path, 10, seed=1)
    assert (tmp_path / "keep.txt").read_text(encoding="utf-8") == "mine"
    generate(tmp_path / "made", 10, seed=1)
    assert (tmp_path / "made" / MARKER).exists()
    generate(tmp_path / "made", 10, seed=1)  # a re-run replaces its own output
