"""S011 with the change known: a table new in the change is exempt; exact lock and fix texts."""

from __future__ import annotations

from linter.engine import lint_texts
from rules.s011_alter_column_type import AlterColumnTypeRewrite, using_keeps_value

TABLE = "CREATE TABLE orders (id bigint PRIMARY KEY, quantity integer);"
ALTER = "ALTER TABLE orders ALTER COLUMN quantity TYPE bigint;"


def test_table_new_in_the_change_is_exempt():
    assert lint_texts([TABLE, ALTER], rules=[AlterColumnTypeRewrite], in_change=[True, True]) == []


def test_rewrite_fires_with_lock_and_fix():
    findings = lint_texts([TABLE, ALTER], rules=[AlterColumnTypeRewrite], in_change=[False, True])
    assert [(f.rule, f.path, f.line, f.column) for f in findings] == [("S011", "migrations/0002.sql", 1, 20)]
    assert findings[0].message == 'ALTER COLUMN "quantity" TYPE rewrites existing table "orders" (integer → bigint)'
    assert findings[0].lock == (
        'ACCESS EXCLUSIVE on "orders": blocks reads and writes, for the whole table rewrite and until commit'
    )
    assert findings[0].fix == (
        "expand and contract over several migrations instead of rewriting in place:\n"
        "ALTER TABLE orders ADD COLUMN quantity_new bigint;\n"
        "-- keep quantity_new in sync for new writes (trigger or application), then backfill in batches:\n"
        "UPDATE orders SET quantity_new = quantity WHERE quantity_new IS NULL AND …;\n"
        "-- switch readers to quantity_new; then, in one short transaction:\n"
        "ALTER TABLE orders RENAME COLUMN quantity TO quantity_old;\n"
        "ALTER TABLE orders RENAME COLUMN quantity_new TO quantity;"
    )


def test_using_that_only_casts_the_column_keeps_its_value():
    assert [
        using_keeps_value(None, "note"),
        using_keeps_value("(note)::text", "note"),
        using_keeps_value('"Note"::text', "Note"),
        using_keeps_value("lower(note)", "note"),
        using_keeps_value("(other)::text", "note"),
    ] == [True, True, True, False, False]
