"""S013 with the change known (`--base`), and its exact lock and fix texts."""

from __future__ import annotations

from rules.s013_blocking_maintenance import BlockingMaintenance

from linter.engine import lint_texts

TABLE = "CREATE TABLE orders (id bigint PRIMARY KEY);"


def test_table_new_in_the_change_is_exempt():
    assert lint_texts([TABLE, "VACUUM FULL orders;"], rules=[BlockingMaintenance], in_change=[True, True]) == []


def test_existing_table_fires_with_lock_and_fix():
    findings = lint_texts([TABLE, "REINDEX TABLE orders;"], rules=[BlockingMaintenance], in_change=[False, True])
    assert [(f.rule, f.line, f.column) for f in findings] == [("S013", 1, 1)]
    assert findings[0].message == 'REINDEX rebuilds the index while writes to "orders" wait'
    assert findings[0].lock == 'SHARE on "orders": blocks inserts, updates and deletes; reads continue, until it finishes'
    assert findings[0].fix == "REINDEX … CONCURRENTLY (PostgreSQL ≥ 12), in a migration its tool runs outside a transaction"


def test_set_tablespace_names_the_table():
    findings = lint_texts([TABLE, "ALTER TABLE orders SET TABLESPACE fast;"], rules=[BlockingMaintenance])
    assert findings[0].message == "ALTER TABLE orders SET TABLESPACE rewrites the whole table while its reads and writes wait"
    assert findings[0].lock == 'ACCESS EXCLUSIVE on "orders": blocks reads and writes, while the table is copied and until commit'
