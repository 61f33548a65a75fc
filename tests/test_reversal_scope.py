"""A down is read (parsed, and reverted for R002) only when the run reports on a file of its
pair: a pre-commit run on the newest pair of a long history does not read every older down.
What such a run reports must be exactly what a whole run reports on the same files."""

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

# golang-migrate pairs: the downs of 2 and 4 do not revert their ups, 5's does not parse
# (E001), 6's holds no statement (R001).
PAIRS = {
    "1_users": ("CREATE TABLE users (id bigint PRIMARY KEY);\n", "DROP TABLE users;\n"),
    "2_email": ("ALTER TABLE users ADD COLUMN email text;\n", "SELECT 1;\n"),
    "3_posts": ("CREATE TABLE posts (id bigint PRIMARY KEY);\n", "DROP TABLE posts;\n"),
    "4_title": ("ALTER TABLE posts ADD COLUMN title text;\n", "ALTER TABLE posts ADD COLUMN body text;\n"),
    "5_tags": ("CREATE TABLE tags (id bigint PRIMARY KEY);\n", "DROP TABLE tags\nDROP TABLE x;\n"),
    "6_slug": ("ALTER TABLE tags ADD COLUMN slug text;\n", "-- nothing to undo\n"),
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


def _run(*paths: str) -> list[tuple[str, str, int, int]]:
    import contextlib
    import io

    with contextlib.redirect_stdout(io.StringIO()) as out:
        main(["check", "--no-cache", "--dialect", "postgresql", "--format", "json", *paths])
    return [(f["rule"], f["path"], f["line"], f["column"]) for f in json.loads(out.getvalue())["findings"]]


def test_a_hook_reports_what_a_whole_run_reports_on_its_files(tmp_path, monkeypatch):
    files = {}
    for name, (up, down) in PAIRS.items():
        files[f"db/{name}.up.sql"] = up
        files[f"db/{name}.down.sql"] = down
    write_tree(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    whole = _run("db")
    on_downs = sorted((rule, path) for rule, path, _, _ in whole if path.endswith(".down.sql"))
    assert on_downs == [
        ("E001", "db/5_tags.down.sql"),
        ("R001", "db/6_slug.down.sql"),
        ("R002", "db/2_email.down.sql"),
        ("R002", "db/4_title.down.sql"),
    ]
    for given in (
        ["db/6_slug.up.sql", "db/6_slug.down.sql"],
        ["db/5_tags.down.sql"],
        ["db/4_title.up.sql", "db/4_title.down.sql"],
        ["db/2_email.down.sql"],
        ["db/1_users.up.sql"],
    ):
        assert _run(*given) == [finding for finding in whole if finding[1] in given], given
