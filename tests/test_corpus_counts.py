"""Per-rule finding counts on every corpus project, with the default rule selection.

A change in any rule's behaviour on real migrations shows up here, in review, as a change to
tests/corpus_counts.json. After checking that a change is right, regenerate the snapshot:

    python tests/test_corpus_counts.py --write
"""

from __future__ import annotations

import collections
import json
import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from conftest import CORPUS, corpus_path  # noqa: E402
from rules import all_rules  # noqa: E402

from linter.config import config_from_mapping  # noqa: E402
from linter.run import check  # noqa: E402

SNAPSHOT = HERE / "corpus_counts.json"


def counts(root: Path) -> dict[str, int]:
    rules = all_rules()
    previous = Path.cwd()
    os.chdir(root)
    try:
        result = check([Path(".")], config_from_mapping({}, rules, root), rules, root)
    finally:
        os.chdir(previous)
    return dict(sorted(collections.Counter(f.rule for f in result.findings).items()))


EXPECTED = json.loads(SNAPSHOT.read_text(encoding="utf-8"))


@pytest.mark.parametrize("project", sorted(EXPECTED))
def test_rule_counts_on_the_corpus(project):
    assert counts(corpus_path(project)) == EXPECTED[project]


def test_snapshot_covers_every_project():
    corpus_path()
    assert sorted(EXPECTED) == sorted(p.name for p in CORPUS.iterdir() if p.is_dir())


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    fresh = {p.name: counts(p) for p in sorted(CORPUS.iterdir()) if p.is_dir()}
    SNAPSHOT.write_text(json.dumps(fresh, indent=4) + "\n", encoding="utf-8")
    print(f"wrote {SNAPSHOT}")
