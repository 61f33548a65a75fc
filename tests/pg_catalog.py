"""A PostgreSQL catalog and dbvet's replay read into one plain shape of facts, and the means
to compare them: applying a migration set to a server as its tool would, replaying the same
set, and listing every fact on which the two disagree.

The shape: {"tables": {"schema.name": {"columns": {name: {type, nullable, default, identity,
generated, comment}}, "primary_key": {name, columns} | None, "indexes": {name: {columns,
unique, predicate, include, method}}, "foreign_keys": {name: {columns, ref_table, ref_columns,
on_delete, validated}}, "checks": {name: {expression, validated}}, "comment"}}, "enums": {"schema.name":
[values in order]}}. Every value is spelled as the server reports it: types as `format_type`,
defaults, predicates and checks as `pg_get_expr`, ON DELETE as a word.

Imported by the server tests and by `benchmarks/replay_agreement.py`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linter.dialects.pg_types import quoted_type
from linter.migrations import MigrationSet, Part, TxMode
from linter.schema import Column, Index, Schema, Table
from linter.source import SourceFile

# Schemas the server owns; tables in them are never a migration's.
_SYSTEM_SCHEMAS = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)'"
# Objects an extension owns (pg_depend deptype 'e') are the extension's, not the migrations'.
_NOT_EXTENSION = "NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = {catalog}::regclass AND d.objid = {oid} AND d.deptype = 'e')"

_TABLES = f"""
SELECT c.oid, n.nspname, c.relname, obj_description(c.oid, 'pg_class')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p') AND {_SYSTEM_SCHEMAS}
  AND {_NOT_EXTENSION.format(catalog="'pg_class'", oid="c.oid")}
"""
_COLUMNS = """
SELECT a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       pg_get_expr(ad.adbin, ad.adrelid), a.attidentity, a.attgenerated, col_description(a.attrelid, a.attnum)
FROM pg_attribute a LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
WHERE a.attrelid = ANY(%s) AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attrelid, a.attnum
"""
# Key and INCLUDE columns one by one. pg_get_indexdef(…, k, false) prints an expression the way
# pg_get_expr prints defaults and predicates (not pretty: operators keep their parentheses, the
# one spelling the replay gives every expression), wrapped in one more pair of parentheses
# unless it is a function call; `_expression` takes that pair off.
_INDEXES = """
SELECT i.indrelid, ic.relname, i.indisunique, i.indnkeyatts, i.indkey::int2[], am.amname,
       pg_get_expr(i.indpred, i.indrelid),
       ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, false) FROM generate_series(1, i.indnatts) AS k)
FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
WHERE i.indrelid = ANY(%s)
"""
_CONSTRAINTS = """
SELECT c.conrelid, c.conname, c.contype, c.conkey::int2[], c.confrelid, c.confkey::int2[], c.confdeltype,
       c.convalidated, CASE c.contype WHEN 'c' THEN pg_get_expr(c.conbin, c.conrelid) END
FROM pg_constraint c
WHERE c.conrelid = ANY(%s) AND c.contype IN ('p', 'f', 'c')
"""
_ENUMS = f"""
SELECT n.nspname, t.typname, ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'e' AND {_SYSTEM_SCHEMAS}
  AND {_NOT_EXTENSION.format(catalog="'pg_type'", oid="t.oid")}
"""
_ON_DELETE = {"a": "no action", "r": "restrict", "c": "cascade", "n": "set null", "d": "set default"}
_IDENTITY = {"a": "always", "d": "by default"}


def read_catalog(conn: Any) -> dict[str, Any]:
    """Every table of the non-system schemas (keyed `schema.name`) and every enum, as facts.

    Read with the default search path (`public`), so `format_type` prints public types bare and
    others qualified, as the replay spells them."""
    conn.execute("SET search_path = public")
    tables: dict[int, tuple[str, dict[str, Any]]] = {}
    for oid, schema, name, comment in conn.execute(_TABLES).fetchall():
        tables[oid] = (
            f"{schema}.{name}",
            {"columns": {}, "primary_key": None, "indexes": {}, "foreign_keys": {}, "checks": {}, "comment": comment},
        )
    oids = list(tables)
    names = _relation_names(conn)
    attnames: dict[tuple[int, int], str] = {}
    for relid, number, name, type_, not_null, default, identity, generated, comment in conn.execute(_COLUMNS, (oids,)):
        attnames[relid, number] = name
        tables[relid][1]["columns"][name] = {
            "type": type_,
            "nullable": not not_null,
            "default": default if not generated else None,
            "identity": _IDENTITY.get(identity),
            "generated": default if generated else None,
            "comment": comment,
        }
    for relid, name, unique, key_count, keys, method, predicate, texts in conn.execute(_INDEXES, (oids,)):
        # A plain column by its name (pg_get_indexdef would quote it); an expression by its text.
        elements = [attnames[relid, key] if key else _expression(text) for key, text in zip(keys, texts)]
        tables[relid][1]["indexes"][name] = {
            "columns": elements[:key_count],
            "unique": unique,
            "predicate": predicate,
            "include": elements[key_count:],
            "method": method,
        }
    for relid, name, kind, keys, ref_oid, ref_keys, on_delete, validated, expression in conn.execute(
        _CONSTRAINTS, (oids,)
    ):
        table = tables[relid][1]
        columns = [attnames[relid, key] for key in keys or ()]
        if kind == "p":
            table["primary_key"] = {"name": name, "columns": columns}
        elif kind == "f":
            table["foreign_keys"][name] = {
                "columns": columns,
                "ref_table": names[ref_oid],
                "ref_columns": [_attname(conn, attnames, ref_oid, key) for key in ref_keys],
                "on_delete": _ON_DELETE[on_delete],
                "validated": validated,
            }
        else:
            table["checks"][name] = {"expression": expression, "validated": validated}
    result_tables = {key: _sorted(table) for key, table in sorted(tables.values())}
    enums = {f"{schema}.{name}": list(values) for schema, name, values in sorted(conn.execute(_ENUMS).fetchall())}
    return {"tables": result_tables, "enums": enums}


def _expression(text: str) -> str:
    """An index expression as pg_get_expr prints it: pg_get_indexdef wraps whatever is not a
    function call in parentheses, and a function call never starts with one."""
    return text[1:-1] if text.startswith("(") else text


def _relation_names(conn: Any) -> dict[int, str]:
    """`schema.name` of every table a foreign key may point at (extension tables included)."""
    rows = conn.execute(
        "SELECT c.oid, n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE c.relkind IN ('r', 'p')"
    ).fetchall()
    return {oid: f"{schema}.{name}" for oid, schema, name in rows}


def _attname(conn: Any, attnames: dict[tuple[int, int], str], relid: int, number: int) -> str:
    if (relid, number) not in attnames:
        row = conn.execute("SELECT attname FROM pg_attribute WHERE attrelid = %s AND attnum = %s", (relid, number))
        attnames[relid, number] = row.fetchone()[0]
    return attnames[relid, number]


def _sorted(table: dict[str, Any]) -> dict[str, Any]:
    for part in ("indexes", "foreign_keys", "checks"):
        table[part] = dict(sorted(table[part].items()))
    return table


# --- the replay's facts, in the same shape ------------------------------------------------------
# Temporary tables end with the session that made them; no catalog read afterwards holds them.
_SESSION_SCHEMAS = frozenset({"pg_temp"})


def replay_facts(schema: Schema) -> dict[str, Any]:
    """{"tables": {key: table facts}, "enums": {key: [values in order]}}, keys sorted."""
    tables = {
        key: _table_facts(table) for key, table in sorted(schema.tables.items()) if table.schema not in _SESSION_SCHEMAS
    }
    return {"tables": tables, "enums": {key: list(enum.values) for key, enum in sorted(schema.enums.items())}}


def _table_facts(table: Table) -> dict[str, Any]:
    primary_key = None
    if table.primary_key is not None:
        primary_key = {"name": table.primary_key.name, "columns": list(table.primary_key.columns)}
    return {
        "columns": {name: _column_facts(column) for name, column in table.columns.items()},
        "primary_key": primary_key,
        "indexes": {name: _index_facts(index) for name, index in sorted(table.indexes.items())},
        "foreign_keys": {
            name: {
                "columns": list(fk.columns),
                "ref_table": str(fk.ref_table),
                "ref_columns": list(fk.ref_columns),
                # Unstated is NO ACTION on the server; the model keeps "not stated" apart for K007.
                "on_delete": fk.on_delete or "no action",
                "validated": fk.validated,
            }
            for name, fk in sorted(table.foreign_keys.items())
        },
        "checks": {
            name: {"expression": check.expression, "validated": check.validated}
            for name, check in sorted(table.checks.items())
        },
        "comment": table.comment,
    }


def _column_facts(column: Column) -> dict[str, Any]:
    return {
        # The model keeps user type names unquoted (rules match columns to enums by name);
        # format_type quotes them where quote_identifier would.
        "type": quoted_type(column.type),
        "nullable": column.nullable,
        "default": column.default,
        "identity": column.identity,
        "generated": column.generated,
        "comment": column.comment,
    }


def _index_facts(index: Index) -> dict[str, Any]:
    return {
        "columns": index.columns,
        "unique": index.unique or index.constraint in ("unique", "primary"),
        "predicate": index.predicate,
        "include": list(index.include),
        "method": index.method,
    }


# --- applying a set to a server, and replaying it ----------------------------------------------
def apply_set(conn: Any, migration_set: MigrationSet) -> None:
    """Run every up migration as its tool does, on an autocommit connection: Prisma and
    golang-migrate send the file as one query string (one implicit transaction), dbmate runs
    the up section inside BEGIN … COMMIT. A failure names the migration."""
    import psycopg

    for migration in migration_set.migrations:
        if migration.up is None or not _has_sql(migration.up.text):
            continue
        text = migration.up.text
        try:
            if migration.tx is TxMode.WRAPPED:
                with conn.transaction():
                    conn.execute(text)
            else:
                conn.execute(text)
        except psycopg.Error as error:  # the server's message, with the migration that caused it
            raise RuntimeError(f"{migration.path}: {error}") from error


def _has_sql(text: str) -> bool:
    from pglast.parser import ParseError, parse_sql_json

    try:
        return bool(json.loads(parse_sql_json(text))["stmts"])
    except ParseError:
        return True  # let the server say what is wrong with it


def replay_set(migration_set: MigrationSet) -> Schema:
    """The schema dbvet replays from the set, through the engine as `dbvet check` runs it."""
    from linter.engine import Linter
    from rules import all_rules

    return Linter(rules=all_rules(), enabled=[]).lint_set(migration_set)


def texts_set(texts: tuple[str, ...]) -> MigrationSet:
    """In-memory migrations run in order, each sent as one query string (as Prisma does)."""
    from linter.migrations import Layout, Migration

    migration_set = MigrationSet(
        root=Path("."), path="m", layout=Layout.PLAIN, dialect="postgresql", dialect_source="test"
    )
    for number, text in enumerate(texts, start=1):
        file = SourceFile(path=f"m/{number:03d}.sql", text=text)
        migration_set.migrations.append(
            Migration(
                version=str(number), name="m", sort_key=(number,), path=file.path, up=Part(file), tx=TxMode.IMPLICIT
            )
        )
    return migration_set


def discover_set(root: Path, relative: str) -> MigrationSet:
    """The one migration set at `root/relative`, as discovery finds it."""
    from linter.discover import DiscoverOptions, discover

    found = discover([Path(relative)], DiscoverOptions(), cwd=root)
    sets = [each for each in found.sets if each.migrations]
    assert len(sets) == 1, f"expected one migration set under {relative}, found {[s.path for s in found.sets]}"
    return sets[0]


# --- the corpus sets checked against a server ---------------------------------------------------
@dataclass(frozen=True, slots=True)
class CorpusSet:
    name: str
    repo: str  # folder of ../shared/corpus
    path: str  # the migrations folder inside it
    prepare: Callable[[MigrationSet], None] | None = None  # identical input for both sides


_INDENTED_DOWN = re.compile(r"^[ \t]+--\s*migrate:down(?=\s|$)", re.MULTILINE)
# A comment on a column UPchieve added outside its migrations (no migration creates it).
_UPCHIEVE_DRIFT = "COMMENT ON COLUMN upchieve.users_surveys.progress_report_id IS"
_UPCHIEVE_ROLE = "OWNER TO mat_view_owners"


def _prepare_upchieve(migration_set: MigrationSet) -> None:
    """Make UPchieve's history runnable, identically for the server and the replay.

    Three files mark their down section with an indented `-- migrate:down`, which dbmate does
    not recognise (it refuses a file without a down block; run whole, the up would reach a
    syntax error in the down): both sides take the up to that marker, as its author meant.
    The last migration comments on a column the history never creates (it was added outside
    the migrations): that one statement is left out on both sides. One migration hands a
    materialized view to a role of UPchieve's servers: the current user takes it instead
    (ownership is no schema fact, and a role made here would be shared by every run on the
    cluster)."""
    for migration in migration_set.migrations:
        part = migration.up
        if part is None:
            continue
        text = part.text
        found = _INDENTED_DOWN.search(text)
        if found is not None:
            migration.up = Part(part.file, part.start, part.start + found.start())
        elif _UPCHIEVE_DRIFT in text:
            start = text.index(_UPCHIEVE_DRIFT)
            end = text.index(";", start) + 1
            migration.up = Part(SourceFile(part.file.path, text[:start] + text[end:]))
        elif _UPCHIEVE_ROLE in text:
            migration.up = Part(SourceFile(part.file.path, text.replace(_UPCHIEVE_ROLE, "OWNER TO CURRENT_USER")))


CORPUS_SETS = (
    CorpusSet("documenso", "documenso__documenso", "packages/prisma/migrations"),
    CorpusSet("langfuse", "langfuse__langfuse", "packages/shared/prisma/migrations"),
    CorpusSet("openmeter", "openmeterio__openmeter", "tools/migrate/migrations"),
    # dbmate: UPchieve, not supabase — supabase's set needs supabase's roles and extensions
    # (pgsodium, pg_graphql, pgjwt, supabase_vault) that a vanilla PostgreSQL 15 lacks.
    CorpusSet("upchieve", "UPchieve__subway", "database/migrations", prepare=_prepare_upchieve),
)


def load_set(corpus: Path, corpus_set: CorpusSet) -> MigrationSet:
    migration_set = discover_set(corpus / corpus_set.repo, corpus_set.path)
    if corpus_set.prepare is not None:
        corpus_set.prepare(migration_set)
    return migration_set


def server_agreement(database_url: str, migration_set: MigrationSet) -> Agreement:
    """Apply the set to the (empty) database, read its catalog, replay the set, compare."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        apply_set(conn, migration_set)
        server = read_catalog(conn)
    return compare(server, replay_facts(replay_set(migration_set)))


def replay_against_server(
    database_url: str, migrations: tuple[str, ...], expect: dict[str, Any]
) -> tuple[list[str], dict[str, Any]]:
    """Run small migrations on the server (each as one query string) and through the replay:
    the differences between the two, and the server's values of the facts named in `expect`
    (`"index public.t t_a_idx columns"`; None where the server has no such fact)."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        for text in migrations:
            conn.execute(text)
        server = read_catalog(conn)
    differences = compare(server, replay_facts(replay_set(texts_set(migrations)))).differences
    flat = {" ".join(key): value for key, value in flatten(server).items()}
    return differences, {key: flat.get(key) for key in expect}


# --- comparing --------------------------------------------------------------------------------
def flatten(fact_tree: dict[str, Any]) -> dict[tuple[str, ...], Any]:
    """One entry per fact: (kind, object, …, attribute) -> value. A table's existence, its
    comment and primary key are facts; so is every attribute of every column, index, foreign
    key and check, and each enum's value list."""
    flat: dict[tuple[str, ...], Any] = {}
    for key, table in fact_tree["tables"].items():
        flat["table", key] = True
        flat["table", key, "comment"] = table["comment"]
        flat["table", key, "primary_key"] = table["primary_key"]
        for name, column in table["columns"].items():
            for attribute, value in column.items():
                flat["column", key, name, attribute] = value
        for part, kind in (("indexes", "index"), ("foreign_keys", "foreign key"), ("checks", "check")):
            for name, item in table[part].items():
                for attribute, value in item.items():
                    flat[kind, key, name, attribute] = value
    for key, values in fact_tree["enums"].items():
        flat["enum", key] = values
    return flat


_ABSENT = object()


@dataclass(slots=True)
class Agreement:
    agree: int
    total: int
    differences: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.agree / self.total if self.total else 1.0

    def summary(self) -> str:
        return f"{self.agree}/{self.total} facts agree ({100 * self.ratio:.2f}%)"


def compare(server: dict[str, Any], replayed: dict[str, Any]) -> Agreement:
    """Facts that agree out of all facts either side holds, and each difference in words. An
    object one side lacks altogether (a table, a column, an index …) is one line."""
    left, right = flatten(server), flatten(replayed)
    keys = list(left) + [key for key in right if key not in left]
    agree = 0
    missing: dict[tuple[str, ...], list[str]] = {}  # object -> sides holding it, per fact
    differences = []
    for key in keys:
        expected, actual = left.get(key, _ABSENT), right.get(key, _ABSENT)
        if expected == actual:
            agree += 1
        elif expected is _ABSENT or actual is _ABSENT:
            missing.setdefault(_owner(key, left, right), []).append("replay" if expected is _ABSENT else "server")
        else:
            differences.append(f"{' '.join(key)}: server {expected!r}, replay {actual!r}")
    for owner, sides in missing.items():
        differences.append(f"{' '.join(owner)}: only in the {sides[0]} ({len(sides)} facts)")
    return Agreement(agree, len(keys), sorted(differences))


def _owner(key: tuple[str, ...], left: dict, right: dict) -> tuple[str, ...]:
    """The largest object holding a one-sided fact that is itself one-sided."""
    table = ("table", key[1])
    if (table in left) != (table in right):
        return table
    return key[:3] if len(key) > 3 else key
