"""S006 with the change known (`--base`): an index or table new in the change is exempt; and
the exact lock and fix texts."""

from __future__ import annotations

from rules.s006_drop_index_blocking import DropIndexBlocking

from linter.engine import lint_texts

TABLE = "CREATE TABLE orders (id bigint PRIMARY KEY, note text);"
INDEX = "CREATE INDEX orders_note_idx ON orders (note);"
DROP = "DROP INDEX orders_note_idx;"


def test_index_created_by_a_migration_new_in_the_change_is_exempt():
    assert lint_texts([TABLE, INDEX, DROP], rules=[DropIndexBlocking], in_change=[False, True, True]) == []


def test_index_of_a_table_new_in_the_change_is_exempt():
    assert lint_texts([TABLE + INDEX, DROP], rules=[DropIndexBlocking], in_change=[True, True]) == []


def test_index_from_before_the_change_fires_with_lock_and_fix():
    findings = lint_texts([TABLE + INDEX, DROP], rules=[DropIndexBlocking], in_change=[False, True])
    assert [(f.rule, f.path, f.line, f.column) for f in findings] == [("S006", "migrations/0002.sql", 1, 1)]
    assert findings[0].message == 'DROP INDEX "orders_note_idx" on "orders" without CONCURRENTLY blocks reads and writes of the table'
    assert findings[0].lock == (
        'ACCESS EXCLUSIVE on "orders": blocks reads and writes, while it waits for running queries and until commit'
    )
    assert findings[0].fix == (
        "drop it concurrently, one index per statement, outside a transaction (alone in its migration file, "
        "or with the tool's no-transaction option):\nDROP INDEX CONCURRENTLY orders_note_idx;"
    )


def test_fix_quotes_names_that_need_it():
    findings = lint_texts(
        ['CREATE TABLE "Order" (id int, note text); CREATE INDEX "Order_note_idx" ON "Order" (note);',
         'DROP INDEX IF EXISTS "Order_note_idx";'],
        rules=[DropIndexBlocking],
    )
    assert findings[0].fix.endswith('\nDROP INDEX CONCURRENTLY IF EXISTS "Order_note_idx";')
