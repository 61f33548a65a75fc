"""PostgreSQL's generated names (`t_code_key`, `t_a_fkey1`, …) must not collide with a name in
use. The replay answers "is this name taken?" from a record of the names its tables have ever
had (`KeyReplay._note_names`) and looks through every table only for a name in that record:
before, it looked through every table for every generated name, which made a long history of
CREATE TABLEs quadratic. The record may keep names no longer in use, but must never miss one:
here every answer is checked against the plain pass over every table, on cases made to reuse
names and on real and synthetic sets. `Schema.find_index` (DROP INDEX, ALTER INDEX, the lock
rules) likewise asks a record of which tables have had an index of a name, and is checked the
same way."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "benchmarks")]

from conftest import corpus_path  # noqa: E402
from harness import write_tree  # noqa: E402

from linter.config import config_from_mapping  # noqa: E402
from linter.replay_keys import KeyReplay  # noqa: E402
from linter.run import check  # noqa: E402
from linter.schema import POSTGRESQL, Schema, peek_items  # noqa: E402
from rules import all_rules  # noqa: E402


def _every_table_says(replay: KeyReplay, table, kind: str, name: str) -> bool:
    """The answer from one pass over every table, as the replay gave it before the record."""
    schema = table.schema
    relations = kind in ("index", "index constraint")
    constraints = kind in ("constraint", "index constraint")
    if relations and (f"{schema}.{name}" in replay.schema.views or f"{schema}.{name}" in replay._sequences):
        return True
    for _, other in peek_items(replay.schema.tables):  # read only
        if other.schema != schema:
            continue
        if relations and (name == other.name or name in other.indexes):
            return True
        if constraints and (
            name in other.foreign_keys
            or name in other.checks
            or (name in other.indexes and other.indexes[name].constraint is not None)
        ):
            return True
    return False


@pytest.fixture
def checked_names(monkeypatch):
    """Check every PostgreSQL "is it taken?" answer against the pass over every table; yields
    the list of (name, answer) asked."""
    asked: list[tuple[str, bool]] = []
    plain = KeyReplay._name_taken

    def checking(self, table, kind):
        taken = plain(self, table, kind=kind)
        if self.schema.dialect != POSTGRESQL:
            return taken

        def answer(name: str) -> bool:
            given = taken(name)
            assert given == _every_table_says(self, table, kind, name), (kind, table.name, name)
            asked.append((name, given))
            return given

        return answer

    monkeypatch.setattr(KeyReplay, "_name_taken", checking)
    return asked


def _first_table_holding(schema: Schema, ref) -> tuple | None:
    """`find_index` as one pass over every table, in order, as it was before the record."""
    schemas = [ref.schema] if ref.schema else (schema.search_path or ["public"])
    for key, table in peek_items(schema.tables):
        if ref.name in table.indexes and (schema.dialect != POSTGRESQL or table.schema in schemas):
            return key, ref.name
    return None


@pytest.fixture
def checked_lookups(monkeypatch):
    """Check every `find_index` answer against the pass over every table; yields the list of
    (index name, found) asked."""
    asked: list[tuple[str, bool]] = []
    plain = Schema.find_index

    def checking(self, ref):
        expected = _first_table_holding(self, ref)
        found = plain(self, ref)
        got = None if found is None else (self.key(found[0].name, found[0].schema), found[1].name)
        assert got == expected, (ref, got, expected)
        asked.append((ref.name, found is not None))
        return found

    monkeypatch.setattr(Schema, "find_index", checking)
    return asked


def _run(root: Path, dialect: str | None = None) -> list[tuple]:
    rules = all_rules()
    previous = os.getcwd()
    os.chdir(root)
    try:
        config = config_from_mapping({"dialect": dialect} if dialect else {}, rules, root)
        result = check([Path(".")], config, rules, root, jobs=1, cache=False)
    finally:
        os.chdir(previous)
    return [(f.rule, f.path, f.line, f.column, f.message) for f in result.findings]


# Names given, dropped, renamed, moved and taken by other kinds of objects, then generated again.
REUSE = {
    "0001.sql": "CREATE TABLE t (id bigint PRIMARY KEY, code text UNIQUE, a int CHECK (a > 0));\n"
    "CREATE TABLE u (id bigint PRIMARY KEY, t_id bigint REFERENCES t (id));\n",
    # the generated names come back after their table goes
    "0002.sql": "DROP TABLE u;\nCREATE TABLE u (id bigint PRIMARY KEY, t_id bigint REFERENCES t (id));\n",
    # a name given by hand to another table's constraint, one generation would choose
    "0003.sql": "CREATE TABLE v (id bigint, CONSTRAINT w_pkey CHECK (id > 0));\n"
    "CREATE TABLE w (id bigint PRIMARY KEY);\n",
    # renamed indexes and constraints free their names and take others
    "0004.sql": "ALTER INDEX t_code_key RENAME TO x_code_key;\n"
    "ALTER TABLE t RENAME CONSTRAINT t_a_check TO x_a_check;\n"
    "ALTER TABLE t ADD CONSTRAINT t_a_check2 CHECK (a < 10), ADD CHECK (a <> 5), ADD UNIQUE (code);\n"
    "CREATE TABLE x (id bigint PRIMARY KEY, code text UNIQUE, a int CHECK (a > 1));\n",
    # a table moved to another schema takes its names with it; a view holds a relation name
    "0005.sql": "CREATE SCHEMA s;\nALTER TABLE x SET SCHEMA s;\nCREATE VIEW y_code_key AS SELECT 1;\n"
    "CREATE TABLE y (id bigint PRIMARY KEY, code text UNIQUE);\nCREATE INDEX ON y (code);\nCREATE INDEX ON y (code);\n"
    "CREATE TABLE x (id bigint PRIMARY KEY, code text UNIQUE, a int CHECK (a > 1));\n",
    # a renamed table; a temporary table's names end with its migration
    "0006.sql": "ALTER TABLE y RENAME TO z;\nCREATE TABLE y (id bigint PRIMARY KEY, code text UNIQUE);\n"
    "CREATE TEMPORARY TABLE tmp (id bigint PRIMARY KEY, code text UNIQUE);\n"
    "CREATE TEMPORARY TABLE tmp2 (id bigint);\n",
    "0007.sql": "CREATE TABLE tmp (id bigint PRIMARY KEY, code text UNIQUE);\n"
    "ALTER TABLE z ADD FOREIGN KEY (id) REFERENCES t (id), ADD FOREIGN KEY (id) REFERENCES t (id);\n",
    # a moved or renamed table's names are where it went: new indexes there number after them
    "0008.sql": "CREATE INDEX ON s.x (code);\nCREATE TABLE m (id bigint, code text);\nCREATE INDEX ON m (code);\n"
    "ALTER TABLE m SET SCHEMA s;\nCREATE INDEX ON s.m (code);\n"
    "ALTER TABLE s.m RENAME TO q_code_idx;\nCREATE TABLE s.q (code text);\nCREATE INDEX ON s.q (code);\n",
    # a new table's name, a primary key's given name
    "0009.sql": "CREATE TABLE r_code_idx (id bigint);\nCREATE TABLE r (code text);\nCREATE INDEX ON r (code);\n"
    "CREATE TABLE g (id bigint CONSTRAINT h_code_key PRIMARY KEY);\nCREATE TABLE h (code text UNIQUE);\n",
    # an index that becomes a constraint under a new name; a second temporary table
    "0010.sql": "CREATE UNIQUE INDEX ui ON h (code);\nALTER TABLE h ADD CONSTRAINT c_code_key UNIQUE USING INDEX ui;\n"
    "CREATE TABLE c (code text UNIQUE);\nCREATE TEMPORARY TABLE tmp (id bigint PRIMARY KEY);\n"
    "CREATE INDEX ON tmp2 (id);\n",
}


def test_reused_names_get_the_answers_every_table_gives(tmp_path, checked_names):
    write_tree(tmp_path, {f"migrations/{name}": sql for name, sql in REUSE.items()})
    _run(tmp_path, "postgresql")
    taken = [name for name, answer in checked_names if answer]
    free = [name for name, answer in checked_names if not answer]
    # Given by hand elsewhere, renamed onto, a view's, moved away from, reused: as PostgreSQL does.
    assert taken == [
        "w_pkey", "x_a_check", "x_code_key", "y_code_key", "y_code_idx",
        "x_a_check", "x_code_key", "y_pkey", "y_code_key", "y_code_key1", "z_id_fkey",
        "m_code_idx", "q_code_idx", "r_code_idx", "h_code_key", "c_code_key",
    ]
    assert free.count("u_pkey") == free.count("u_t_id_fkey") == 2  # free again once u was dropped
    assert free.count("tmp_pkey") == 3  # a temporary table's names end with its migration
    assert "tmp2_id_idx" not in free + taken  # and so does the table: no index is made on it
    assert "x_pkey" in free[free.index("y_code_idx1"):]  # x moved to schema s: its key name is free


@pytest.mark.parametrize(
    "project",
    ["LemmyNet__lemmy", "openmeterio__openmeter", "UPchieve__subway", "harness__harness"],
)
def test_corpus_sets_get_the_answers_every_table_gives(project, checked_names):
    _run(corpus_path(project))
    assert len(checked_names) > 100  # sets whose SQL leaves many names to the server


def test_synthetic_sets_get_the_answers_every_table_gives(tmp_path, checked_names):
    from gen_synthetic import generate

    generate(tmp_path / "corpus", 300, seed=5)
    _run(tmp_path / "corpus")
    assert len(checked_names) > 100


# Indexes dropped, renamed, moved, of one name in two schemas of the search path, made again.
INDEXES = {
    "0001.sql": "CREATE SCHEMA a;\nCREATE TABLE a.t (id bigint, code text);\nCREATE TABLE t (id bigint, code text);\n"
    "CREATE INDEX i ON t (code);\nCREATE INDEX i ON a.t (code);\nCREATE INDEX j ON t (id);\n",
    "0002.sql": "SET search_path TO a, public;\nDROP INDEX i;\nDROP INDEX i;\nDROP INDEX IF EXISTS i;\n",
    "0003.sql": "ALTER INDEX j RENAME TO k;\nCREATE INDEX j ON a.t (id);\nALTER TABLE t RENAME TO u;\n"
    "DROP INDEX k;\nCREATE INDEX k ON u (code);\nALTER TABLE u SET SCHEMA a;\nDROP INDEX public.k;\nDROP INDEX a.k;\n",
    "0004.sql": "SET search_path TO a, public;\nCREATE TABLE v (id bigint CONSTRAINT v_pkey PRIMARY KEY);\n"
    "ALTER INDEX v_pkey RENAME TO j2;\nDROP INDEX CONCURRENTLY IF EXISTS j;\nDROP INDEX j2;\n",
}


def test_index_lookups_get_the_answers_every_table_gives(tmp_path, checked_lookups):
    write_tree(tmp_path, {f"migrations/{name}": sql for name, sql in INDEXES.items()})
    _run(tmp_path, "postgresql")
    assert ("i", True) in checked_lookups and ("k", False) in checked_lookups
    assert sum(found for _, found in checked_lookups) >= 8


@pytest.mark.parametrize(
    ("project", "dialect"),
    [
        ("LemmyNet__lemmy", None),
        ("langfuse__langfuse", None),
        ("triggerdotdev__trigger.dev", None),
        ("UPchieve__subway", None),
        ("umami-software__umami", None),
        ("authelia__authelia", None),
    ],
)
def test_corpus_index_lookups_get_the_answers_every_table_gives(project, dialect, checked_lookups):
    _run(corpus_path(project), dialect)
    assert sum(found for _, found in checked_lookups) > 10


def test_synthetic_index_lookups_get_the_answers_every_table_gives(tmp_path, checked_lookups):
    from gen_synthetic import generate

    generate(tmp_path / "corpus", 300, seed=5)
    _run(tmp_path / "corpus")
    assert sum(found for _, found in checked_lookups) > 10


def test_index_lookups_in_sqlite_and_mysql_get_the_answers_every_table_gives(tmp_path, checked_lookups):
    # SQLite renames its autoindexes with their table; MySQL names the index it makes for an
    # unnamed foreign key after its first column. Each is looked up after the record exists.
    write_tree(
        tmp_path / "lite",
        {
            "migrations/0001.sql": "CREATE TABLE a (id INTEGER, code TEXT UNIQUE);\nDROP INDEX IF EXISTS nothing;\n"
            "ALTER TABLE a RENAME TO b;\nDROP INDEX sqlite_autoindex_b_1;\n",
        },
    )
    _run(tmp_path / "lite", "sqlite")
    write_tree(
        tmp_path / "my",
        {
            "db/1_p.up.sql": "CREATE TABLE p (id INT PRIMARY KEY);\n",
            "db/1_p.down.sql": "DROP INDEX nothing ON p;\nDROP TABLE p;\n",
            "db/2_c.up.sql": "CREATE TABLE c (id INT PRIMARY KEY, p_id INT, FOREIGN KEY (p_id) REFERENCES p (id));\n",
            "db/2_c.down.sql": "DROP TABLE c;\n",
            "db/3_i.up.sql": "CREATE INDEX other ON p (id);\n",
            "db/3_i.down.sql": "DROP INDEX p_id ON c;\nDROP INDEX other ON p;\n",
        },
    )
    _run(tmp_path / "my", "mysql")
    assert ("sqlite_autoindex_b_1", True) in checked_lookups and ("p_id", True) in checked_lookups
