"""Shortcuts of the replay pinned against the plain definition. R002's down replay runs on a
`Schema.clone()`, takes over the up replay's index of foreign-key referrers (`Replay.of_clone`)
instead of building it again, and drops tables without copying them first: it must leave the
schema exactly as a fresh `Replay` of a plain deep copy would, and the original untouched."""

from __future__ import annotations

import pytest

from linter.migrations import Part
from linter.records import replace
from linter.replay import Replay
from linter.schema import MYSQL, POSTGRESQL, SQLITE, Origin, Schema, peek_items
from linter.schema_output_json import table_facts
from linter.source import SourceFile


def _apply(replay: Replay, dialect: str, text: str, name: str) -> None:
    if dialect == POSTGRESQL:
        from linter.dialects.postgres import parse_part

        parsed = parse_part(Part(SourceFile(name, text)))
    else:
        from linter.dialects.sqlglot_front import parse_part

        parsed = parse_part(Part(SourceFile(name, text)), dialect)
    assert parsed.errors == []
    for statement in parsed.statements:
        for action in statement.actions:
            replay.apply(action, Origin(name, action.span))


def _state(schema: Schema) -> dict:
    """What R002 and the rules see of the schema: table keys in order, each table's facts, and
    what the facts leave out (column order; each foreign key's target and last change)."""
    return {
        key: (
            table_facts(table, schema.dialect),
            list(table.columns),
            {name: (fk.ref_table, fk.ref_columns, fk.changed) for name, fk in table.foreign_keys.items()},
        )
        for key, table in peek_items(schema.tables)
    }


def _revert_both_ways(dialect: str, ups: list[str], down: str) -> None:
    schema = Schema(dialect=dialect)
    replay = Replay(schema)
    for number, up in enumerate(ups):
        _apply(replay, dialect, up, f"{number}.sql")
    before = _state(schema)
    plain = replace(  # a copy of everything, in plain dicts
        schema,
        tables={key: table.clone() for key, table in schema.tables.items()},
        enums={key: replace(enum, values=list(enum.values)) for key, enum in schema.enums.items()},
        views=dict(schema.views),
        schemas=set(schema.schemas),
        search_path=list(schema.search_path),
    )
    shortcut = schema.clone()
    _apply(Replay(plain), dialect, down, "down.sql")
    _apply(replay.of_clone(shortcut), dialect, down, "down.sql")
    assert _state(shortcut) == _state(plain)
    assert _state(schema) == before  # the original is left alone


# Each list of ups ends with a statement that makes the up replay build its index of referrers (a
# drop or rename), except where the index is never built; some leave stale keys in it.
POSTGRES_CASES = [
    pytest.param(
        [
            'CREATE TABLE "Parent" (id int PRIMARY KEY, code text UNIQUE);',
            "CREATE TABLE parent (id int PRIMARY KEY);",
            'CREATE TABLE kid (id int, p int REFERENCES "Parent", q int REFERENCES parent,'
            ' c text REFERENCES "Parent" (code));',
            "CREATE TABLE other (id int);",
            "ALTER TABLE other DROP COLUMN id;",
        ],
        'ALTER TABLE "Parent" DROP COLUMN code; DROP TABLE parent CASCADE;',
        id="quoted-and-folded-names",
    ),
    pytest.param(
        [
            "CREATE SCHEMA s; CREATE TABLE s.p (id int PRIMARY KEY); CREATE TABLE p (id int PRIMARY KEY);",
            "CREATE TABLE s.k (p int REFERENCES s.p, q int REFERENCES public.p);",
            "CREATE TABLE k2 (p int REFERENCES s.p);",
            "ALTER TABLE p RENAME TO p_old; ALTER TABLE p_old RENAME TO p;",
        ],
        "ALTER TABLE s.p RENAME TO q; DROP TABLE p CASCADE; ALTER TABLE s.q DROP COLUMN id CASCADE;",
        id="schemas-and-renames",
    ),
    pytest.param(
        [
            (
                "CREATE TABLE café (id int PRIMARY KEY);\r\n"
                "CREATE TABLE commande (id int, c int REFERENCES café); -- é\r\n"
                "DROP TABLE commande; CREATE TABLE commande2 (c int REFERENCES café);"
            ),
        ],
        "ALTER TABLE café RENAME COLUMN id TO ident;\r\nDROP TABLE café CASCADE;",
        id="non-ascii-crlf-stale-key",
    ),
    pytest.param(
        ["CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE k (p int REFERENCES p);"],
        "ALTER TABLE k ADD COLUMN q int REFERENCES p; DROP TABLE p CASCADE;",
        id="index-never-built-by-the-up",
    ),
    pytest.param(
        [
            "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE k (p int REFERENCES p); DROP TABLE k;",
        ],
        "CREATE TABLE k (p int REFERENCES p); ALTER TABLE p RENAME TO p2; DROP TABLE p2 CASCADE;",
        id="down-adds-a-referrer",
    ),
    pytest.param(
        [
            "CREATE TABLE p (id serial PRIMARY KEY, n bigserial);"
            " CREATE TABLE k (id int REFERENCES k, p int REFERENCES p);",
            "DROP TABLE IF EXISTS ghost;",
        ],
        (
            "DROP TABLE k; CREATE TABLE t (id serial, k int REFERENCES p); DROP TABLE t, p CASCADE;"
            "CREATE TABLE t (id serial); CREATE TABLE p_id_seq (x int); CREATE TABLE p (id serial);"
        ),
        id="dropped-tables-with-sequences-and-self-references",
    ),
]


@pytest.mark.parametrize(("ups", "down"), POSTGRES_CASES)
def test_a_down_replay_of_a_clone_matches_a_fresh_replay_postgres(ups: list[str], down: str) -> None:
    _revert_both_ways(POSTGRESQL, ups, down)


@pytest.mark.parametrize("dialect", [MYSQL, SQLITE])
def test_a_down_replay_of_a_clone_matches_a_fresh_replay_case_insensitive(dialect: str) -> None:
    ups = [
        "CREATE TABLE Parent (id int PRIMARY KEY);",
        "CREATE TABLE kid (id int, p int, FOREIGN KEY (p) REFERENCES PARENT (id));",
        "CREATE TABLE kid2 (p int, FOREIGN KEY (p) REFERENCES parent (id));",
        "DROP TABLE kid2; ALTER TABLE parent RENAME TO Par; ALTER TABLE PAR RENAME TO Parent;",
    ]
    _revert_both_ways(dialect, ups, "ALTER TABLE parent RENAME TO Elder; DROP TABLE ELDER;")
