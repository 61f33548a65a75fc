"""Configuration files parsed once: with the cache on, a run keeps the parsed settings of
.dbvet.yaml, or pyproject.toml's [tool.dbvet] table, in the cache directory (keyed by the file's
text and dbvet's and the parser's code), and later runs skip ruamel.yaml (a third of a
pre-commit run on one file) or tomllib."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from harness import write_tree

from linter import cache as cache_module
from linter.config import load_config
from linter.errors import UserError
from rules import all_rules

CONFIG = "dialect: postgresql\nignore: [C009]\nrules:\n  T001:\n    columns: [created_at]\n"


def _parsed_entries() -> list[Path]:
    folder = cache_module.cache_dir() / f"parsed-{cache_module.FORMAT}"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_a_cached_config_is_the_parsed_one(tmp_path):
    write_tree(tmp_path, {".dbvet.yaml": CONFIG})
    rules = all_rules()
    parsed = load_config(rules, tmp_path)  # no cache: what ruamel.yaml reads
    first = load_config(rules, tmp_path, cache=True)
    assert len(_parsed_entries()) == 1
    second = load_config(rules, tmp_path, cache=True)  # from the cache
    assert parsed == first == second
    assert second.dialect == "postgresql" and second.ignore == ("C009",)
    assert second.rules == {"T001": {"columns": ["created_at"]}}


def test_without_the_cache_nothing_is_kept(tmp_path):
    write_tree(tmp_path, {".dbvet.yaml": CONFIG})
    load_config(all_rules(), tmp_path)
    assert _parsed_entries() == []


def test_an_edited_config_is_parsed_again(tmp_path):
    write_tree(tmp_path, {".dbvet.yaml": CONFIG})
    load_config(all_rules(), tmp_path, cache=True)
    (tmp_path / ".dbvet.yaml").write_text(CONFIG.replace("C009", "C008"), encoding="utf-8")
    assert load_config(all_rules(), tmp_path, cache=True).ignore == ("C008",)
    assert len(_parsed_entries()) == 2


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (".dbvet.yaml", "dialect: [postgresql\n", ".dbvet.yaml: invalid YAML at line 2, column 1"),
        ("pyproject.toml", "[tool.dbvet\n", "pyproject.toml: invalid TOML"),
        ("pyproject.toml", "[tool]\ndbvet = 3\n", "pyproject.toml: [tool.dbvet] must be a table, got"),
        # A date is a value marshal cannot keep: it is not cached, and still judged each time.
        (".dbvet.yaml", "exclude: [2020-01-01]\n", ".dbvet.yaml: exclude"),
        ("pyproject.toml", "[tool.dbvet]\nexclude = [2020-01-01]\n", "pyproject.toml: exclude"),
    ],
)
def test_a_bad_config_fails_the_same_way_every_time_and_is_not_kept(tmp_path, monkeypatch, name, text, message):
    write_tree(tmp_path, {name: text})
    monkeypatch.chdir(tmp_path)
    errors = []
    for _ in range(2):
        with pytest.raises(UserError) as raised:
            load_config(all_rules(), tmp_path, cache=True)
        errors.append(str(raised.value))
    assert errors[0] == errors[1] and errors[0].startswith(message), errors
    assert _parsed_entries() == []


def test_a_damaged_entry_is_a_miss_and_is_removed(tmp_path):
    write_tree(tmp_path, {".dbvet.yaml": CONFIG})
    load_config(all_rules(), tmp_path, cache=True)
    (entry,) = _parsed_entries()
    entry.write_bytes(entry.read_bytes()[:-3])
    assert cache_module.read_parsed("yaml settings", CONFIG) is cache_module.MISSING
    assert not entry.exists()
    assert load_config(all_rules(), tmp_path, cache=True).ignore == ("C009",)


PYPROJECT = (
    '[project]\nname = "app"\n\n'
    '[tool.dbvet]\ndialect = "postgresql"\nignore = ["C009"]\n\n'
    '[tool.dbvet.rules.T001]\ncolumns = ["created_at"]\n'
)


def test_a_cached_pyproject_table_is_the_parsed_one(tmp_path):
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT})
    rules = all_rules()
    parsed = load_config(rules, tmp_path)
    first = load_config(rules, tmp_path, cache=True)
    assert len(_parsed_entries()) == 1
    second = load_config(rules, tmp_path, cache=True)
    assert parsed == first == second
    assert (second.dialect, second.ignore) == ("postgresql", ("C009",))
    assert second.rules == {"T001": {"columns": ["created_at"]}}
    assert cache_module.read_parsed("pyproject dbvet table", PYPROJECT) == {
        "dialect": "postgresql",
        "ignore": ["C009"],
        "rules": {"T001": {"columns": ["created_at"]}},
    }


def test_a_pyproject_naming_dbvet_without_its_table_is_kept_as_none(tmp_path):
    # The search then goes on upwards, from the cache as from the file.
    text = '[project]\nname = "dbvet-plugins"\n'
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "app/pyproject.toml": text})
    for _ in range(2):
        assert load_config(all_rules(), tmp_path / "app", cache=True).dialect == "postgresql"
    assert cache_module.read_parsed("pyproject dbvet table", text) is None


def test_an_explicit_pyproject_is_cached_too(tmp_path):
    write_tree(tmp_path, {"conf/settings.toml": PYPROJECT})
    config = load_config(all_rules(), tmp_path, Path("conf/settings.toml"), cache=True)
    assert config.ignore == ("C009",) and len(_parsed_entries()) == 1
    assert load_config(all_rules(), tmp_path, Path("conf/settings.toml"), cache=True) == config


@pytest.mark.parametrize(
    ("name", "text", "parser"),
    [(".dbvet.yaml", CONFIG, ("ruamel.yaml",)), ("pyproject.toml", PYPROJECT, ("tomllib", "tomli"))],
)
def test_a_second_run_does_not_import_the_parser(tmp_path, name, text, parser):
    write_tree(tmp_path, {name: text, "migrations/0001_init.sql": "ALTER TABLE t ADD COLUMN a text;\n"})
    code = (
        "import sys, io, contextlib\n"
        "from linter.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['check', *sys.argv[2:], 'migrations'])\n"
        "print(any(module in sys.modules for module in sys.argv[1].split(',')))\n"
    )
    env = {**os.environ, "DBVET_CACHE_DIR": str(tmp_path / "cache")}

    def imports_parser(*args: str) -> str:
        argv = [sys.executable, "-c", code, ",".join(parser), *args]
        done = subprocess.run(argv, cwd=tmp_path, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert imports_parser() == "True"  # the first run parses and keeps it
    (tmp_path / "migrations/0001_init.sql").write_text("ALTER TABLE t ADD COLUMN b text;\n", encoding="utf-8")
    assert imports_parser() == "False"  # a changed migration, the same configuration
    assert imports_parser("--no-cache") == "True"
