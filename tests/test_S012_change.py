"""S012 with the change known (`--base`), and its exact lock and fix texts."""

from __future__ import annotations

from rules.s012_lock_timeout_missing import LockTimeoutMissing

from linter.engine import lint_texts
from linter.migrations import TxMode

TABLE = "CREATE TABLE orders (id bigint PRIMARY KEY);"
ALTER = "ALTER TABLE orders ADD COLUMN note text;"


def test_table_created_by_a_migration_new_in_the_change_is_exempt():
    assert lint_texts([TABLE, ALTER], rules=[LockTimeoutMissing], in_change=[True, True]) == []


def test_existing_table_fires_with_lock_and_fix():
    findings = lint_texts([TABLE, ALTER], rules=[LockTimeoutMissing], tx=TxMode.NONE, in_change=[False, True])
    assert [(f.rule, f.line, f.column) for f in findings] == [("S012", 1, 1)]
    assert findings[0].lock == (
        'ACCESS EXCLUSIVE on "orders": blocks reads and writes, from the moment it starts waiting until commit'
    )
    assert findings[0].fix == (
        "set a lock timeout earlier in the migration, and retry the migration if it times out:\n"
        "SET lock_timeout = '5s';"
    )


def test_in_a_transaction_the_fix_uses_set_local_and_the_configured_timeout():
    findings = lint_texts(
        [TABLE, "CREATE INDEX orders_id_idx ON orders (id);"],
        rules=[LockTimeoutMissing],
        tx=TxMode.WRAPPED,
        options={"S012": {"timeout": "2s"}},
    )
    assert findings[0].lock == 'SHARE on "orders": blocks inserts, updates and deletes; reads continue, from the moment it starts waiting until commit'
    assert findings[0].fix.endswith("\nSET LOCAL lock_timeout = '2s';")


def test_the_message_says_what_queues_behind_the_lock():
    findings = lint_texts(
        [
            TABLE,
            "CREATE INDEX orders_id_idx ON orders (id);",
            "CREATE TRIGGER orders_audit AFTER INSERT ON orders FOR EACH ROW EXECUTE FUNCTION audit();",
            "LOCK TABLE orders IN EXCLUSIVE MODE;",
            ALTER,
        ],
        rules=[LockTimeoutMissing],
        tx=TxMode.WRAPPED,
    )
    assert [(f.path, f.message) for f in findings] == [
        (
            "migrations/0002.sql",
            'SHARE lock on existing table "orders" taken without a lock_timeout (and so is every later lock in this '
            "file): while it waits, every later write to the table waits behind it",
        ),
        (
            "migrations/0003.sql",
            'SHARE ROW EXCLUSIVE lock on existing table "orders" taken without a lock_timeout (and so is every '
            "later lock in this file): while it waits, every later write to the table waits behind it",
        ),
        (
            "migrations/0004.sql",
            'EXCLUSIVE lock on existing table "orders" taken without a lock_timeout (and so is every later lock '
            "in this file): while it waits, every later write to the table waits behind it",
        ),
        (
            "migrations/0005.sql",
            'ACCESS EXCLUSIVE lock on existing table "orders" taken without a lock_timeout (and so is every later '
            "lock in this file): while it waits, every later query on the table waits behind it",
        ),
    ]
