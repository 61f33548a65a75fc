"""`dbvet init`: the starter configuration and the pre-commit hook, written once, exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import write_tree

from linter import PROJECT_URL, __version__
from linter.cli import main
from linter.config import load_config
from rules import all_rules

REV = f"v{__version__}"
NEW_HOOK_FILE = f"""# pre-commit hooks (https://pre-commit.com)
repos:
  - repo: {PROJECT_URL}
    rev: {REV}
    hooks:
      - id: dbvet
"""
HEADER = "written by `dbvet init`; every key is described in the README, under Configuration"
EXAMPLES = """# the PostgreSQL major version you run (9 to 18)
# pg-version{sep}14
# exit 1 on findings at this level: error, warning, info or never
# fail-on{sep}"error"
"""
PRISMA = {
    "prisma/schema.prisma": 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n',
    "prisma/migrations/migration_lock.toml": 'provider = "postgresql"\n',
    "prisma/migrations/20240101000000_init/migration.sql": 'CREATE TABLE "user" (id bigint PRIMARY KEY);\n',
}


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _init(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["init", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_an_empty_folder_gets_a_yaml_config_and_a_new_hook_file(here, capsys):
    assert _init(capsys) == (
        0,
        "found no migration sets or Prisma schemas here yet\n"
        "wrote .dbvet.yaml\n"
        "wrote .pre-commit-config.yaml with the dbvet hook\n"
        "run `pre-commit install` once so that the hook runs on every commit\n",
        "",
    )
    assert (here / ".dbvet.yaml").read_text() == f"# dbvet {HEADER}\n" + EXAMPLES.format(sep=": ")
    assert (here / ".pre-commit-config.yaml").read_text() == NEW_HOOK_FILE
    assert sorted(p.name for p in here.iterdir()) == [".dbvet.yaml", ".pre-commit-config.yaml"]
    assert load_config(all_rules(), here).path == here / ".dbvet.yaml"


def test_running_init_twice_changes_nothing_and_says_so(here, capsys):
    write_tree(here, PRISMA | {"pyproject.toml": '[project]\nname = "shop"\n'})
    assert _init(capsys)[0] == 0
    before = _snapshot(here)
    assert _init(capsys) == (
        0,
        "found prisma/migrations: prisma migrations, postgresql (migration_lock.toml)\n"
        "found a Prisma schema in prisma\n"
        "configuration already in pyproject.toml: left as it is\n"
        ".pre-commit-config.yaml already runs the dbvet hook: left as it is\n"
        "nothing changed: dbvet is already set up here\n",
        "",
    )
    assert _snapshot(here) == before


def test_an_existing_pyproject_gets_the_table_appended_and_the_text_kept(here, capsys):
    pyproject = (
        '[project]\r\nname = "shop"  # the app\r\n\r\n[tool.ruff]\r\nline-length = 100'  # CRLF, no final newline
    )
    write_tree(
        here,
        PRISMA
        | {
            "pyproject.toml": "\ufeff" + pyproject,
            "db/seeds/0001_users.sql": "INSERT INTO users VALUES (1);\n",
        },
    )
    code, out, _ = _init(capsys)
    assert code == 0
    assert out.splitlines()[:4] == [
        "found db/seeds: plain migrations, dialect unknown",
        "found prisma/migrations: prisma migrations, postgresql (migration_lock.toml)",
        "found a Prisma schema in prisma",
        "added [tool.dbvet] to pyproject.toml",
    ]
    table = (
        f"[tool.dbvet]\n# {HEADER}\n"
        '# SQL that looks like seeds, fixtures or tests, not migrations\nexclude = ["db/seeds"]\n'
        + EXAMPLES.format(sep=" = ")
    )
    expected = "\ufeff" + pyproject + "\r\n\r\n" + table.replace("\n", "\r\n")
    assert (here / "pyproject.toml").read_bytes() == expected.encode("utf-8")
    config = load_config(all_rules(), here)
    assert (config.path, config.exclude, config.dialect) == (here / "pyproject.toml", ("db/seeds",), None)


def test_a_set_of_unknown_dialect_gets_the_dialect_the_others_have(here, capsys):
    write_tree(here, PRISMA | {"sql/0001_init.sql": "CREATE TABLE t (id int);\n"})
    assert _init(capsys)[0] == 0
    assert (here / ".dbvet.yaml").read_text() == (
        f"# dbvet {HEADER}\n"
        "# sql: the SQL does not say its dialect; the other migrations are PostgreSQL\n"
        'dialect: "postgresql"\n' + EXAMPLES.format(sep=": ")
    )
    assert load_config(all_rules(), here).dialect == "postgresql"


def test_an_unknown_dialect_alone_is_left_for_the_user_to_set(here, capsys):
    write_tree(here, {"sql/0001_init.sql": "CREATE TABLE t (id int);\n", "pyproject.toml": ""})
    assert _init(capsys, "--format", "yaml")[0] == 0
    assert (here / "pyproject.toml").read_text() == ""
    assert (here / ".dbvet.yaml").read_text() == (
        f"# dbvet {HEADER}\n"
        "# sql: dbvet cannot tell the SQL dialect; set postgresql, mysql or sqlite\n"
        '# dialect: "postgresql"\n' + EXAMPLES.format(sep=": ")
    )
    assert load_config(all_rules(), here).dialect is None


COMMENTED = """\
# See https://pre-commit.com for more information
default_language_version:
    python: python3.11   # pinned
repos:
-   repo: https://github.com/pre-commit/pre-commit-hooks
    rev: 'v4.5.0'  # quoted on purpose
    hooks:
    -   id: trailing-whitespace

    -   id: check-yaml
        args: ["--unsafe", '--allow-multiple-documents']

# local hooks last
-   repo: local
    hooks:
    -   id: mypy
        name: mypy
        entry: mypy
        language: system
"""


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_commented_hook_file_keeps_every_byte_and_gains_one_entry(here, capsys, newline):
    write_tree(here, {".pre-commit-config.yaml": COMMENTED.replace("\n", newline), ".dbvet.yaml": ""})
    assert _init(capsys) == (
        0,
        "found no migration sets or Prisma schemas here yet\n"
        "configuration already in .dbvet.yaml: left as it is\n"
        "added the dbvet hook to .pre-commit-config.yaml\n"
        "run `pre-commit install` once so that the hook runs on every commit\n",
        "",
    )
    entry = f"-   repo: {PROJECT_URL}\n    rev: {REV}\n    hooks:\n    -   id: dbvet\n"
    assert (here / ".pre-commit-config.yaml").read_bytes() == (COMMENTED + entry).replace("\n", newline).encode()
    assert _init(capsys)[1].endswith("nothing changed: dbvet is already set up here\n")


def test_the_indented_style_is_kept(here, capsys):
    text = 'repos:\n  - repo: https://github.com/psf/black\n    rev: "24.1.0"\n    hooks:\n      - id: black\n'
    write_tree(here, {".pre-commit-config.yaml": text, ".dbvet.yaml": ""})
    assert _init(capsys)[0] == 0
    assert (here / ".pre-commit-config.yaml").read_text() == text + NEW_HOOK_FILE.split("repos:\n", 1)[1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# nothing yet\n", "# nothing yet\nrepos:\n" + NEW_HOOK_FILE.split("repos:\n", 1)[1]),
        ("fail_fast: true\n", "fail_fast: true\nrepos:\n" + NEW_HOOK_FILE.split("repos:\n", 1)[1]),
    ],
)
def test_a_hook_file_without_repos_gets_the_list(here, capsys, text, expected):
    write_tree(here, {".pre-commit-config.yaml": text, ".dbvet.yaml": ""})
    assert _init(capsys)[0] == 0
    assert (here / ".pre-commit-config.yaml").read_text() == expected


def test_a_hook_file_already_running_dbvet_is_left_alone(here, capsys):
    text = "repos:\n- repo: local\n  hooks:\n  - {id: dbvet, name: dbvet, entry: dbvet check, language: system}\n"
    write_tree(here, {".pre-commit-config.yaml": text})
    code, out, _ = _init(capsys)
    assert code == 0
    assert ".pre-commit-config.yaml already runs the dbvet hook: left as it is\n" in out
    assert (here / ".pre-commit-config.yaml").read_text() == text


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "repos:\n  - repo: x\n   rev: y\n",
            ".pre-commit-config.yaml: invalid YAML at line 3, column 4: expected <block end>, but found "
            "'<block mapping start>'; left as it is",
        ),
        ("repos: {}\n", ".pre-commit-config.yaml: expected a mapping with a `repos` list; left as it is"),
        ("- a\n", ".pre-commit-config.yaml: expected a mapping with a `repos` list; left as it is"),
        (
            "repos:\n  - repo: x\n    hooks: [{id: y}]\n",
            ".pre-commit-config.yaml: an automatic edit would reformat it; add this item to `repos` yourself: "
            f"- {{repo: {PROJECT_URL}, rev: {REV}, hooks: [{{id: dbvet}}]}}",
        ),
        # A tagged key is `repos` to pre-commit but not to the round trip, which would add a second one.
        (
            "!!str repos: []\n",
            ".pre-commit-config.yaml: an automatic edit would reformat it; add this item to `repos` yourself: "
            f"- {{repo: {PROJECT_URL}, rev: {REV}, hooks: [{{id: dbvet}}]}}",
        ),
        # The round trip reads this; a loader like pre-commit's refuses it.
        (
            "repos: !!str []\n",
            ".pre-commit-config.yaml: invalid YAML at line 1, column 8: expected a scalar node, but found sequence; "
            "left as it is",
        ),
    ],
)
def test_a_hook_file_init_cannot_edit_is_one_line_exit_2_and_nothing_is_written(here, capsys, text, problem):
    write_tree(here, {".pre-commit-config.yaml": text})
    assert _init(capsys) == (2, "", f"dbvet: {problem}\n")
    assert _snapshot(here) == {".pre-commit-config.yaml": text.encode()}


def test_a_pyproject_the_table_cannot_be_appended_to_is_one_line(here, capsys):
    text = "tool = { black = { line-length = 100 } }\n"
    write_tree(here, {"pyproject.toml": text})
    code, out, err = _init(capsys)
    assert (code, out) == (2, "")
    assert err.startswith("dbvet: pyproject.toml: cannot add [tool.dbvet] (") and err.endswith(
        "); use `dbvet init --format yaml`\n"
    )
    assert _snapshot(here) == {"pyproject.toml": text.encode()}


def test_a_configuration_in_a_parent_folder_is_respected(here, capsys, monkeypatch):
    write_tree(here, {".dbvet.yaml": "pg-version: 15\n", "app/.git/HEAD": "ref: refs/heads/main\n"})
    monkeypatch.chdir(here / "app")
    code, out, _ = _init(capsys)
    assert code == 0
    assert f"configuration already in {here / '.dbvet.yaml'}: left as it is\n" in out
    assert sorted(p.name for p in (here / "app").iterdir()) == [".git", ".pre-commit-config.yaml"]


def test_outside_the_repository_top_init_says_where_pre_commit_looks(here, capsys, monkeypatch):
    write_tree(here, {".git/HEAD": "ref: refs/heads/main\n", "services/api/.dbvet.yaml": ""})
    monkeypatch.chdir(here / "services" / "api")
    code, out, _ = _init(capsys)
    assert code == 0
    assert f"note: pre-commit reads .pre-commit-config.yaml in the repository's top folder, {here}\n" in out
