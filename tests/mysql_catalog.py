"""A MariaDB catalog (`information_schema`) read into plain facts, the same facts taken from
dbvet's replayed `Schema`, and the means to apply a migration set to a server as its tool
does. Comparing the two (`compare`, shared with the PostgreSQL tests in `pg_catalog`) lists
every fact they disagree on.

Facts per table: columns (type, nullability, default, AUTO_INCREMENT, generation expression,
comment), primary key, indexes (columns in order, unique, method), foreign keys (columns,
referenced table and columns, ON DELETE, ON UPDATE), CHECK constraints and the table
comment; per enum/set column, its values in order.

Where the replay spells a fact as the server does, the fact is compared as it is: the
front-end (`linter.dialects.sg_types`) gives types and literal defaults MariaDB's spelling
(`integer` -> `int`, `boolean` -> `tinyint(1)`, `numeric` -> `decimal(10,0)`, `'7'` on an int
-> `7`, `CURRENT_TIMESTAMP(0)` -> `current_timestamp()`, strings re-quoted). What is normalised
here, on both sides the same way, is only what a static replay cannot or should not spell as
MariaDB does:
- integer display widths equal to the type's default (`int(11)` = `int`): MariaDB prints them,
  MySQL 8 no longer does, and the schema model keeps one spelling for both;
- `json`: MariaDB stores a JSON column as `longtext` with a column CHECK `json_valid(col)`
  named after the column; the model keeps `json` (what the migration asked for) and no check
  (a JSON column with a CHECK of its own is plain `longtext` to MariaDB, its check replacing
  json_valid; no set here has one, and it is not normalised);
- expressions (expression defaults, generation expressions, CHECK clauses): MariaDB prints
  its own parse of them (`(1+1)` -> `(1 + 1)`, names in backticks); both sides are compared
  without whitespace, backticks, letter case outside quotes and enclosing parentheses;
- an ON DELETE / ON UPDATE the migration did not state: the model keeps "not stated" (rule
  K007 needs it), MariaDB reports RESTRICT, its behaviour for it.

PyMySQL is imported only where a connection is made (`connect`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pg_catalog import Agreement, compare, discover_set, replay_set

from linter.dialects.sg_types import enum_values, without_display_width
from linter.dialects.sqlglot_front import parse_part
from linter.migrations import MigrationSet, Part
from linter.replay import Replay
from linter.schema import MYSQL, Column, Origin, Schema, Table
from linter.source import SourceFile

_TABLES = """
SELECT TABLE_NAME, TABLE_COMMENT FROM information_schema.TABLES
WHERE TABLE_SCHEMA = %s AND TABLE_TYPE = 'BASE TABLE'
"""
_COLUMNS = """
SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, GENERATION_EXPRESSION, COLUMN_COMMENT
FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = %s ORDER BY TABLE_NAME, ORDINAL_POSITION
"""
_INDEXES = """
SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, INDEX_TYPE FROM information_schema.STATISTICS
WHERE TABLE_SCHEMA = %s ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX
"""
_FOREIGN_KEYS = """
SELECT rc.TABLE_NAME, rc.CONSTRAINT_NAME, rc.REFERENCED_TABLE_NAME, rc.DELETE_RULE, rc.UPDATE_RULE,
       k.COLUMN_NAME, k.REFERENCED_COLUMN_NAME
FROM information_schema.REFERENTIAL_CONSTRAINTS rc
JOIN information_schema.KEY_COLUMN_USAGE k
  ON k.CONSTRAINT_SCHEMA = rc.CONSTRAINT_SCHEMA AND k.TABLE_NAME = rc.TABLE_NAME
 AND k.CONSTRAINT_NAME = rc.CONSTRAINT_NAME AND k.REFERENCED_TABLE_NAME IS NOT NULL
WHERE rc.CONSTRAINT_SCHEMA = %s ORDER BY rc.TABLE_NAME, rc.CONSTRAINT_NAME, k.ORDINAL_POSITION
"""
_CHECKS = """
SELECT TABLE_NAME, CONSTRAINT_NAME, LEVEL, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA = %s
"""
_UNSTATED_ACTION = "restrict"  # what MariaDB reports for ON DELETE / ON UPDATE left unsaid


# --- the server's side ---------------------------------------------------------------------
def read_catalog(conn: Any, database: str) -> dict[str, Any]:
    """Every base table of `database` (keyed by name) as facts, and its enum/set columns."""
    cursor = conn.cursor()
    cursor.execute(_TABLES, (database,))
    tables: dict[str, dict[str, Any]] = {name: _empty_table(comment or None) for name, comment in cursor.fetchall()}
    cursor.execute(_COLUMNS, (database,))
    for table, name, column_type, nullable, default, extra, generation, comment in cursor.fetchall():
        if table not in tables:
            continue  # a view's columns
        tables[table]["columns"][name] = {
            "type": without_display_width(column_type),
            "nullable": nullable == "YES",
            "default": _server_default(default, generation),
            "auto_increment": "auto_increment" in extra.lower(),
            "generated": expression_text(generation) if generation else None,
            "comment": comment or None,
        }
    cursor.execute(_CHECKS, (database,))
    for table, name, level, clause in cursor.fetchall():
        column = tables[table]["columns"].get(name) if level == "Column" else None
        if column is not None and column["type"] == "longtext" and _is_json_valid(clause, name):
            column["type"] = "json"  # MariaDB's JSON: longtext with its own json_valid() check
            continue
        tables[table]["checks"][name] = {"expression": expression_text(clause)}
    cursor.execute(_INDEXES, (database,))
    for table, name, non_unique, column, method in cursor.fetchall():
        facts = tables[table]
        if name == "PRIMARY":
            facts["primary_key"] = facts["primary_key"] or {"name": name, "columns": []}
            facts["primary_key"]["columns"].append(column)
            continue
        index = facts["indexes"].setdefault(name, {"columns": [], "unique": not non_unique, "method": method.lower()})
        index["columns"].append(column)
    cursor.execute(_FOREIGN_KEYS, (database,))
    for table, name, ref_table, on_delete, on_update, column, ref_column in cursor.fetchall():
        fk = tables[table]["foreign_keys"].setdefault(
            name,
            {
                "columns": [],
                "ref_table": ref_table,
                "ref_columns": [],
                "on_delete": on_delete.lower(),
                "on_update": on_update.lower(),
            },
        )
        fk["columns"].append(column)
        fk["ref_columns"].append(ref_column)
    return _finish(tables)


def _empty_table(comment: str | None) -> dict[str, Any]:
    return {"columns": {}, "primary_key": None, "indexes": {}, "foreign_keys": {}, "checks": {}, "comment": comment}


def _server_default(default: str | None, generation: str | None) -> str | None:
    # MariaDB reports a nullable column without a default as the word NULL (a string 'NULL'
    # default is quoted); a generated column's default is its expression, kept apart.
    if default is None or default == "NULL" or generation:
        return None
    return default_text(default)


def _is_json_valid(clause: str, column: str) -> bool:
    return expression_text(clause) == f"json_valid({column.lower()})"


def _finish(tables: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Sorted parts, and the enum/set values of every column, keyed `table.column`."""
    enums: dict[str, list[str]] = {}
    for table_name, table in tables.items():
        for part in ("indexes", "foreign_keys", "checks"):
            table[part] = dict(sorted(table[part].items()))
        for column_name, column in table["columns"].items():
            values = enum_values(column["type"])
            if values is not None:
                enums[f"{table_name}.{column_name}"] = values
    return {"tables": dict(sorted(tables.items())), "enums": dict(sorted(enums.items()))}


# --- the replay's side ---------------------------------------------------------------------
def replay_facts(schema: Schema) -> dict[str, Any]:
    """The facts of a replayed MySQL schema, in the shape `read_catalog` gives."""
    tables = {table.name: _table_facts(table) for table in schema.tables.values()}
    return _finish(tables)


def _table_facts(table: Table) -> dict[str, Any]:
    facts = _empty_table(table.comment)
    facts["columns"] = {name: _column_facts(column) for name, column in table.columns.items()}
    if table.primary_key is not None:
        facts["primary_key"] = {"name": table.primary_key.name, "columns": list(table.primary_key.columns)}
    for name, index in table.indexes.items():
        facts["indexes"][name] = {
            "columns": list(index.columns),
            "unique": index.unique or index.constraint == "unique",
            "method": index.method,
        }
    for name, fk in table.foreign_keys.items():
        facts["foreign_keys"][name] = {
            "columns": list(fk.columns),
            "ref_table": fk.ref_table.name,
            "ref_columns": list(fk.ref_columns),
            "on_delete": fk.on_delete or _UNSTATED_ACTION,
            "on_update": fk.on_update or _UNSTATED_ACTION,
        }
    for name, check in table.checks.items():
        column = facts["columns"].get(name)
        if column is not None and column["type"] == "longtext" and _is_json_valid(check.expression, name):
            column["type"] = "json"  # the same reading of longtext + json_valid() as the server's
            continue
        facts["checks"][name] = {"expression": expression_text(check.expression)}
    return facts


def _column_facts(column: Column) -> dict[str, Any]:
    return {
        "type": without_display_width(column.type),
        "nullable": column.nullable,
        "default": default_text(column.default) if column.default is not None else None,
        "auto_increment": column.identity is not None,
        "generated": expression_text(column.generated) if column.generated else None,
        "comment": column.comment,
    }


# --- normalising expressions ----------------------------------------------------------------
_LITERAL = re.compile(r"'|[-+]?\d|current_timestamp\(\d*\)$|b'", re.IGNORECASE)
_QUOTED = re.compile(r"'(?:[^'\\]|\\.|'')*'|\"(?:[^\"\\]|\\.|\"\")*\"")


def default_text(default: str) -> str:
    """A literal default as it is (both sides spell literals as MariaDB does); an expression
    default in the form `expression_text` gives."""
    return default if _LITERAL.match(default) else expression_text(default)


def expression_text(expression: str) -> str:
    """An expression without whitespace, backticks, letter case (outside string literals) and
    enclosing parentheses: `(`a` + 1)` and `a+1` read the same."""
    pieces = []
    at = 0
    for quoted in _QUOTED.finditer(expression):
        pieces.append(_bare(expression[at : quoted.start()]))
        pieces.append(quoted.group())
        at = quoted.end()
    pieces.append(_bare(expression[at:]))
    text = "".join(pieces)
    while text.startswith("(") and text.endswith(")") and _encloses(text):
        text = text[1:-1]
    return text


def _bare(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("`", "")).lower()


def _encloses(text: str) -> bool:
    """Whether the first '(' closes at the last character (parentheses in quotes don't count)."""
    depth = 0
    quote = ""
    for position, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote  # a doubled quote reopens at once
        elif char in "'\"":
            quote = char
        elif char in "()":
            depth += 1 if char == "(" else -1
            if depth == 0:
                return position == len(text) - 1
    return False


# --- applying a set to a server -------------------------------------------------------------
def server_params(url: str) -> dict[str, Any]:
    """PyMySQL keyword arguments for a `mysql://user:password@host:port/` URL."""
    from urllib.parse import urlparse

    parsed = urlparse(url)
    return {
        "host": parsed.hostname or "127.0.0.1",
        "port": parsed.port or 3306,
        "user": parsed.username or "root",
        "password": parsed.password or "",
        "connect_timeout": 5,
        "autocommit": True,
    }


def connect(params: dict[str, Any], database: str) -> Any:
    """A connection to the scratch database that takes multi-statement queries."""
    import pymysql
    from pymysql.constants import CLIENT

    return pymysql.connect(**params, database=database, client_flag=CLIENT.MULTI_STATEMENTS)


def apply_set(conn: Any, migration_set: MigrationSet) -> None:
    """Send each up migration as one multi-statement query, as Prisma and authelia's runner
    do (the connection needs CLIENT.MULTI_STATEMENTS), reading every result so a failure in
    any statement surfaces. A failure names the migration."""
    for migration in migration_set.migrations:
        if migration.up is None or not _has_sql(migration.up.text):
            continue
        try:
            run_sql(conn, migration.up.text)
        except Exception as error:  # the server's message, with the migration that caused it
            raise RuntimeError(f"{migration.path}: {error}") from error


def _has_sql(text: str) -> bool:
    without_comments = re.sub(r"/\*.*?\*/|--[^\n]*|#[^\n]*", "", text, flags=re.DOTALL)
    return bool(without_comments.strip(" \t\r\n;"))


def run_sql(conn: Any, text: str) -> None:
    """Send SQL text as one multi-statement query and read every result."""
    cursor = conn.cursor()
    cursor.execute(text)
    while cursor.nextset():
        pass


def replay_sql(*texts: str) -> Schema:
    """The schema dbvet replays from MySQL texts, each one migration file."""
    schema = Schema(dialect=MYSQL)
    replay = Replay(schema)
    for number, text in enumerate(texts):
        parsed = parse_part(Part(SourceFile(f"{number}.sql", text)), MYSQL)
        assert parsed.errors == [], [problem.message for problem in parsed.errors]
        for statement in parsed.statements:
            for action in statement.actions:
                replay.apply(action, Origin(None, action.span))
    return schema


# --- the corpus sets checked against MariaDB ------------------------------------------------------
# umami's MySQL migration 05 backfills a column with MySQL 8's BIN_TO_UUID(), which MariaDB
# lacks (RANDOM_BYTES, the other MySQL 8 function it calls, exists since MariaDB 10.10). The
# function is created in the scratch database before the set runs, as the roles a PostgreSQL
# history assumes are: the migration text stays the same for the server and the replay, and
# the UPDATE changes no schema (the tables are empty).
_BIN_TO_UUID = (
    "CREATE FUNCTION BIN_TO_UUID(b VARBINARY(16)) RETURNS CHAR(36) DETERMINISTIC RETURN"
    " LOWER(INSERT(INSERT(INSERT(INSERT(HEX(b), 9, 0, '-'), 14, 0, '-'), 19, 0, '-'), 24, 0, '-'))"
)


@dataclass(frozen=True, slots=True)
class MySQLSet:
    name: str
    repo: str  # folder of ../shared/corpus
    path: str  # the migrations folder inside it
    setup: tuple[str, ...] = ()  # run in the scratch database first (what the history assumes)


MYSQL_SETS = (
    MySQLSet("umami", "umami-software__umami", "db/mysql/migrations", setup=(_BIN_TO_UUID,)),
    MySQLSet("authelia", "authelia__authelia", "internal/storage/migrations/mysql"),
)
# kestra's MySQL Flyway set is not among them: it is written for MySQL 8 (`->>` in generated
# columns, OFFSET as an unquoted name), and MariaDB 10.11 refuses 10 of the 13 tables of its
# first migration (tests/test_mysql_replay_vs_server.py pins that).


def set_agreement(params: dict[str, Any], database: str, corpus: Path, mysql_set: MySQLSet) -> Agreement:
    """Apply the set to the (empty) scratch database, read its catalog, replay the set, compare."""
    migration_set = discover_set(corpus / mysql_set.repo, mysql_set.path)
    conn = connect(params, database)
    try:
        for statement in mysql_set.setup:
            run_sql(conn, statement)
        apply_set(conn, migration_set)
        server = read_catalog(conn, database)
    finally:
        conn.close()
    return compare(server, replay_facts(replay_set(migration_set)))
