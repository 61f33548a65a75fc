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


@pytest.fixture(autouse=True)
def _own_cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts with an empty result cache of its own, away from the user's: a test
    sees what a first run computes, and no test's entries leak into another's."""
    monkeypatch.setenv("DBVET_CACHE_DIR", str(tmp_path_factory.mktemp("dbvet-cache", numbered=True)))


PG_URL = os.environ.get("DBVET_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
MYSQL_URL = os.environ.get("DBVET_TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306/")


def _unavailable(what: str, reason: str):
    if os.environ.get("DBVET_REQUIRE_DB") == "1":
        pytest.fail(f"{what} is required (DBVET_REQUIRE_DB=1) but unavailable: {reason}")
    pytest.skip(f"{what} is not available: {reason}")


@pytest.fixture
def pg_database():
    """A scratch PostgreSQL database, dropped afterwards; yields its connection URL."""
    import uuid

    import psycopg

    name = f"dbvet_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(PG_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        _unavailable(f"PostgreSQL at {PG_URL}", str(exc).strip().splitlines()[0])
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield PG_URL.rsplit("/", 1)[0] + f"/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def mysql_database():
    """A scratch MariaDB/MySQL database, dropped afterwards; yields (connection kwargs, name)."""
    import uuid
    from urllib.parse import urlparse

    import pymysql

    url = urlparse(MYSQL_URL)
    params = {"host": url.hostname or "127.0.0.1", "port": url.port or 3306, "user": url.username or "root",
              "password": url.password or "", "connect_timeout": 5, "autocommit": True}
    name = f"dbvet_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = pymysql.connect(**params)
    except pymysql.MySQLError as exc:
        _unavailable(f"MySQL/MariaDB at {MYSQL_URL}", str(exc))
    with admin:
        admin.cursor().execute(f"CREATE DATABASE `{name}`")
        try:
            yield params, name
        finally:
            admin.cursor().execute(f"DROP DATABASE IF EXISTS `{name}`")
