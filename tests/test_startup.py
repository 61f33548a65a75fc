"""Start-up: what `dbvet check <one file>` imports, the pre-commit hook's case. Behaviour, not
wall-clock: each module imported is time a hook pays on every commit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("sqlglot", "ruamel", "github")

# Runs the command line in a fresh interpreter, then lists every module it imported.
PROBE = """
import sys
from linter.cli import main
code = main(sys.argv[2:])
with open(sys.argv[1], "w") as listing:
    listing.write("\\n".join(sorted(sys.modules)))
"""


def imported(cwd: Path, *args: str, bare: bool = False) -> set[str]:
    """bare: without the interpreter's site hooks (`python -S`), on this process's module path."""
    listing = cwd / ".modules"
    python = [sys.executable, "-S"] if bare else [sys.executable]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in sys.path if path)} if bare else None
    argv = [*python, "-c", PROBE, str(listing), "check", *args]
    run = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, env=env)
    assert run.stderr == ""
    assert "Found 1 finding" in run.stdout or "Found 2 findings" in run.stdout, run.stdout
    return set(listing.read_text().split("\n"))


def under(modules: set[str], *packages: str) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in packages)


@pytest.fixture
def standalone(tmp_path):
    (tmp_path / "add_index.sql").write_text("CREATE INDEX CONCURRENTLY orders_note_idx ON orders (note);\nALTER TABLE t ADD COLUMN j jsonb;\n")
    return tmp_path


def test_a_postgresql_file_loads_no_other_parser_nor_github_nor_yaml(standalone):
    modules = imported(standalone, "--no-cache", "add_index.sql")
    assert "pglast" in modules
    assert under(modules, *HEAVY) == []


def test_a_postgresql_file_loads_no_module_only_some_runs_need(standalone):
    # shutil (with zlib, bz2, lzma) came with argparse's help formatter; decimal with the
    # printing of float-looking literals; the git wrapper belongs to --base, the suppression
    # comments' lexer to a file that has one. Run without the site hooks (-S), which may
    # import some of these themselves, on this interpreter's module path.
    modules = imported(standalone, "--no-cache", "add_index.sql", bare=True)
    assert {"shutil", "decimal", "subprocess", "linter.gitbase", "linter.suppress"} & modules == set()


def test_a_warm_run_loads_neither_parser_nor_rules_nor_engine(standalone):
    first = imported(standalone, "add_index.sql")
    assert {"pglast", "linter.engine", "rules.s005_create_index_blocking"} <= first
    warm = imported(standalone, "add_index.sql")
    assert under(warm, "pglast", "json", *HEAVY) == []
    assert sorted(m for m in warm if m.startswith("rules.")) == []
    assert {"linter.engine", "linter.actions", "linter.context", "linter.schema", "linter.prisma"} & warm == set()


def test_a_mysql_file_loads_sqlglot_where_it_is_needed(tmp_path):
    (tmp_path / "mysql").mkdir()
    (tmp_path / "mysql" / "0001.sql").write_text("CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v TEXT) ENGINE=InnoDB;\n")
    modules = imported(tmp_path, "--no-cache", "mysql/0001.sql")
    assert "sqlglot" in modules
    assert under(modules, "ruamel", "github") == []


@pytest.mark.parametrize("columns", [None, "100", "37", "0", "wide"])
def test_help_is_as_wide_as_argparse_would_make_it(monkeypatch, columns):
    import argparse

    from linter.cli import _Formatter

    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    assert _Formatter("dbvet")._width == argparse.HelpFormatter("dbvet")._width
