"""The front-end against real databases: run each corpus SQLite set through sqlite3 and
through our parse + replay, then compare the schemas (columns with their declared types,
NOT NULL and defaults; primary keys; the column lists of indexes; foreign keys). SQLite
index names are left out: generated names are the replay's business (`linter.naming`).

umami's MySQL set is also run on MariaDB (127.0.0.1:3306, skipped when unreachable) and
compared on nullability, AUTO_INCREMENT and indexes by name.
"""

from __future__ import annotations

import re
import sqlite3

from conftest import corpus_path
from test_sqlglot_front_names import mariadb  # noqa: F401 - the fixture

from linter.dialects.sqlglot_front import parse_part
from linter.migrations import Part
from linter.replay import Replay
from linter.schema import Origin, Schema, Table
from linter.source import SourceFile, read_source


def _ups(folder: str, pattern: str) -> list:
    root = corpus_path(folder)
    return sorted(
        (p for p in root.rglob("*.sql") if re.search(pattern, p.name)), key=lambda p: p.relative_to(root).as_posix()
    )


def _run(files: list, setup: str = "") -> tuple[sqlite3.Connection, Schema, list[str]]:
    database = sqlite3.connect(":memory:")
    database.executescript(setup)
    schema = Schema(dialect="sqlite")
    replay = Replay(schema)
    failures = []
    for path in files:
        source = read_source(path)
        assert isinstance(source, SourceFile)
        parsed = parse_part(Part(source), "sqlite")
        assert parsed.errors == [], path
        for statement in parsed.statements:
            try:
                database.execute(statement.text)
            except sqlite3.Error as exc:
                failures.append(f"{path.name}: {exc}")
            for action in statement.actions:
                replay.apply(action, Origin())
    return database, schema, failures


def _default(value: str | None) -> str | None:
    # sqlite3 reports `DEFAULT (expr)` without the parentheses; we keep the text as written.
    if value and value.startswith("(") and value.endswith(")"):
        return value[1:-1]
    return value


def _differences(database: sqlite3.Connection, schema: Schema) -> list[str]:
    differences = []
    real = [
        row[0]
        for row in database.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    ]
    ours = {table.name.lower(): table for table in schema.tables.values()}
    if sorted(name.lower() for name in real) != sorted(ours):
        differences.append(f"tables: {sorted(real)} != {sorted(ours)}")
    for name in real:
        table = ours.get(name.lower())
        if table is not None:
            differences.extend(_table_differences(database, name, table))
    return differences


def _table_differences(database: sqlite3.Connection, name: str, table: Table) -> list[str]:
    differences = []
    info = list(database.execute(f'PRAGMA table_info("{name}")'))
    for _, column_name, declared, not_null, default, in_key in info:
        column = table.column(column_name)
        if column is None:
            differences.append(f"{name}.{column_name} missing")
            continue
        # The replay marks key columns NOT NULL; SQLite keeps most of them nullable (a
        # legacy quirk), so nullability is compared outside the key only.
        theirs = (declared.lower(), bool(not_null) and not in_key, None if default == "NULL" else default)
        mine = (column.type, not column.nullable and not in_key, _default(column.default))
        if theirs != mine:
            differences.append(f"{name}.{column_name}: {mine} != {theirs}")
    key = [row[1].lower() for row in sorted(info, key=lambda row: row[5]) if row[5]]
    if key != [c.lower() for c in (table.primary_key.columns if table.primary_key else [])]:
        differences.append(f"{name} primary key {key}")
    indexes = sorted(
        (
            tuple((r[2] or "<expression>").lower() for r in database.execute(f'PRAGMA index_info("{row[1]}")')),
            bool(row[2]),
        )
        for row in database.execute(f'PRAGMA index_list("{name}")')
        if row[3] != "pk"
    )
    mine_indexes = sorted(
        (tuple("<expression>" if e.is_expression else e.text.lower() for e in index.elements), index.unique)
        for index in table.indexes.values()
        if index.constraint != "primary"
    )
    if indexes != mine_indexes:
        differences.append(f"{name} indexes {mine_indexes} != {indexes}")
    keys: dict[int, list] = {}
    for fid, _, ref, column, _, on_update, on_delete, _ in database.execute(f'PRAGMA foreign_key_list("{name}")'):
        keys.setdefault(fid, [ref.lower(), [], on_delete.lower(), on_update.lower()])[1].append(column.lower())
    theirs_fks = sorted((ref, tuple(cols), on_delete, on_update) for ref, cols, on_delete, on_update in keys.values())
    mine_fks = sorted(
        (
            fk.ref_table.name.lower(),
            tuple(c.lower() for c in fk.columns),
            fk.on_delete or "no action",
            fk.on_update or "no action",
        )
        for fk in table.foreign_keys.values()
    )
    if theirs_fks != mine_fks:
        differences.append(f"{name} foreign keys {mine_fks} != {theirs_fks}")
    return differences


def test_epic_stack_matches_sqlite():
    database, schema, failures = _run(_ups("epicweb-dev__epic-stack/prisma/migrations", r"migration\.sql$"))
    assert (failures, _differences(database, schema), len(schema.tables)) == ([], [], 13)


def test_authelia_sqlite_matches_sqlite():
    database, schema, failures = _run(_ups("authelia__authelia/internal/storage/migrations/sqlite", r"\.up\.sql$"))
    # A data fix calls a function authelia registers in its own driver.
    assert failures == ["V0002.WebAuthn.up.sql: no such function: BIN2B64"]
    assert (_differences(database, schema), len(schema.tables)) == ([], 25)


def test_harness_sqlite_matches_sqlite():
    # harness's first migration copies the migration tool's own table.
    files = _ups("harness__harness/app/store/database/migrate/sqlite", r"[._]up\.sql$")
    database, schema, failures = _run(files, "CREATE TABLE migrations (version TEXT);")
    # A data fix uses unhex(), which this sqlite3 (3.40) predates.
    assert failures == ["0170.up.sql: no such function: unhex"]
    assert (_differences(database, schema), len(schema.tables)) == ([], 95)


def test_umami_mysql_matches_mariadb(mariadb):  # noqa: F811 - the imported fixture
    root = corpus_path("umami-software__umami/db/mysql/migrations")
    schema = Schema(dialect="mysql")
    replay = Replay(schema)
    failures = []
    for path in sorted(root.rglob("migration.sql")):
        source = read_source(path)
        assert isinstance(source, SourceFile)
        parsed = parse_part(Part(source), "mysql")
        assert parsed.errors == [], path
        for statement in parsed.statements:
            try:
                mariadb(statement.text)
            except RuntimeError as exc:
                failures.append(f"{path.parent.name}: {str(exc).split(' at line')[0]}")
            for action in statement.actions:
                replay.apply(action, Origin())
    # MySQL 8's BIN_TO_UUID: umami's MySQL migrations target MySQL, not MariaDB.
    assert failures == ["05_add_visit_id: ERROR 1305 (42000)"]
    real_columns = sorted(
        (table, column, nullable == "YES", "auto_increment" in extra)
        for table, column, nullable, extra in mariadb(
            "SELECT TABLE_NAME, COLUMN_NAME, IS_NULLABLE, EXTRA FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
        )
    )
    our_columns = sorted(
        (table.name, column.name, column.nullable, column.identity is not None)
        for table in schema.tables.values()
        for column in table.columns.values()
    )
    real_indexes = sorted(
        (table, name, unique == "0", columns)
        for table, name, unique, columns in mariadb(
            "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX)"
            " FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() GROUP BY 1, 2, 3"
        )
    )
    our_indexes = sorted(
        [(t.name, "PRIMARY", True, ",".join(t.primary_key.columns)) for t in schema.tables.values() if t.primary_key]
        + [
            (t.name, name, index.unique, ",".join(index.columns))
            for t in schema.tables.values()
            for name, index in t.indexes.items()
        ]
    )
    assert (len(our_columns), len(our_indexes)) == (114, 74)
    assert our_columns == real_columns
    assert our_indexes == real_indexes
