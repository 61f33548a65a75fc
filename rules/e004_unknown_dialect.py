from linter.findings import Severity
from linter.rule import Doc, EngineRule, Example


class UnknownDialect(EngineRule):
    id = "E004"
    name = "unknown-dialect"
    severity = Severity.WARNING
    summary = "The SQL dialect of a migration set cannot be told; names the setting that fixes it."
    doc = Doc(
        what="A migration set whose dialect dbvet cannot tell from, in order: the configuration's `dialect`, "
        "Prisma's `migration_lock.toml`, the Prisma datasource `provider`, a folder named after the "
        "database (`postgres`, `mysql`, `sqlite`, …), or — last — SQL that only one dialect accepts "
        "(`::` casts and `$$` bodies, `AUTO_INCREMENT`, `PRAGMA`, …). Its SQL is then not parsed.",
        why="Parsing PostgreSQL as MySQL (or the reverse) gives wrong syntax errors and wrong findings; "
        "dbvet would rather say it does not know.",
        instead='Set `dialect = "postgresql"` (or "mysql", "sqlite") under `[tool.dbvet]` in pyproject.toml '
        "or in `.dbvet.yaml`.",
        bad=Example(
            "-- a folder with no hint of its database\nCREATE TABLE t (id bigint PRIMARY KEY);\n", dialect=None, expect=((1, 1),)
        ),
        good=Example("-- with dialect = \"postgresql\" configured\nCREATE TABLE t (id bigint PRIMARY KEY);\n"),
    )
