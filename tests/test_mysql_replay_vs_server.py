"""MySQL migration sets of the corpus applied to MariaDB and replayed by dbvet, compared fact
by fact (`tests/mysql_catalog.py` says what a fact is and what is normalised, and why).

Needs MariaDB (DBVET_TEST_MYSQL_URL, default root@127.0.0.1:3306; skipped when unreachable
unless DBVET_REQUIRE_DB=1) and the corpus. `python benchmarks/replay_agreement_mysql.py`
prints the same figures.
"""

from __future__ import annotations

import pymysql
import pytest
from conftest import corpus_path
from mysql_catalog import MYSQL_SETS, connect, run_sql, set_agreement

from linter.dialects.sqlglot_front import parse_part
from linter.migrations import Part
from linter.source import SourceFile, read_source

SETS = {mysql_set.name: mysql_set for mysql_set in MYSQL_SETS}

# Authelia's V0007 defines procedures that build ALTER TABLE … DROP FOREIGN KEY / DROP INDEX
# statements at run time (PREPARE … EXECUTE) and CALLs them. A static replay keeps a CALL
# opaque, so what those calls drop is still in the replayed schema: these are its only
# residue, and no replay can remove it without running the procedures.
AUTHELIA_OPAQUE_CALLS = [
    "foreign key oauth2_consent_preconfiguration oauth2_consent_preconfiguration_subjct_fkey: only in the replay (5 facts)",
    "index duo_devices username: only in the replay (3 facts)",
    "index encryption name: only in the replay (3 facts)",
    "index identity_verification jti: only in the replay (3 facts)",
    "index totp_configurations username: only in the replay (3 facts)",
    "index user_opaque_identifier user_opaque_identifier_service_sector_id_username_key: only in the replay (3 facts)",
    "index user_preferences username: only in the replay (3 facts)",
]


def test_umami_mysql_replay_equals_mariadb(mysql_database):
    params, database = mysql_database
    agreement = set_agreement(params, database, corpus_path(), SETS["umami"])
    print(f"umami (MySQL, Prisma) on MariaDB: {agreement.summary()}")
    assert agreement.differences == [], "\n".join(agreement.differences)
    assert (agreement.agree, agreement.total) == (906, 906)


def test_authelia_mysql_replay_equals_mariadb_but_for_procedure_calls(mysql_database):
    params, database = mysql_database
    agreement = set_agreement(params, database, corpus_path(), SETS["authelia"])
    print(f"authelia (MySQL) on MariaDB: {agreement.summary()}")
    expected = sorted(AUTHELIA_OPAQUE_CALLS)
    assert agreement.differences == expected, "\n".join(agreement.differences)
    assert (agreement.agree, agreement.total) == (1821, 1844)


def test_kestra_mysql_set_needs_mysql_8(mysql_database):
    """kestra's Flyway set is for MySQL 8. Its first migration, run statement by statement as
    Flyway runs it, creates 3 of its 13 tables on MariaDB 10.11: `queues` indexes a column
    named with the unquoted word OFFSET (reserved in MariaDB since 10.6), nine others have
    generated columns written with MySQL 8's `->>` JSON operator, which MariaDB lacks. So the
    set is not compared with MariaDB (its replay is covered by the corpus tests)."""
    params, database = mysql_database
    path = corpus_path("kestra-io__kestra/jdbc-mysql/src/main/resources/migrations/mysql/V1_1__initial.sql")
    source = read_source(path)
    assert isinstance(source, SourceFile)
    parsed = parse_part(Part(source), "mysql")
    assert parsed.errors == []
    failed_tables = []
    with connect(params, database) as conn:
        for statement in parsed.statements:
            try:
                run_sql(conn, statement.text)
            except pymysql.MySQLError as error:
                if statement.kind == "create table":
                    line = source.position(statement.span.start).line
                    failed_tables.append((line, error.args[0], "->>" in statement.text))
    syntax_error = 1064
    assert failed_tables == [(42, syntax_error, False)] + [
        (line, syntax_error, True) for line in (71, 86, 98, 129, 140, 168, 213, 237, 261)
    ]


@pytest.mark.parametrize("name", sorted(SETS))
def test_sets_are_discovered_as_mysql(name):
    from pg_catalog import discover_set

    mysql_set = SETS[name]
    migration_set = discover_set(corpus_path(mysql_set.repo), mysql_set.path)
    assert (migration_set.dialect, len(migration_set.migrations)) == ("mysql", {"umami": 13, "authelia": 26}[name])
