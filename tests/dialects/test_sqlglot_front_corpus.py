"""Every MySQL and SQLite migration file of the real-world corpus goes through the front-end.

The syntax errors listed are real: two harness SQLite down migrations use PostgreSQL/MySQL
syntax that sqlite3 itself rejects at the same tokens (`DROP INDEX … ON`, `DROP CONSTRAINT`,
`DROP COLUMN IF EXISTS`).
"""

from __future__ import annotations

from pathlib import Path

from conftest import corpus_path

from linter.dialects.sqlglot_front import parse_part
from linter.migrations import Part
from linter.source import SourceFile, read_source

# (folder relative to the corpus, dialect) -> (files, statements)
SETS = {
    ("umami-software__umami/db/mysql/migrations", "mysql"): (13, 71),
    ("authelia__authelia/internal/storage/migrations/mysql", "mysql"): (52, 349),
    ("kestra-io__kestra/jdbc-mysql/src/main/resources/migrations/mysql", "mysql"): (24, 106),
    ("authelia__authelia/internal/storage/migrations/sqlite", "sqlite"): (52, 764),
    ("harness__harness/app/store/database/migrate/sqlite", "sqlite"): (386, 1113),
    ("epicweb-dev__epic-stack/prisma/migrations", "sqlite"): (1, 64),
}
HARNESS = "harness__harness/app/store/database/migrate/sqlite/"
SYNTAX_ERRORS = [
    (
        HARNESS + "0029_create_index_job_job_group_id_down.sql",
        1,
        25,
        'syntax error at or near "ON": expected end of statement',
    ),
    (
        HARNESS + "0137_alter_branch_add_last_created_pullreq.down.sql",
        2,
        6,
        'syntax error at or near "CONSTRAINT": expected a column name',
    ),
    (
        HARNESS + "0137_alter_branch_add_last_created_pullreq.down.sql",
        5,
        16,
        'syntax error at or near "EXISTS": expected end of statement',
    ),
]


def _read(path: Path, corpus: Path) -> SourceFile:
    source = read_source(path, path.relative_to(corpus).as_posix())
    assert isinstance(source, SourceFile), source
    return source


def test_every_mysql_and_sqlite_file_parses():
    corpus = corpus_path()
    counts = {}
    errors = []
    for folder, dialect in SETS:
        files = sorted(corpus_path(folder).rglob("*.sql"))
        statements = 0
        for path in files:
            source = _read(path, corpus)
            parsed = parse_part(Part(source), dialect)
            statements += len(parsed.statements)
            for problem in parsed.errors:
                position = source.position(problem.span.start)
                errors.append((source.path, position.line, position.column, problem.message))
        counts[(folder, dialect)] = (len(files), statements)
    assert counts == SETS
    assert errors == SYNTAX_ERRORS


def test_kestra_delimiter_file():
    corpus = corpus_path()
    path = corpus_path("kestra-io__kestra/jdbc-mysql/src/main/resources/migrations/mysql/V1_1__initial.sql")
    source = _read(path, corpus)
    parsed = parse_part(Part(source), "mysql")
    assert parsed.errors == []
    routines = [
        (statement.kind, source.position(statement.span.start).line, source.position(statement.span.end).line)
        for statement in parsed.statements
        if statement.kind in ("create function", "create procedure")
    ]
    assert routines == [
        ("create function", 2, 20),
        ("create function", 24, 39),
        ("create procedure", 279, 283),
        ("create procedure", 290, 294),
        ("create procedure", 345, 349),
        ("create procedure", 356, 360),
        ("create procedure", 366, 370),
        ("create procedure", 376, 380),
    ]


def test_authelia_procedures_without_delimiter():
    corpus = corpus_path()
    path = corpus_path("authelia__authelia/internal/storage/migrations/mysql/V0007.ConsistencyFixes.up.sql")
    parsed = parse_part(Part(_read(path, corpus)), "mysql")
    kinds = [statement.kind for statement in parsed.statements]
    assert parsed.errors == []
    assert kinds[:4] == ["drop procedure", "drop procedure", "create procedure", "create procedure"]
    assert kinds.count("create procedure") == 2
