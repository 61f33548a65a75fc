"""E004 (unknown dialect) is reported on a file the run reports on: a pre-commit hook that
passes one migration of a set whose dialect cannot be told must hear why it went unchecked,
not "no migration sets found"."""

from __future__ import annotations

import json

from harness import write_tree

from linter.cli import main

TREE = {
    "migrations/0001_init.sql": "CREATE TABLE users (id bigint PRIMARY KEY);\n",
    "migrations/0002_email.sql": "-- the new one\nALTER TABLE users ADD COLUMN email text;\n",
}


def _e004(capsys, *paths: str) -> list[tuple[str, int, int]]:
    main(["check", "--no-cache", "--format", "json", *paths])
    findings = json.loads(capsys.readouterr().out)["findings"]
    return [(f["path"], f["line"], f["column"]) for f in findings if f["rule"] == "E004"]


def test_a_later_migration_given_alone_gets_the_finding(tmp_path, monkeypatch, capsys):
    write_tree(tmp_path, TREE)
    monkeypatch.chdir(tmp_path)
    assert _e004(capsys, "migrations/0002_email.sql") == [("migrations/0002_email.sql", 1, 1)]
    assert "no migration sets" not in capsys.readouterr().err


def test_a_whole_set_gets_it_once_on_its_first_migration(tmp_path, monkeypatch, capsys):
    write_tree(tmp_path, TREE)
    monkeypatch.chdir(tmp_path)
    assert _e004(capsys, ".") == [("migrations/0001_init.sql", 1, 1)]
    assert _e004(capsys, "migrations/0002_email.sql", "migrations/0001_init.sql") == [
        ("migrations/0001_init.sql", 1, 1)
    ]
