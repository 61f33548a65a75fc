"""On real sets with down migrations, a run on a few files (as pre-commit passes them) reports
exactly what a run over the whole set reports on those files, though it reads and reverts only
the downs of the pairs it reports on (`Linter._reports_on_either`)."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest
from conftest import corpus_path

from linter.cli import main

# (set folder, its migrations folder, how to find each pair's down beside its up)
SETS = [
    ("openmeterio__openmeter", "tools/migrate/migrations", "golang-migrate"),
    ("LemmyNet__lemmy", "migrations", "diesel"),
    ("UPchieve__subway", "database/migrations", "dbmate"),
]


def _findings(cwd: Path, *paths: str) -> list[tuple]:
    with contextlib.redirect_stdout(io.StringIO()) as out:
        main(["check", "--no-cache", "--jobs", "1", "--format", "json", *paths])
    findings = json.loads(out.getvalue())["findings"]
    return [(f["rule"], f["path"], f["line"], f["column"], f["message"]) for f in findings]


def _pairs(folder: Path, layout: str) -> list[list[Path]]:
    """Each migration's files, oldest first."""
    if layout == "golang-migrate":
        ups = sorted(folder.glob("*.up.sql"))
        return [[up, up.with_name(up.name.replace(".up.sql", ".down.sql"))] for up in ups]
    if layout == "diesel":
        return [[d / "up.sql", d / "down.sql"] for d in sorted(p for p in folder.iterdir() if (p / "up.sql").is_file())]
    return [[file] for file in sorted(folder.glob("*.sql"))]  # dbmate: up and down in one file


@pytest.mark.parametrize(("name", "migrations", "layout"), SETS, ids=[s[0] for s in SETS])
def test_a_hook_on_some_pairs_reports_what_the_whole_set_reports_on_them(name, migrations, layout, monkeypatch):
    root = corpus_path(name)
    monkeypatch.chdir(root)
    pairs = [
        [str(path.relative_to(root)) for path in pair if path.is_file()] for pair in _pairs(root / migrations, layout)
    ]
    assert len(pairs) > 20
    whole = _findings(root, migrations)
    # Where the whole run finds a down that does not revert its up (R002), and one it cannot
    # parse (E001) or that is missing or empty (R001), when the set has one.
    about_downs = [next((f[1] for f in whole if f[0] == rule), None) for rule in ("R002", "E001", "R001")]
    with_finding = [pair for pair in pairs if any(path in pair for path in about_downs)]
    assert with_finding
    # The newest pair (a new migration), an old pair, an old down alone (an edited down), and
    # the pairs with findings on their downs, alone and together.
    for given in (pairs[-1], pairs[len(pairs) // 3], pairs[len(pairs) // 2][-1:], *with_finding, sum(with_finding, [])):
        expected = [finding for finding in whole if finding[1] in given]
        assert _findings(root, *given) == expected, given
