"""S007's exact texts, and that a new table changes nothing (the statement fails anyway)."""

from __future__ import annotations

from rules.s007_concurrently_in_transaction import ConcurrentlyInTransaction

from linter.engine import lint_texts
from linter.migrations import TxMode


def test_fires_on_a_table_new_in_the_change_with_lock_and_fix():
    findings = lint_texts(
        ["CREATE TABLE orders (id bigint PRIMARY KEY);", "SELECT 1;\nCREATE INDEX CONCURRENTLY orders_id_idx ON orders (id);"],
        rules=[ConcurrentlyInTransaction],
        tx=TxMode.IMPLICIT,
        in_change=[True, True],
    )
    assert [(f.rule, f.path, f.line, f.column) for f in findings] == [("S007", "migrations/0002.sql", 2, 1)]
    assert findings[0].message == (
        'CREATE INDEX CONCURRENTLY on "orders" runs inside a transaction: PostgreSQL rejects it and the migration fails'
    )
    assert findings[0].lock == "none: PostgreSQL refuses CREATE INDEX CONCURRENTLY in a transaction block before taking any lock"
    assert findings[0].fix.endswith("\nCREATE INDEX CONCURRENTLY orders_id_idx ON orders (id);")
