"""Generated index and constraint names of MySQL/MariaDB and SQLite (linter.dialects.sg_names).

The live tests replay statements on a real SQLite (always available) and on MariaDB at
127.0.0.1:3306 when it is reachable, and compare the names the database chose with ours.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess

import pytest

from linter.dialects.sg_names import (
    mysql_check_name,
    mysql_foreign_key_index_name,
    mysql_foreign_key_name,
    mysql_index_name,
    mysql_renamed_foreign_key,
    sqlite_autoindex_name,
)


def taken_by(*names: str):
    lowered = {name.lower() for name in names}
    return lambda name: name.lower() in lowered


def test_mysql_index_name_is_the_first_column_then_numbered():
    assert mysql_index_name("d", taken_by()) == "d"
    assert mysql_index_name("d", taken_by("d")) == "d_2"
    assert mysql_index_name("d", taken_by("d", "d_2")) == "d_3"
    assert mysql_index_name("primary", taken_by()) == "primary_2"
    assert mysql_index_name("Primary", taken_by("Primary_2")) == "Primary_3"


def test_mysql_foreign_key_name_is_one_past_the_highest_number():
    assert mysql_foreign_key_name("t", taken_by()) == "t_ibfk_1"
    assert mysql_foreign_key_name("t", taken_by("t_ibfk_1", "t_ibfk_2")) == "t_ibfk_3"
    # A dropped t_ibfk_1 leaves a gap that is not reused.
    assert mysql_foreign_key_name("t", taken_by("t_ibfk_2")) == "t_ibfk_3"
    assert mysql_foreign_key_name("t", taken_by("t_ibfk_7", "named_fk")) == "t_ibfk_8"
    assert mysql_foreign_key_name("t", taken_by(), names=["T_IBFK_4", "t_ibfk_x", "u_ibfk_9"]) == "t_ibfk_5"


def test_mysql_foreign_key_index_name():
    assert mysql_foreign_key_index_name("named_fk", ["c"], taken_by()) == "named_fk"
    assert mysql_foreign_key_index_name(None, ["b", "c"], taken_by()) == "b"
    assert mysql_foreign_key_index_name(None, ["b"], taken_by("b")) == "b_2"


def test_mysql_generated_foreign_key_names_follow_a_table_rename():
    assert mysql_renamed_foreign_key("x_ibfk_1", "x", "y") == "y_ibfk_1"
    assert mysql_renamed_foreign_key("X_IBFK_12", "x", "y") == "y_ibfk_12"
    assert mysql_renamed_foreign_key("named_fk", "x", "y") is None
    assert mysql_renamed_foreign_key("xx_ibfk_1", "x", "y") is None


def test_mysql_check_names():
    assert mysql_check_name("t", taken_by()) == "CONSTRAINT_1"
    assert mysql_check_name("t", taken_by("CONSTRAINT_1")) == "CONSTRAINT_2"
    assert mysql_check_name("t", taken_by("t_chk_1"), mariadb=False) == "t_chk_2"


def test_sqlite_autoindex_names_count_from_one():
    assert sqlite_autoindex_name("t", taken_by()) == "sqlite_autoindex_t_1"
    assert sqlite_autoindex_name("t", taken_by("sqlite_autoindex_t_1")) == "sqlite_autoindex_t_2"


def test_sqlite_agrees():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (a text PRIMARY KEY, b int UNIQUE, c int, UNIQUE (c, b))")
    names = sorted(row[1] for row in db.execute("PRAGMA index_list(t)"))
    predicted = []
    for _ in range(3):
        predicted.append(sqlite_autoindex_name("t", taken_by(*predicted)))
    assert names == predicted == ["sqlite_autoindex_t_1", "sqlite_autoindex_t_2", "sqlite_autoindex_t_3"]
    db.execute("ALTER TABLE t RENAME TO u")
    assert [row[1] for row in db.execute("PRAGMA index_list(u)")][-1] == "sqlite_autoindex_u_1"


# --- MariaDB ----------------------------------------------------------------------------
_MARIADB = ["mariadb", "-h", "127.0.0.1", "-u", "root", "-N", "-B"]
_SCRATCH = f"dbvet_sg_names_{os.getpid()}"


def _mariadb(sql: str, database: str | None = None) -> list[list[str]]:
    command = _MARIADB + ([database] if database else []) + ["-e", sql]
    done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=30)
    if done.returncode:
        raise RuntimeError(done.stderr.strip().splitlines()[-1])
    return [line.split("\t") for line in done.stdout.splitlines()]


@pytest.fixture
def mariadb():
    if shutil.which("mariadb") is None:
        pytest.skip("no mariadb client on this machine")
    try:
        _mariadb("SELECT 1")
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"no MariaDB server at 127.0.0.1:3306 ({exc})")
    _mariadb(f"CREATE DATABASE {_SCRATCH}")
    yield lambda sql: _mariadb(sql, _SCRATCH)
    _mariadb(f"DROP DATABASE IF EXISTS {_SCRATCH}")


def test_mariadb_agrees(mariadb):
    mariadb(
        "CREATE TABLE p (id int PRIMARY KEY);"
        "CREATE TABLE t (id int PRIMARY KEY, a int, b int, c int, d int, `primary` int,"
        " FOREIGN KEY (a) REFERENCES p (id), FOREIGN KEY (b) REFERENCES p (id),"
        " CONSTRAINT named_fk FOREIGN KEY (c) REFERENCES p (id),"
        " KEY (d), KEY (d, a), UNIQUE (d), INDEX (a, b), KEY (`primary`), CHECK (a > 0));"
        "ALTER TABLE t DROP FOREIGN KEY t_ibfk_1;"
        "ALTER TABLE t ADD FOREIGN KEY (d) REFERENCES p (id), ADD CHECK (b > 0);"
        "RENAME TABLE t TO r;"
    )
    indexes = mariadb(
        f"SELECT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '{_SCRATCH}'"
        " AND TABLE_NAME = 'r' AND SEQ_IN_INDEX = 1"
    )
    foreign_keys = mariadb(
        f"SELECT CONSTRAINT_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = '{_SCRATCH}'"
    )
    checks = mariadb(
        f"SELECT CONSTRAINT_NAME FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = '{_SCRATCH}'"
    )
    # Our prediction, statement by statement.
    names: list[str] = []
    for column in ("d", "d", "d", "a", "primary"):  # KEY (d), KEY (d, a), UNIQUE (d), INDEX (a, b), KEY (primary)
        names.append(mysql_index_name(column, taken_by(*names)))
    # FOREIGN KEY (b) has no index starting with b: InnoDB adds one named like any index.
    names.append(mysql_foreign_key_index_name(None, ["b"], taken_by(*names)))
    names.append(mysql_foreign_key_index_name("named_fk", ["c"], taken_by(*names)))
    fks = [mysql_foreign_key_name("t", taken_by())]
    fks.append(mysql_foreign_key_name("t", taken_by(*fks)))
    fks.remove("t_ibfk_1")
    fks.append(mysql_foreign_key_name("t", taken_by(*fks)))
    fks = [mysql_renamed_foreign_key(name, "t", "r") for name in fks]
    check_names = [mysql_check_name("t", taken_by())]
    check_names.append(mysql_check_name("t", taken_by(*check_names)))
    assert names == ["d", "d_2", "d_3", "a", "primary_2", "b", "named_fk"]
    assert sorted(["PRIMARY", *names]) == sorted(row[0] for row in indexes)
    assert sorted([*fks, "named_fk"]) == sorted(row[0] for row in foreign_keys) == ["named_fk", "r_ibfk_2", "r_ibfk_3"]
    assert check_names == sorted(row[0] for row in checks) == ["CONSTRAINT_1", "CONSTRAINT_2"]
