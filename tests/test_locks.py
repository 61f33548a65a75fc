"""The lock table of linter/locks.py: every action type has an answer, and the answers are
PostgreSQL's documented ones, read from real statements through the PostgreSQL front-end."""

from __future__ import annotations

import inspect

import pytest

from linter import actions as a
from linter import locks
from linter.dialects import parse_part
from linter.locks import Lock, TableLock, lock_for, referenced_locks, table_locks
from linter.migrations import Part
from linter.schema import Name
from linter.source import SourceFile


def _actions(sql: str) -> list[a.Action]:
    parsed = parse_part(Part(SourceFile(path="m.sql", text=sql)), "postgresql")
    return [action for statement in parsed.statements for action in statement.actions]


def _lock_modes(sql: str) -> list[str | None]:
    return [None if (lock := lock_for(action)) is None else lock.mode for action in _actions(sql)]


def test_every_action_type_has_an_entry():
    special = {a.AddConstraint, a.CreateIndex, a.DropIndex, a.TableOption, a.Maintenance, a.Opaque, a.LockTable}
    kinds = {
        cls for cls in vars(a).values() if inspect.isclass(cls) and issubclass(cls, a.Action) and cls is not a.Action
    }
    assert sorted(k.__name__ for k in kinds - special - set(locks._FIXED)) == []


@pytest.mark.parametrize(
    ("sql", "modes"),
    [
        ("ALTER TABLE t ADD COLUMN c int", ["ACCESS EXCLUSIVE"]),
        ("ALTER TABLE t DROP COLUMN c", ["ACCESS EXCLUSIVE"]),
        ("ALTER TABLE t ALTER COLUMN c TYPE bigint", ["ACCESS EXCLUSIVE"]),
        ("ALTER TABLE t ALTER COLUMN c SET NOT NULL, ALTER COLUMN c DROP NOT NULL", ["ACCESS EXCLUSIVE"] * 2),
        ("ALTER TABLE t ALTER COLUMN c SET DEFAULT 1", ["ACCESS EXCLUSIVE"]),
        ("ALTER TABLE t ALTER COLUMN c SET STATISTICS 500", ["SHARE UPDATE EXCLUSIVE"]),
        ("ALTER TABLE t ALTER COLUMN c SET (n_distinct = 100)", ["SHARE UPDATE EXCLUSIVE"]),
        ("ALTER TABLE t SET (fillfactor = 70)", ["SHARE UPDATE EXCLUSIVE"]),
        ("ALTER TABLE t CLUSTER ON t_pkey", ["SHARE UPDATE EXCLUSIVE"]),
        ("ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (u) REFERENCES u (id)", ["SHARE ROW EXCLUSIVE"]),
        ("ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (u) REFERENCES u (id) NOT VALID", ["SHARE ROW EXCLUSIVE"]),
        ("ALTER TABLE t ADD CONSTRAINT k CHECK (c > 0) NOT VALID", ["ACCESS EXCLUSIVE"]),
        ("ALTER TABLE t ADD CONSTRAINT k UNIQUE USING INDEX k_idx", ["ACCESS EXCLUSIVE"]),
        ("ALTER TABLE t ADD PRIMARY KEY (id)", ["ACCESS EXCLUSIVE"]),
        ("ALTER TABLE t VALIDATE CONSTRAINT k", ["SHARE UPDATE EXCLUSIVE"]),
        ("ALTER TABLE t DROP CONSTRAINT k", ["ACCESS EXCLUSIVE"]),
        ("ALTER TABLE t RENAME TO u", ["ACCESS EXCLUSIVE"]),
        ("ALTER TABLE t RENAME COLUMN c TO d", ["ACCESS EXCLUSIVE"]),
        ("ALTER TABLE t SET TABLESPACE fast", ["ACCESS EXCLUSIVE"]),
        ("ALTER TABLE t SET LOGGED", ["ACCESS EXCLUSIVE"]),
        ("ALTER TABLE t DISABLE TRIGGER ALL", ["SHARE ROW EXCLUSIVE"]),
        ("ALTER TABLE t ATTACH PARTITION t_2024 FOR VALUES IN (2024)", ["SHARE UPDATE EXCLUSIVE"]),
        ("CREATE INDEX i ON t (c)", ["SHARE"]),
        ("CREATE INDEX CONCURRENTLY i ON t (c)", ["SHARE UPDATE EXCLUSIVE"]),
        ("DROP INDEX i", ["ACCESS EXCLUSIVE"]),
        ("DROP INDEX CONCURRENTLY i", ["SHARE UPDATE EXCLUSIVE"]),
        ("ALTER INDEX i RENAME TO j", ["SHARE UPDATE EXCLUSIVE"]),
        ("TRUNCATE t", ["ACCESS EXCLUSIVE"]),
        ("DROP TABLE t", ["ACCESS EXCLUSIVE"]),
        ("VACUUM FULL t", ["ACCESS EXCLUSIVE"]),
        ("VACUUM t", ["SHARE UPDATE EXCLUSIVE"]),
        ("ANALYZE t", ["SHARE UPDATE EXCLUSIVE"]),
        ("CLUSTER t USING t_pkey", ["ACCESS EXCLUSIVE"]),
        ("REINDEX TABLE t", ["ACCESS EXCLUSIVE"]),
        ("REINDEX TABLE CONCURRENTLY t", ["SHARE UPDATE EXCLUSIVE"]),
        ("UPDATE t SET c = 1 WHERE id = 2", ["ROW EXCLUSIVE"]),
        ("DELETE FROM t", ["ROW EXCLUSIVE"]),
        ("INSERT INTO t (c) VALUES (1)", ["ROW EXCLUSIVE"]),
        ("CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()", ["SHARE ROW EXCLUSIVE"]),
        ("CREATE POLICY p ON t USING (true)", ["ACCESS EXCLUSIVE"]),
        ("CREATE RULE r AS ON INSERT TO t DO ALSO NOTHING", ["ACCESS EXCLUSIVE"]),
        ("CREATE STATISTICS s ON c, d FROM t", ["SHARE UPDATE EXCLUSIVE"]),
        ("GRANT SELECT ON t TO reader", [None]),
        ("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'", [None]),
        ("CREATE TABLE t (id int)", [None]),
        ("ALTER TYPE mood ADD VALUE 'ok'", [None]),
        ("SET lock_timeout = '5s'", [None]),
        ("BEGIN", [None]),
    ],
)
def test_documented_lock_of_each_statement(sql, modes):
    assert _lock_modes(sql) == modes


def test_foreign_key_locks_both_tables():
    (action,) = _actions("ALTER TABLE orders ADD CONSTRAINT f FOREIGN KEY (customer_id) REFERENCES customers (id)")
    assert table_locks(action) == (
        TableLock(Name("orders"), Lock.SHARE_ROW_EXCLUSIVE),
        TableLock(Name("customers"), Lock.SHARE_ROW_EXCLUSIVE),
    )


def test_inline_references_lock_the_referenced_table_too():
    (action,) = _actions("ALTER TABLE orders ADD COLUMN customer_id bigint REFERENCES billing.customers (id)")
    assert table_locks(action) == (
        TableLock(Name("orders"), Lock.ACCESS_EXCLUSIVE),
        TableLock(Name("customers", "billing"), Lock.SHARE_ROW_EXCLUSIVE),
    )


def test_new_table_with_a_foreign_key_locks_only_the_referenced_table():
    (action,) = _actions("CREATE TABLE orders (id int, customer_id int REFERENCES customers (id))")
    assert table_locks(action) == (TableLock(Name("customers"), Lock.SHARE_ROW_EXCLUSIVE),)
    assert referenced_locks(action) == table_locks(action)


def test_truncate_locks_every_table_it_names():
    (action,) = _actions("TRUNCATE a, b")
    assert table_locks(action) == (
        TableLock(Name("a"), Lock.ACCESS_EXCLUSIVE),
        TableLock(Name("b"), Lock.ACCESS_EXCLUSIVE),
    )


def test_one_line_text():
    assert Lock.SHARE_ROW_EXCLUSIVE.on("orders") == (
        'SHARE ROW EXCLUSIVE on "orders": blocks inserts, updates and deletes; reads continue, until commit'
    )


def test_foreign_key_locks_name_each_other_table_once_and_never_the_own_table():
    from linter.locks import foreign_key_locks
    from linter.replay import Replay
    from linter.schema import Origin, Schema

    schema = Schema()
    replay = Replay(schema)
    setup = (
        "CREATE TABLE u (id int PRIMARY KEY);"
        "CREATE TABLE t (id int PRIMARY KEY, parent int REFERENCES t (id), a int REFERENCES u, b int REFERENCES u);"
    )
    for action in _actions(setup):
        replay.apply(action, Origin(None, action.span))
    (drop,) = _actions("DROP TABLE t")
    assert foreign_key_locks(drop, schema) == (TableLock(Name("u", "public"), Lock.ACCESS_EXCLUSIVE),)
    (self_key,) = _actions("ALTER TABLE t DROP CONSTRAINT t_parent_fkey")
    assert foreign_key_locks(self_key, schema) == ()
