"""The SQL a finding suggests (`fix`) names tables, columns, indexes and types as the database must
read them: quoted where the name has capitals (as Prisma writes every name), is a keyword, or holds
other characters, in the dialect's quotes (backticks for MySQL).

Each suggested statement is run on a real server, in the state the finding is about (before its
statement, after it, or after the whole migration, whichever the advice means). A statement may fail
for what it does (a constraint that already exists, a default that cannot be cast), but never
because the server cannot parse it or cannot find a name it spells.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from harness import write_tree

from linter.cli import main

# Every rule that gives SQL advice, off-by-default ones included.
EXTRA = ["--extend-select", "C009,C011,K007,N006,N007"]

AWKWARD_PG = [
    'CREATE TABLE "User" ("offset" integer NOT NULL, "createdAt" timestamp(3), "Amount" money, '
    '"Price" double precision, '
    '"payload" json, "code" char(3), "externalId" text DEFAULT gen_random_uuid()::text, "select" text, '
    'CONSTRAINT "User_pkey" PRIMARY KEY ("offset"))',
    'CREATE TABLE "Order" ("id" bigint NOT NULL, "userId" integer NOT NULL REFERENCES "User" ("offset"), '
    '"created_at" timestamptz NOT NULL DEFAULT now(), "updated_at" timestamptz)',
    'CREATE INDEX "Order_Id_idx" ON "Order" ("id")',
    'CREATE UNIQUE INDEX "Order_Id_key" ON "Order" ("id")',
]

HISTORY_PG = [
    "CREATE TYPE \"Status\" AS ENUM ('on', 'off')",
    'CREATE TABLE "User" ("offset" bigint PRIMARY KEY, "createdAt" timestamptz NOT NULL DEFAULT now(), "select" text, '
    '"Email" text, "state" "Status", "order" text)',
    'CREATE TABLE "Order" ("id" bigint PRIMARY KEY, "userId" bigint, "Total" integer)',
    'CREATE TABLE "Gone" ("id" bigint PRIMARY KEY)',
]
CHANGES_PG = [
    'DROP TABLE "Gone"',
    'ALTER TABLE "Order" DROP COLUMN "Total"',
    'ALTER TABLE "User" RENAME TO "Account"',
    'ALTER TABLE "Account" ALTER COLUMN "Email" SET NOT NULL',
    'CREATE INDEX "Account_createdAt_idx" ON "Account" ("createdAt")',
    'ALTER TABLE "Order" ADD CONSTRAINT "Order_userId_fkey" FOREIGN KEY ("userId") REFERENCES "Account" ("offset")',
    'ALTER TABLE "Account" ADD CONSTRAINT "Account_Email_key" UNIQUE ("Email")',
    'ALTER TABLE "Account" ADD COLUMN "Nick" text NOT NULL',
    'ALTER TABLE "Account" ALTER COLUMN "select" TYPE integer USING "select"::integer',
    'ALTER TABLE "Account" ADD CONSTRAINT "Account_select_check" CHECK ("select" > 0)',
    'ALTER TABLE "Account" DROP COLUMN "state"',
    'DROP TYPE "Status"',
    'ALTER TABLE "Account" DROP COLUMN "order"',
]

AWKWARD_MYSQL = [
    "CREATE TABLE `Order` (`Key` int NOT NULL, `select` char(3), `createdAt` datetime, `Amount` double, "
    "`payload` json, PRIMARY KEY (`Key`))",
    "CREATE TABLE `Line` (`id` int NOT NULL, `Order` int, "
    "`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3))",
    "CREATE INDEX `Line_id_idx` ON `Line` (`id`)",
    "CREATE UNIQUE INDEX `Line_id_key` ON `Line` (`id`)",
]
HISTORY_MYSQL = [
    "CREATE TABLE `Order` (`id` int NOT NULL PRIMARY KEY, `select` text, `Total` int, `key` int)",
    "CREATE TABLE `Group` (`id` int NOT NULL PRIMARY KEY)",
]
CHANGES_MYSQL = [
    "DROP TABLE `Group`",
    "ALTER TABLE `Order` DROP COLUMN `Total`",
    "ALTER TABLE `Order` RENAME TO `Purchase`",
    "ALTER TABLE `Purchase` DROP COLUMN `key`",
]

# What the server says when it cannot parse a statement or find a name it spells.
PG_SPELLING = {"42601", "42P01", "42703", "42704", "42883", "3F000"}
MYSQL_SPELLING = {1064, 1146, 1054, 1091, 1049, 1051}


def statements(fix: str) -> list[str]:
    """The runnable statements of a fix, in order: lines that are SQL, without their comments;
    advice with a placeholder (`…`, `(...)`) is for a person to complete."""
    found = []
    for line in fix.splitlines():
        text = re.sub(r"^\d+\. ", "", line.strip())
        if not re.match(r"(ALTER|CREATE|DROP|COMMENT|UPDATE|SET)\b", text) or ";" not in text:
            continue
        text = text[: text.index(";")].replace("'…'", "'…'".replace("…", "to be written"))  # a comment's text
        if "…" in text or "(...)" in text:
            continue
        found.append(text)
    return found


def findings(project: Path, capsys, *paths: str) -> list[dict]:
    capsys.readouterr()
    main(["check", "--no-cache", "--format", "json", *EXTRA, *paths])
    return json.loads(capsys.readouterr().out)["findings"]


def _write(project: Path, dialect: str, files: dict[str, list[str]]) -> None:
    write_tree(
        project,
        {
            "pyproject.toml": f'[tool.dbvet]\ndialect = "{dialect}"\n',
            **{path: "".join(f"{statement};\n" for statement in body) for path, body in files.items()},
        },
    )


def _states(finding: dict, files: dict[str, list[str]]) -> list[list[str]]:
    """What the database holds before the finding's statement, after it, and after everything."""
    everything = [statement for body in files.values() for statement in body]
    path = finding["path"]
    earlier = [statement for name, body in files.items() if name < path for statement in body]
    own = files[path]
    line = finding["line"]
    at = sum(1 for index in range(len(own)) if index + 1 < line)  # one statement a line
    return [earlier + own[:at], earlier + own[: at + 1], everything]


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _problems(found: list[dict], files: dict[str, list[str]], attempt) -> list[str]:
    """The findings whose statements fail in every state the finding may be about.
    `attempt(state, statements)` builds the state on a server and returns the errors of running
    the statements there (each on its own: one failing does not stop the next)."""
    problems = []
    for finding in found:
        runnable = statements(finding.get("fix") or "")
        if runnable:
            outcomes = [attempt(state, runnable) for state in _states(finding, files)]
            if all(outcomes):
                problems.append(f"{finding['rule']} line {finding['line']}: {outcomes[0]}")
    return problems


def _on_postgresql(url: str):
    import psycopg

    def attempt(state: list[str], runnable: list[str]) -> list[str]:
        errors = []
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("DROP SCHEMA IF EXISTS public CASCADE")
            connection.execute("CREATE SCHEMA public")
            for statement in state:
                connection.execute(statement)
            for statement in runnable:
                try:
                    connection.execute(statement)
                except psycopg.Error as exc:
                    if exc.sqlstate in PG_SPELLING:
                        errors.append(f"{statement}: {exc.sqlstate} {str(exc).splitlines()[0]}")
        return errors

    return attempt


def _on_mysql(database: tuple[dict, str]):
    import pymysql

    params, name = database

    def attempt(state: list[str], runnable: list[str]) -> list[str]:
        errors = []
        connection = pymysql.connect(**params)
        try:
            cursor = connection.cursor()
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
            cursor.execute(f"CREATE DATABASE `{name}`")
            cursor.execute(f"USE `{name}`")
            for statement in state:
                cursor.execute(statement)
            for statement in runnable:
                try:
                    cursor.execute(statement)
                except pymysql.MySQLError as exc:
                    if exc.args and exc.args[0] in MYSQL_SPELLING:
                        errors.append(f"{statement}: {exc.args}")
        finally:
            connection.close()
        return errors

    return attempt


def _on_sqlite(state: list[str], runnable: list[str]) -> list[str]:
    """SQLite runs in this process; any error counts (nothing in these states should fail)."""
    import sqlite3

    errors = []
    connection = sqlite3.connect(":memory:")
    try:
        for statement in state:
            connection.execute(statement)
        for statement in runnable:
            try:
                connection.execute(statement)
            except sqlite3.Error as exc:
                errors.append(f"{statement}: {exc}")
    finally:
        connection.close()
    return errors


def test_suggested_postgresql_runs_on_awkward_names(project, capsys, pg_database):
    files = {"migrations/0001_awkward.sql": AWKWARD_PG}
    _write(project, "postgresql", files)
    found = findings(project, capsys)
    runnable = [finding["rule"] for finding in found if statements(finding.get("fix") or "")]
    # The rules whose advice this test runs (so a rule that stops giving SQL is noticed).
    assert sorted(set(runnable)) == [
        "C001", "C002", "C003", "C004", "C009", "C010", "C011", "C012", "K001", "K003", "K004",
        "N001", "N002", "T001", "T002", "T003",
    ]  # fmt: skip
    assert _problems(found, files, _on_postgresql(pg_database)) == []


def test_suggested_postgresql_runs_for_changes_to_awkward_names(project, capsys, pg_database):
    files = {"migrations/0001_tables.sql": HISTORY_PG, "migrations/0002_changes.sql": CHANGES_PG}
    _write(project, "postgresql", files)
    found = findings(project, capsys, "migrations/0002_changes.sql")
    runnable = [finding["rule"] for finding in found if statements(finding.get("fix") or "")]
    assert sorted(set(runnable)) == [
        "C009", "D001", "D002", "D003", "K001", "N001", "N002", "S001", "S002", "S005", "S008", "S009",
        "S010", "S011", "S012", "T001",
    ]  # fmt: skip
    assert _problems(found, files, _on_postgresql(pg_database)) == []


def test_suggested_mysql_runs_on_awkward_names(project, capsys, mysql_database):
    files = {"migrations/0001_awkward.sql": AWKWARD_MYSQL}
    _write(project, "mysql", files)
    found = findings(project, capsys)
    runnable = sorted({finding["rule"] for finding in found if statements(finding.get("fix") or "")})
    assert runnable == ["C001", "C004", "C011", "K003", "K004", "N001", "N002", "T001", "T003"]
    assert _problems(found, files, _on_mysql(mysql_database)) == []


def test_mysql_advice_keeps_what_modify_would_drop(project, capsys):
    """MODIFY restates the whole column: a NOT NULL column stays NOT NULL, a clock default keeps
    the column's precision, and the advice says to repeat the rest."""
    files = {"migrations/0001_awkward.sql": AWKWARD_MYSQL}
    _write(project, "mysql", files)
    fixes = [f["fix"] for f in findings(project, capsys) if f["rule"] in ("C004", "K003", "T003")]
    note = " (MODIFY restates the whole column: repeat its DEFAULT, COMMENT and other attributes)"
    assert sorted(fixes) == sorted([
        "ALTER TABLE `Order` MODIFY `select` varchar(3);" + note,
        "ALTER TABLE `Order` MODIFY `Key` bigint NOT NULL;" + note + " (and every column that references it)",
        "ALTER TABLE `Order` MODIFY createdAt datetime DEFAULT CURRENT_TIMESTAMP;" + note,
        "ALTER TABLE `Order` MODIFY createdAt datetime NOT NULL;" + note,
    ])  # fmt: skip


AWKWARD_SQLITE = [
    'CREATE TABLE "Order" ("id" integer PRIMARY KEY, "Price" real, "createdAt" datetime, "select" text, '
    '"userId" integer REFERENCES "Group" ("id"))',
    'CREATE TABLE "Group" ("id" integer PRIMARY KEY, "created_at" datetime NOT NULL DEFAULT CURRENT_TIMESTAMP)',
    'CREATE INDEX "Order_Id_idx" ON "Order" ("id")',
    'CREATE INDEX "Group_created" ON "Group" ("created_at")',
    'CREATE INDEX "Group_created2" ON "Group" ("created_at")',
]


def test_suggested_sqlite_runs_on_awkward_names(project, capsys):
    """SQLite runs in this process: every suggested statement must run, in one of the states."""
    files = {"migrations/0001_awkward.sql": AWKWARD_SQLITE}
    _write(project, "sqlite", files)
    found = findings(project, capsys)
    runnable = sorted({finding["rule"] for finding in found if statements(finding.get("fix") or "")})
    assert runnable == ["K001", "K004", "N001", "N002"]
    assert _problems(found, files, _on_sqlite) == []


def test_sqlite_advice_rebuilds_the_table(project, capsys):
    """SQLite changes no column in place: no ALTER COLUMN or MODIFY is suggested there."""
    files = {
        "migrations/0001_awkward.sql": [
            'CREATE TABLE "Order" ("id" integer PRIMARY KEY, "price" real, "created_at" datetime)'
        ]
    }
    _write(project, "sqlite", files)
    fixes = {f["rule"]: f["fix"] for f in findings(project, capsys) if f["rule"] in ("C001", "C011", "T003")}
    assert set(fixes) == {"C001", "C011", "T003"}
    assert set(fixes.values()) == {
        "SQLite cannot change a column in place: rebuild the table (create the new table, copy the rows, "
        "drop the old table, rename the new one)"
    }


def test_suggested_mysql_runs_for_changes_to_awkward_names(project, capsys, mysql_database):
    files = {"migrations/0001_tables.sql": HISTORY_MYSQL, "migrations/0002_changes.sql": CHANGES_MYSQL}
    _write(project, "mysql", files)
    found = findings(project, capsys, "migrations/0002_changes.sql")
    runnable = [finding["rule"] for finding in found if statements(finding.get("fix") or "")]
    assert sorted(set(runnable)) == ["D001", "D002", "D003", "N001", "T001"]
    assert _problems(found, files, _on_mysql(mysql_database)) == []


@pytest.mark.parametrize(
    ("name", "postgresql", "mysql", "sqlite"),
    [
        ("users", "users", "users", "users"),
        ("User", '"User"', "User", "User"),
        ("offset", '"offset"', "offset", "offset"),
        ("order", '"order"', "`order`", '"order"'),
        ("left", '"left"', "`left`", "left"),
        ('say"hi', '"say""hi"', '`say"hi`', '"say""hi"'),
        ("tick`", '"tick`"', "`tick```", '"tick`"'),
        ("9lives", '"9lives"', "`9lives`", '"9lives"'),
    ],
)
def test_sql_name_quotes_as_each_dialect_needs(name, postgresql, mysql, sqlite):
    from linter.keywords import sql_name, sql_table

    assert (sql_name(name, "postgresql"), sql_name(name, "mysql"), sql_name(name, "sqlite")) == (
        postgresql,
        mysql,
        sqlite,
    )
    assert sql_table(name, "Billing", "postgresql") == f'"Billing".{postgresql}'
    assert sql_table(name, None, "mysql") == mysql


@pytest.mark.parametrize(
    ("dialect", "fix"),
    [
        (
            "postgresql",
            'ALTER TABLE "Order" ADD PRIMARY KEY (...); or add an id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY',
        ),
        ("mysql", "ALTER TABLE `Order` ADD PRIMARY KEY (...); or add an id bigint AUTO_INCREMENT PRIMARY KEY"),
        ("sqlite", "rebuild the table with a PRIMARY KEY (an `id INTEGER PRIMARY KEY` column numbers the rows)"),
    ],
)
def test_a_missing_primary_key_is_added_as_the_dialect_writes_it(project, capsys, dialect, fix):
    quote = "`" if dialect == "mysql" else '"'
    _write(project, dialect, {"migrations/0001_order.sql": [f"CREATE TABLE {quote}Order{quote} (note text)"]})
    assert [f["fix"] for f in findings(project, capsys) if f["rule"] == "K002"] == [fix]


POSTGRESQL_PROJECTS = [
    "LemmyNet__lemmy", "UPchieve__subway", "documenso__documenso", "formbricks__formbricks", "langfuse__langfuse",
    "openmeterio__openmeter", "supabase__postgres", "triggerdotdev__trigger.dev",
]  # fmt: skip


def test_every_statement_suggested_on_the_postgresql_corpus_parses(monkeypatch, capsys):
    """The real names of eight projects (Prisma's capitals, a column named `union`): every
    statement their findings suggest parses as PostgreSQL."""
    from conftest import corpus_path
    from pglast.parser import ParseError, parse_sql

    problems, parsed = [], 0
    for name in POSTGRESQL_PROJECTS:
        monkeypatch.chdir(corpus_path(name))
        for finding in findings(Path.cwd(), capsys):
            for statement in statements(finding.get("fix") or ""):
                parsed += 1
                try:
                    parse_sql(statement)
                except ParseError as exc:
                    problems.append(f"{name} {finding['rule']} {statement}: {exc}")
    assert problems == []
    assert parsed > 5000, parsed  # the advice of thousands of findings was read, not skipped
