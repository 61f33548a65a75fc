"""Shared test fixtures: where the real-world corpus lives, and whether it must be there."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"


def corpus_path(*parts: str) -> Path:
    """A path inside ../shared/corpus; skips the test where the corpus is absent (a user's clone),
    unless DBVET_REQUIRE_CORPUS=1 (set by .ci/run), where its absence fails the test."""
    if not CORPUS.is_dir():
        if os.environ.get("DBVET_REQUIRE_CORPUS") == "1":
            pytest.fail(f"the corpus is required (DBVET_REQUIRE_CORPUS=1) but {CORPUS} does not exist")
        pytest.skip(f"the real-world corpus is not here ({CORPUS}); it ships beside the repository in ../shared")
    path = CORPUS.joinpath(*parts)
    assert path.exists(), f"missing corpus path {path}"
    return path


@pytest.fixture
def corpus() -> Path:
    return corpus_path()
