"""One fixed run that every reporter test renders: a CRLF file, wide characters and a tab
before a finding's column, a finding with lock and fix, a multi-line finding, a finding on an
unreadable file (no source), and a message that tries to inject GitHub workflow commands."""

from __future__ import annotations

from typing import ClassVar

from linter.findings import Finding, RunResult, Severity
from linter.rule import Doc, Example, Option, Rule
from linter.source import SourceFile

INDEX_SQL = "-- add an index\nCREATE INDEX orders_customer_id_idx ON orders (customer_id);\n"
CRLF_SQL = "ALTER TABLE orders\r\n  DROP COLUMN legacy;\r\n"
WIDE_SQL = '-- 顧客テーブル\nALTER TABLE "顧客" ADD COLUMN tag text NOT NULL;\n\tDROP TABLE x;\n'
PRISMA = 'model Evil {\n  id Int @id\n  @@map("a,b:c")\n}\n'

INJECTION = 'table name "a,b:c\n::stop-commands::x %0A\r::add-mask::y" is not snake_case'

INDEX_PATH = "db/migrations/0002_index.sql"
CRLF_PATH = "db/migrations/0003_crlf.sql"
WIDE_PATH = "db/migrations/0004 café.sql"
BINARY_PATH = "db/migrations/0005_bin.sql"
PRISMA_PATH = "prisma/schema.prisma"


class CreateIndexBlocking(Rule):
    id = "S005"
    name = "create-index-blocking"
    severity = Severity.ERROR
    summary = "CREATE INDEX without CONCURRENTLY on an existing table blocks writes while it builds."
    options: ClassVar[dict[str, Option]] = {"tables": Option(["orders", "users"], "Tables | always checked.")}
    doc = Doc(
        what="`CREATE INDEX` without `CONCURRENTLY` on a table that existed before this migration.",
        why="A plain index build takes a SHARE lock: every write waits until the build ends.",
        instead="`CREATE INDEX CONCURRENTLY`, alone in its migration file.",
        bad=Example(
            "CREATE INDEX orders_customer_id_idx ON orders (customer_id);\n",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);\n",),
            expect=((1, 1),),
        ),
        good=Example(
            "CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);\n",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);\n",),
        ),
    )


class TableNameSnakeCase(Rule):
    id = "N001"
    name = "table-name-snake-case"
    severity = Severity.WARNING
    default_on = False
    summary = "Table names are snake_case."
    doc = Doc(
        what="A table name that is not `^[a-z][a-z0-9_]*$`.",
        why="Mixed case forces quoting in every query.",
        instead='Name it in snake_case; in Prisma map it with `@@map("snake_name")`.',
        bad=Example("model OrderItem {\n  id Int @id\n}\n", kind="prisma", expect=((1, 7),)),
        good=Example('model OrderItem {\n  id Int @id\n  @@map("order_items")\n}\n', kind="prisma"),
    )


RULES: dict[str, type[Rule]] = {"S005": CreateIndexBlocking, "N001": TableNameSnakeCase}


def _finding(
    rule: str, name: str, severity: Severity, message: str, path: str, span: tuple[int, int, int, int], **extra: str
) -> Finding:
    line, column, end_line, end_column = span
    return Finding(rule, name, severity, message, path, line, column, end_line, end_column, **extra)


FINDINGS = [
    _finding(
        "S005",
        "create-index-blocking",
        Severity.ERROR,
        'CREATE INDEX on existing table "orders" blocks writes to it until the index is built',
        INDEX_PATH,
        (2, 1, 2, 60),
        lock='SHARE on "orders": blocks inserts, updates and deletes; reads continue, until commit',
        fix="CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);\n-- alone in its migration file",
    ),
    _finding(
        "S012",
        "lock-timeout-missing",
        Severity.WARNING,
        'ALTER TABLE "orders" takes a lock with no lock_timeout set',
        CRLF_PATH,
        (1, 1, 2, 21),
    ),
    _finding(
        "D002", "drop-column", Severity.ERROR, 'DROP COLUMN "legacy" breaks running code', CRLF_PATH, (2, 3, 2, 21)
    ),
    _finding(
        "S001",
        "add-required-column",
        Severity.ERROR,
        'ADD COLUMN "tag" NOT NULL without a default fails on a non-empty table "顧客"',
        WIDE_PATH,
        (2, 18, 2, 46),
    ),
    _finding("D001", "drop-table", Severity.ERROR, 'DROP TABLE "x"', WIDE_PATH, (3, 2, 3, 14)),
    _finding(
        "E003",
        "unreadable-file",
        Severity.ERROR,
        "binary file (contains NUL bytes); expected UTF-8 text",
        BINARY_PATH,
        (1, 1, 1, 1),
    ),
    _finding("C009", "undocumented-table", Severity.INFO, 'model "Evil" has no /// comment', PRISMA_PATH, (1, 1, 1, 6)),
    _finding(
        "N001", "table-name-snake-case", Severity.WARNING, INJECTION, PRISMA_PATH, (1, 7, 1, 11), fix='@@map("a_b_c")'
    ),
]


def sample_result() -> RunResult:
    sources = {
        path: SourceFile(path, text)
        for path, text in ((INDEX_PATH, INDEX_SQL), (CRLF_PATH, CRLF_SQL), (WIDE_PATH, WIDE_SQL), (PRISMA_PATH, PRISMA))
    }
    # Shuffled on purpose: every format must sort by path, line, column, rule.
    return RunResult(findings=FINDINGS[::-1], files=6, sources=sources)


def empty_result(files: int = 1) -> RunResult:
    return RunResult(findings=[], files=files, sources={})
