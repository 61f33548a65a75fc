"""S004 with the change known: a table new in the change is exempt; exact lock and fix texts."""

from __future__ import annotations

from linter.engine import lint_texts
from rules.s004_rewrite_on_add_column import RewriteOnAddColumn

TABLE = "CREATE TABLE orders (id bigint PRIMARY KEY);"
ADD = "ALTER TABLE orders ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();"


def test_table_new_in_the_change_is_exempt():
    assert lint_texts([TABLE, ADD], rules=[RewriteOnAddColumn], in_change=[True, True]) == []


def test_volatile_default_fires_with_lock_and_fix():
    findings = lint_texts([TABLE, ADD], rules=[RewriteOnAddColumn], in_change=[False, True])
    assert [(f.rule, f.path, f.line, f.column) for f in findings] == [("S004", "migrations/0002.sql", 1, 20)]
    assert findings[0].message == (
        'ADD COLUMN "token" rewrites existing table "orders": the volatile default gen_random_uuid() is evaluated '
        "for every existing row"
    )
    assert findings[0].lock == (
        'ACCESS EXCLUSIVE on "orders": blocks reads and writes, for the whole table rewrite and until commit'
    )
    assert findings[0].fix == (
        "add the column without the default, give new rows the default, then backfill existing rows in batches:\n"
        "ALTER TABLE orders ADD COLUMN token uuid;\n"
        "ALTER TABLE orders ALTER COLUMN token SET DEFAULT gen_random_uuid();\n"
        "UPDATE orders SET token = gen_random_uuid() WHERE token IS NULL AND …;  -- in batches\n"
        "-- then make it NOT NULL with a validated CHECK (see S002)"
    )


def test_serial_fix_does_not_name_a_sequence_that_is_not_there():
    findings = lint_texts([TABLE, "ALTER TABLE orders ADD COLUMN seq bigserial;"], rules=[RewriteOnAddColumn])
    assert findings[0].message == (
        'ADD COLUMN "seq" rewrites existing table "orders": a serial column numbers every existing row'
    )
    assert findings[0].fix == (
        "add a plain nullable column, fill it in batches, and keep it filled for new rows (trigger or application) "
        "instead of a serial/identity value:\n"
        "ALTER TABLE orders ADD COLUMN seq bigint;\n"
        "UPDATE orders SET seq = … WHERE …;  -- in batches"
    )
