"""R002 compares only the tables a pair's replay may change (`linter.reversal.Reach`): those its
changing actions name, and those the replay reaches beyond them (the foreign keys pointing at a
dropped or renamed table or column, the table holding an index dropped by name, every table
for types, schemas and the search path). Leaving the others out must never change what R002
says: each case here, and whole corpora, give exactly what comparing every touched table gives."""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent / "benchmarks"), str(HERE)]

from conftest import corpus_path  # noqa: E402

from linter import reversal  # noqa: E402
from linter.config import config_from_mapping  # noqa: E402
from linter.engine import Linter  # noqa: E402
from linter.migrations import Layout, Migration, MigrationSet, Part  # noqa: E402
from linter.records import fields, is_record  # noqa: E402
from linter.run import check  # noqa: E402
from linter.schema import Name  # noqa: E402
from linter.source import SourceFile  # noqa: E402
from rules import all_rules  # noqa: E402


def _compare_every_touched_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """What R002 did before it knew how far a replay reaches: every touched table compared."""
    monkeypatch.setattr(reversal.Reach, "of", classmethod(lambda cls, pair: cls(everywhere=True)))


def _reversals(pairs: list[tuple[str, str | None]], dialect: str = "postgresql") -> list[list[str]]:
    """What each down leaves different, for migrations given as (up, down) texts."""
    migration_set = MigrationSet(
        root=Path("."), path="migrations", layout=Layout.PLAIN, dialect=dialect, dialect_source="test"
    )
    for number, (up, down) in enumerate(pairs, start=1):
        up_file = SourceFile(path=f"migrations/{number:04d}.up.sql", text=up)
        down_part = Part(SourceFile(path=f"migrations/{number:04d}.down.sql", text=down)) if down is not None else None
        migration_set.migrations.append(
            Migration(f"{number:04d}", f"m{number}", (number,), up_file.path, Part(up_file), down=down_part)
        )
    rules = all_rules()
    linter = Linter(rules=rules, enabled=[rules["R002"]])
    linter.lint_set(migration_set)
    return [linter.reversals.get(id(migration), []) for migration in migration_set.migrations]


USERS_POSTS = (
    (
        "CREATE TABLE users (id bigint PRIMARY KEY, code text UNIQUE);\n"
        "CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id),"
        " user_code text REFERENCES users (code));\n"
        "CREATE TABLE tags (id bigint PRIMARY KEY, post_id bigint REFERENCES posts (id));\n"
    ),
    "DROP TABLE tags; DROP TABLE posts; DROP TABLE users;",
)

CASES = {
    # DROP TABLE … CASCADE takes the foreign keys of the tables that point at it.
    "drop table cascade": (
        [USERS_POSTS, ("DROP TABLE users CASCADE;", "CREATE TABLE users (id bigint PRIMARY KEY, code text UNIQUE);")],
        [
            'foreign key "posts_user_code_fkey" on "posts" is not restored',
            'foreign key "posts_user_id_fkey" on "posts" is not restored',
        ],
    ),
    # A renamed column is renamed in the foreign keys that point at it.
    "column rename": (
        [USERS_POSTS, ("ALTER TABLE users RENAME COLUMN id TO uid;", "SELECT 1;")],
        [
            'foreign key "posts_user_id_fkey" on "posts" is not restored as it was',
            'column "users.id" is not restored',
            'column "users.uid" is left behind',
            'primary key of "users" is (uid), was (id)',
        ],
    ),
    # A dropped column takes the foreign keys on it, and only those.
    "drop referenced column": (
        [USERS_POSTS, ("ALTER TABLE users DROP COLUMN code;", "ALTER TABLE users ADD COLUMN code text UNIQUE;")],
        ['foreign key "posts_user_code_fkey" on "posts" is not restored'],
    ),
    "drop unreferenced column": (
        [USERS_POSTS, ("ALTER TABLE posts DROP COLUMN user_code;", "ALTER TABLE posts ADD COLUMN user_code text;")],
        ['foreign key "posts_user_code_fkey" on "posts" is not restored'],
    ),
    # An index dropped by its name alone: the table that holds it is not named otherwise.
    "index dropped by name, not restored": (
        [
            (USERS_POSTS[0] + "CREATE INDEX posts_user_idx ON posts (user_id);", USERS_POSTS[1]),
            ("DROP INDEX posts_user_idx;", "SELECT 1;"),
        ],
        ['index "posts_user_idx" on "posts" is not restored'],
    ),
    # With `t` dropped from the first schema of the path, `t` names the one in the second.
    "a name resolves further along the path": (
        [
            (
                (
                    "CREATE SCHEMA s2;\nCREATE TABLE u (id bigint PRIMARY KEY);\n"
                    "CREATE TABLE t (id bigint PRIMARY KEY);\n"
                    "CREATE TABLE s2.t (id bigint PRIMARY KEY, u_id bigint REFERENCES u (id));\n"
                    "SET search_path = public, s2;"
                ),
                None,
            ),
            (
                "DROP TABLE t;\nALTER TABLE t ADD COLUMN x integer;\nINSERT INTO u VALUES (1);",
                "CREATE TABLE t (id bigint PRIMARY KEY);",
            ),
        ],
        ['column "s2.t.x" is left behind'],
    ),
    # The SET LOCAL of the migration before ends with its transaction: `t` is public's again.
    "a SET LOCAL search path ends as the up starts": (
        [
            (
                (
                    "CREATE SCHEMA s2;\nCREATE TABLE s2.t (id bigint PRIMARY KEY);\n"
                    "CREATE TABLE t (id bigint PRIMARY KEY REFERENCES s2.t (id));\nSET LOCAL search_path = s2;"
                ),
                None,
            ),
            ("ALTER TABLE t ADD COLUMN x integer;", "SELECT 1;"),
        ],
        ['column "t.x" is left behind'],
    ),
    # A foreign key to a table that does not exist yet was never compared, and still is not.
    "a foreign key that points nowhere yet": (
        [
            (
                "CREATE TABLE posts (id bigint PRIMARY KEY, author_id bigint REFERENCES authors (id));",
                "DROP TABLE posts;",
            ),
            ("CREATE TABLE authors (id bigint PRIMARY KEY);", "DROP TABLE authors CASCADE;"),
        ],
        [],
    ),
    # A type rename reaches the columns of that type in any table.
    "type rename": (
        [
            (
                "CREATE TYPE mood AS ENUM ('ok');\nCREATE TABLE t (id bigint PRIMARY KEY, m mood);",
                "DROP TABLE t; DROP TYPE mood;",
            ),
            ("ALTER TYPE mood RENAME TO feeling;", "SELECT 1;"),
        ],
        ['column "t.m" has type feeling, had mood', 'enum "mood" is not restored', 'enum "feeling" is left behind'],
    ),
    # Without CASCADE, a dropped type takes no column (the server refuses while one uses it).
    "type dropped without cascade": (
        [
            (
                "CREATE TYPE mood AS ENUM ('ok');\nCREATE TABLE t (id bigint PRIMARY KEY, m mood);",
                "DROP TABLE t; DROP TYPE mood;",
            ),
            ("DROP TYPE mood;", "CREATE TYPE mood AS ENUM ('ok', 'sad');"),
        ],
        ['enum "mood" has values (ok, sad), had (ok)'],
    ),
    "type dropped with cascade": (
        [
            (
                "CREATE TYPE mood AS ENUM ('ok');\nCREATE TABLE t (id bigint PRIMARY KEY, m mood);",
                "DROP TABLE t; DROP TYPE mood;",
            ),
            ("DROP TYPE mood CASCADE;", "CREATE TYPE mood AS ENUM ('ok');"),
        ],
        ['column "t.m" is not restored'],
    ),
    # Tables only read (an INSERT, a foreign key's target) are compared to no effect.
    "tables only read": (
        [USERS_POSTS, ("INSERT INTO users VALUES (1); ALTER TABLE tags ADD COLUMN note text;", "SELECT 1;")],
        ['column "tags.note" is left behind'],
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_only_reachable_tables_are_compared_and_nothing_is_missed(name, monkeypatch):
    pairs, expected = CASES[name]
    found = _reversals(pairs)
    assert found[-1] == expected
    _compare_every_touched_table(monkeypatch)
    assert _reversals(pairs) == found


def test_mysql_drops_foreign_keys_on_a_column_whatever_its_case(monkeypatch):
    pairs = [
        (
            (
                "CREATE TABLE users (id bigint PRIMARY KEY, code varchar(20) UNIQUE);\n"
                "CREATE TABLE posts (id bigint PRIMARY KEY, user_code varchar(20),"
                " FOREIGN KEY (user_code) REFERENCES users (code));"
            ),
            None,
        ),
        ("ALTER TABLE Users DROP COLUMN Code;", "ALTER TABLE users ADD COLUMN code varchar(20) UNIQUE;"),
    ]
    found = _reversals(pairs, dialect="mysql")
    assert found[-1] == ['foreign key "posts_ibfk_1" on "posts" is not restored']
    _compare_every_touched_table(monkeypatch)
    assert _reversals(pairs, dialect="mysql") == found


def _findings(root: Path) -> list[tuple]:
    rules = all_rules()
    previous = Path.cwd()
    os.chdir(root)
    try:
        result = check([Path(".")], config_from_mapping({}, rules, root), rules, root, jobs=1, cache=False)
    finally:
        os.chdir(previous)
    return [(f.rule, f.path, f.line, f.message, f.fix) for f in result.findings if f.rule == "R002"]


@pytest.mark.parametrize(
    "project",
    ["LemmyNet__lemmy", "openmeterio__openmeter", "UPchieve__subway", "harness__harness", "authelia__authelia"],
)
def test_corpus_findings_match_comparing_every_touched_table(project, monkeypatch):
    root = corpus_path(project)
    reached = _findings(root)
    assert reached  # the reversal path ran and found something
    _compare_every_touched_table(monkeypatch)
    assert _findings(root) == reached


def test_synthetic_findings_match_comparing_every_touched_table(tmp_path, monkeypatch):
    from gen_synthetic import generate

    generate(tmp_path / "corpus", 400, seed=11)
    reached = _findings(tmp_path / "corpus")
    assert reached
    _compare_every_touched_table(monkeypatch)
    assert _findings(tmp_path / "corpus") == reached


def _every_name(value) -> list[Name]:
    """Every `Name` in an action, found by walking every field (what `_names` did before it
    skipped fields whose declared type holds none)."""
    found: list[Name] = []
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, Name):
            found.append(item)
        elif isinstance(item, (list, tuple)):
            pending.extend(item)
        elif is_record(item):
            pending.extend(
                getattr(item, f.name) for f in fields(item) if f.name not in ("span", "created", "changed", "source")
            )
    return found


@pytest.mark.parametrize(
    "project", ["harness__harness", "umami-software__umami", "kestra-io__kestra"]
)  # PostgreSQL, MySQL, SQLite
def test_names_are_those_of_a_walk_through_every_field(project, monkeypatch):
    import linter.engine

    actions = []
    parse_part = linter.engine.parse_part

    def parse_and_keep(part, dialect):
        parsed = parse_part(part, dialect)
        actions.extend(action for statement in parsed.statements for action in statement.actions)
        return parsed

    monkeypatch.setattr(linter.engine, "parse_part", parse_and_keep)
    _findings(corpus_path(project))
    assert len(actions) > 100
    for action in actions:
        assert Counter(reversal._names(action)) == Counter(_every_name(action)), action


@pytest.mark.parametrize(
    "project", ["LemmyNet__lemmy", "openmeterio__openmeter", "UPchieve__subway", "authelia__authelia"]
)
def test_reachable_tables_from_the_indexes_are_those_a_pass_over_every_table_finds(project, monkeypatch):
    """`_reachable` reads only the tables the replay's referrer index and the schema's record of
    index names point at: at every call, the same keys as reading every table."""
    plain = reversal._reachable
    calls = []

    def both(reach, schema, referrers_by_name=None):
        found = plain(reach, schema, referrers_by_name)
        assert referrers_by_name is not None  # the engine passes the replay's index
        assert found == plain(reach, schema), reach
        calls.append(bool(reach.referrers_of or reach.referred_columns or reach.index_names))
        return found

    monkeypatch.setattr(reversal, "_reachable", both)
    _findings(corpus_path(project))
    assert sum(calls) > 10  # pairs that drop or rename something another table's key points at


def test_reachable_tables_from_the_indexes_on_built_pairs(monkeypatch):
    """The same check where a down reaches a table only through an index it drops by name, or
    through foreign keys pointing at what it drops (a quoted name with capitals among them)."""
    plain = reversal._reachable
    reached = []

    def both(reach, schema, referrers_by_name=None):
        found = plain(reach, schema, referrers_by_name)
        assert found == plain(reach, schema), reach
        reached.append(found)
        return found

    monkeypatch.setattr(reversal, "_reachable", both)
    pairs = [
        (
            'CREATE TABLE a (id bigint PRIMARY KEY, code text);\nCREATE INDEX a_code ON a (code);\n'
            'CREATE TABLE "Big" (id bigint PRIMARY KEY);\n',
            'DROP TABLE "Big";\nDROP TABLE a;\n',
        ),
        (
            'CREATE TABLE c (id bigint, a_id bigint REFERENCES a (id), big_id bigint REFERENCES "Big" (id));\n',
            "DROP TABLE c;\n",
        ),
        ("CREATE TABLE b (id bigint);\n", "DROP INDEX a_code;\nDROP TABLE b;\n"),  # reaches a by its index only
        ("ALTER TABLE b ADD COLUMN x int;\n", 'ALTER TABLE b DROP COLUMN x;\nDROP TABLE "Big" CASCADE;\n'),
    ]
    found = _reversals(pairs)
    assert found[2] == ['index "a_code" on "a" is not restored'] and 'foreign key' in " ".join(found[3])
    assert {"public.a"} <= reached[2] and {"public.Big", "public.c"} <= reached[3]
