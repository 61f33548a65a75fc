"""S015 with the change known (`--base`), and its exact lock and fix texts."""

from __future__ import annotations

from rules.s015_backfill_under_lock import BackfillUnderLock

from linter.engine import lint_texts
from linter.migrations import TxMode

TABLE = "CREATE TABLE orders (id bigint PRIMARY KEY);"
BACKFILL = "ALTER TABLE orders ADD COLUMN total numeric;\nUPDATE orders SET total = 0;"


def test_table_new_in_the_change_is_exempt():
    assert lint_texts([TABLE, BACKFILL], rules=[BackfillUnderLock], tx=TxMode.WRAPPED, in_change=[True, True]) == []


def test_existing_table_fires_with_lock_and_fix():
    findings = lint_texts([TABLE, BACKFILL], rules=[BackfillUnderLock], tx=TxMode.WRAPPED, in_change=[False, True])
    assert [(f.rule, f.line, f.column) for f in findings] == [("S015", 2, 1)]
    assert findings[0].message == (
        'UPDATE on existing table "orders" runs in the same transaction as the DDL at line 1: '
        "its ACCESS EXCLUSIVE lock is held for the whole backfill"
    )
    assert findings[0].lock == 'ACCESS EXCLUSIVE on "orders": blocks reads and writes, for the whole transaction, backfill included'
    assert findings[0].fix == (
        "ship the DDL and the backfill as separate migrations, and backfill in batches, each in its own transaction, "
        "repeated until no row is left, e.g.:\n"
        "UPDATE orders SET … WHERE ctid IN (SELECT ctid FROM orders WHERE <not yet done> LIMIT 5000);"
    )


def test_dropping_a_foreign_key_on_another_table_locks_the_backfilled_one():
    before = "CREATE TABLE customers (id bigint PRIMARY KEY, note text);\n" + (
        "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers (id), c int);"
    )
    migration = (
        "UPDATE customers SET note = '';\n"
        "ALTER TABLE orders DROP CONSTRAINT orders_customer_id_fkey;\n"
        "ALTER TABLE orders ALTER COLUMN c TYPE bigint;\n"
        "UPDATE customers SET note = 'x';\n"
    )
    findings = lint_texts([before, migration], rules=[BackfillUnderLock], tx=TxMode.WRAPPED)
    # By the backfill at line 4 the replay has dropped the key: its lock was noted before.
    # Line 3 changes a column of no key, and locks only "orders".
    assert [(f.line, f.message) for f in findings] == [
        (
            1,
            'UPDATE on existing table "customers" runs in the same transaction as the DDL at line 2: the backfill\'s '
            'row locks are held until that DDL gets its ACCESS EXCLUSIVE lock on "customers" (for the foreign key it '
            "drops or rebuilds) and commits",
        ),
        (
            4,
            'UPDATE on existing table "customers" runs in the same transaction as the DDL at line 2: its ACCESS '
            'EXCLUSIVE lock on "customers" (for the foreign key it drops or rebuilds) is held for the whole backfill',
        ),
    ]
