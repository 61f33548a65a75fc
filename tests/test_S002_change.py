"""S002 with the change known: a table new in the change is exempt; exact lock and fix texts."""

from __future__ import annotations

from linter.engine import lint_texts
from rules.s002_set_not_null import SetNotNullScan

TABLE = "CREATE TABLE orders (id bigint PRIMARY KEY, note text);"
SET = "ALTER TABLE orders ALTER COLUMN note SET NOT NULL;"


def test_table_new_in_the_change_is_exempt():
    assert lint_texts([TABLE, SET], rules=[SetNotNullScan], in_change=[True, True]) == []


def test_table_from_before_the_change_fires_with_lock_and_fix():
    findings = lint_texts([TABLE, SET], rules=[SetNotNullScan], in_change=[False, True])
    assert [(f.rule, f.path, f.line, f.column) for f in findings] == [("S002", "migrations/0002.sql", 1, 20)]
    assert (
        findings[0].message
        == 'SET NOT NULL on "orders.note" scans existing table "orders" while blocking reads and writes'
    )
    assert findings[0].lock == (
        'ACCESS EXCLUSIVE on "orders": blocks reads and writes, for a full scan of the table and until commit'
    )
    assert findings[0].fix == (
        "prove it with a validated CHECK first, each step in its own transaction:\n"
        "ALTER TABLE orders ADD CONSTRAINT orders_note_not_null CHECK (note IS NOT NULL) NOT VALID;\n"
        "ALTER TABLE orders VALIDATE CONSTRAINT orders_note_not_null;  -- in a later transaction: reads and writes continue\n"
        "ALTER TABLE orders ALTER COLUMN note SET NOT NULL;  -- PostgreSQL 12+ trusts the validated CHECK: no scan\n"
        "ALTER TABLE orders DROP CONSTRAINT orders_note_not_null;"
    )
