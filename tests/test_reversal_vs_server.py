"""R002 against PostgreSQL and MariaDB themselves, on the corpus sets with down migrations: each
up runs on a server as its tool runs it, then its down (on PostgreSQL in a transaction that is
rolled back), and the catalog after the down is compared with the catalog before the up. R002
must report exactly the migrations whose down leaves the catalog different.

Not compared, and said so: a down with no statement (R001 reports it, not R002), a down that
opens or ends transactions itself or builds an index CONCURRENTLY (it cannot run inside the
transaction that is rolled back), and a down the server refuses."""

from __future__ import annotations

import re

import pytest
from conftest import corpus_path
from pg_catalog import CORPUS_SETS, _has_sql, flatten, load_set, read_catalog

from linter.engine import Linter
from linter.migrations import TxMode

_OWN_TRANSACTION = re.compile(
    r"^\s*(BEGIN|COMMIT|START\s+TRANSACTION)\b|\bCONCURRENTLY\b", re.IGNORECASE | re.MULTILINE
)

# (set, migrations R002 and the server agree do not revert, downs not compared)
EXPECTED = {
    "openmeter": (8, 7),
    "upchieve": (8, 5),
}


def _server_verdicts(database_url: str, migration_set) -> tuple[set[str], set[str]]:
    """Versions whose down leaves the catalog different from before the up; versions whose
    down was not compared (see above)."""
    import psycopg

    differ, skipped = set(), set()
    with psycopg.connect(database_url, autocommit=True) as conn:
        for migration in migration_set.migrations:
            up = migration.up
            if up is None or not _has_sql(up.text):
                continue
            down = migration.down.text if migration.down is not None else ""
            compared = _has_sql(down) and not _OWN_TRANSACTION.search(down)
            before = flatten(read_catalog(conn)) if compared else None
            if migration.tx is TxMode.WRAPPED:
                with conn.transaction():
                    conn.execute(up.text)
            else:
                conn.execute(up.text)
            if not compared:
                if _has_sql(down):
                    skipped.add(migration.version)
                continue
            try:
                with conn.transaction(force_rollback=True):
                    conn.execute(down)
                    after = flatten(read_catalog(conn))
            except psycopg.Error:
                skipped.add(migration.version)
                continue
            if any(before.get(key) != after.get(key) for key in set(before) | set(after)):
                differ.add(migration.version)
    return differ, skipped


def _r002(migration_set) -> set[str]:
    from rules import all_rules

    rules = all_rules()
    linter = Linter(rules=rules, enabled=[rules["R002"]])
    linter.lint_set(migration_set)
    versions = {path: migration.version for migration in migration_set.migrations for path in migration.files}
    return {versions.get(finding.path, finding.path) for finding in linter.collector.findings}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_r002_agrees_with_postgresql(name, pg_database):
    (corpus_set,) = [each for each in CORPUS_SETS if each.name == name]
    migration_set = load_set(corpus_path(corpus_set.repo).parent, corpus_set)
    differ, skipped = _server_verdicts(pg_database, migration_set)
    flagged = _r002(migration_set) - skipped
    assert sorted(flagged ^ differ) == []
    assert (len(differ), len(skipped)) == EXPECTED[name]


def _mariadb_verdicts(params: dict, database: str, mysql_set, migration_set) -> set[str]:
    """As `_server_verdicts`, on MariaDB, where DDL is not transactional: the down runs for real;
    where it leaves something behind (or the up cannot run again), the database is rebuilt
    from the ups before the next migration."""
    import pymysql
    from mysql_catalog import _has_sql as has_sql
    from mysql_catalog import connect, run_sql
    from mysql_catalog import read_catalog as read_mysql

    def rebuilt(upto: int):
        with connect(params, "") as admin:
            run_sql(admin, f"DROP DATABASE IF EXISTS `{database}`; CREATE DATABASE `{database}`")
        conn = connect(params, database)
        for statement in mysql_set.setup:
            run_sql(conn, statement)
        for migration in migration_set.migrations[:upto]:
            if migration.up is not None and has_sql(migration.up.text):
                run_sql(conn, migration.up.text)
        return conn

    differ: set[str] = set()
    conn = rebuilt(0)
    try:
        for number, migration in enumerate(migration_set.migrations, start=1):
            if migration.up is None or not has_sql(migration.up.text):
                continue
            down = migration.down.text if migration.down is not None else ""
            if not has_sql(down):
                run_sql(conn, migration.up.text)
                continue
            before = flatten(read_mysql(conn, database))
            run_sql(conn, migration.up.text)
            run_sql(conn, down)
            after = flatten(read_mysql(conn, database))
            if any(before.get(key) != after.get(key) for key in set(before) | set(after)):
                differ.add(migration.version)
            else:
                try:
                    run_sql(conn, migration.up.text)
                    continue
                except pymysql.MySQLError:
                    pass  # the up's data is still there: start again from the ups
            conn.close()
            conn = rebuilt(number)
    finally:
        conn.close()
    return differ


def test_r002_agrees_with_mariadb(mysql_database):
    from mysql_catalog import MYSQL_SETS, discover_set

    params, database = mysql_database
    (mysql_set,) = [each for each in MYSQL_SETS if each.name == "authelia"]
    migration_set = discover_set(corpus_path(mysql_set.repo), mysql_set.path)
    differ = _mariadb_verdicts(params, database, mysql_set, migration_set)
    assert sorted(_r002(migration_set) ^ differ) == []
    assert sorted(differ) == ["0007", "0012", "0021"]
