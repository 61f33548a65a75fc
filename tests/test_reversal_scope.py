"""R002 reverts a migration only when the run reports on one of its files: a pre-commit run on
the newest pair of a long history does not revert every older pair. What it reports must be
exactly what a whole run reports on the same files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from harness import write_tree

from linter.cli import main
from linter.engine import Linter
from linter.migrations import Layout, Migration, MigrationSet, Part
from linter.source import SourceFile
from rules import all_rules

# Four golang-migrate pairs; the downs of 2 and 4 do not revert their ups.
PAIRS = {
    "1_users": ("CREATE TABLE users (id bigint PRIMARY KEY);\n", "DROP TABLE users;\n"),
    "2_email": ("ALTER TABLE users ADD COLUMN email text;\n", "SELECT 1;\n"),
    "3_posts": ("CREATE TABLE posts (id bigint PRIMARY KEY);\n", "DROP TABLE posts;\n"),
    "4_title": ("ALTER TABLE posts ADD COLUMN title text;\n", "ALTER TABLE posts ADD COLUMN body text;\n"),
}


def _set() -> MigrationSet:
    migration_set = MigrationSet(
        root=Path("."), path="db", layout=Layout.GOLANG_MIGRATE, dialect="postgresql", dialect_source="test"
    )
    for number, (name, (up, down)) in enumerate(PAIRS.items(), start=1):
        up_file = SourceFile(path=f"db/{name}.up.sql", text=up)
        down_part = Part(SourceFile(path=f"db/{name}.down.sql", text=down))
        migration = Migration(str(number), name, (number,), up_file.path, Part(up_file), down=down_part)
        migration_set.migrations.append(migration)
    return migration_set


@pytest.mark.parametrize(
    ("report_paths", "reverted"),
    [
        (None, ["1_users", "2_email", "3_posts", "4_title"]),  # a whole run
        ({"db/4_title.up.sql", "db/4_title.down.sql"}, ["4_title"]),  # the hook on the newest pair
        ({"db/2_email.down.sql"}, ["2_email"]),  # a down alone
        ({"db/3_posts.up.sql"}, ["3_posts"]),  # an up alone
        (set(), []),
    ],
)
def test_only_migrations_with_a_reported_file_are_reverted(report_paths, reverted):
    rules = all_rules()
    linter = Linter(rules=rules, enabled=[rules["R002"]], report_paths=report_paths)
    migration_set = _set()
    linter.lint_set(migration_set)
    assert [m.name for m in migration_set.migrations if id(m) in linter.reversals] == reverted


def _r002(cwd: Path, *paths: str) -> list[tuple[str, int]]:
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()) as out:
        main(["check", "--no-cache", "--dialect", "postgresql", "--select", "R002", "--format", "json", *paths])
    return [(f["path"], f["line"]) for f in json.loads(out.getvalue())["findings"]]


def test_a_hook_reports_what_a_whole_run_reports_on_its_files(tmp_path, monkeypatch):
    files = {}
    for name, (up, down) in PAIRS.items():
        files[f"db/{name}.up.sql"] = up
        files[f"db/{name}.down.sql"] = down
    write_tree(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    whole = _r002(tmp_path, "db")
    assert whole == [("db/2_email.down.sql", 1), ("db/4_title.down.sql", 1)]
    for given in (["db/4_title.up.sql", "db/4_title.down.sql"], ["db/2_email.down.sql"], ["db/1_users.up.sql"]):
        assert _r002(tmp_path, *given) == [finding for finding in whole if finding[0] in given], given
