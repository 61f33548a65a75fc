"""S003 with the change known: a table new in the change is exempt; exact lock and fix texts."""

from __future__ import annotations

from linter.engine import lint_texts
from rules.s003_expand_and_contract_in_one import ExpandAndContractInOne

TABLE = "CREATE TABLE orders (id bigint PRIMARY KEY);"
BOTH = (
    "ALTER TABLE orders ADD COLUMN region text;\n"
    "UPDATE orders SET region = 'eu';\n"
    "ALTER TABLE orders ALTER COLUMN region SET NOT NULL;\n"
)


def test_table_new_in_the_change_is_exempt():
    assert lint_texts([TABLE, BOTH], rules=[ExpandAndContractInOne], in_change=[True, True]) == []


def test_fires_with_lock_and_fix():
    findings = lint_texts([TABLE, BOTH], rules=[ExpandAndContractInOne], in_change=[False, True])
    assert [(f.rule, f.path, f.line, f.column) for f in findings] == [("S003", "migrations/0002.sql", 3, 20)]
    assert findings[0].message == (
        'column "orders.region" is added and backfilled, then made NOT NULL in the same migration on existing table "orders": '
        "ship expand, backfill and contract separately"
    )
    assert findings[0].lock == (
        'ACCESS EXCLUSIVE on "orders": blocks reads and writes, until commit, over the backfill and the constraint check'
    )
    assert findings[0].fix == (
        "split it into three migrations, each released after the code has caught up:\n"
        "1. ALTER TABLE orders ADD COLUMN region …;  -- nullable, no volatile default\n"
        "2. UPDATE orders SET region = … WHERE region IS NULL AND …;  -- backfill in batches\n"
        "3. then the constraint, validated without a long lock:\n"
        "ALTER TABLE orders ADD CONSTRAINT orders_region_not_null CHECK (region IS NOT NULL) NOT VALID;\n"
        "ALTER TABLE orders VALIDATE CONSTRAINT orders_region_not_null;  -- in a later transaction: reads and writes continue\n"
        "ALTER TABLE orders ALTER COLUMN region SET NOT NULL;  -- PostgreSQL 12+ trusts the validated CHECK: no scan\n"
        "ALTER TABLE orders DROP CONSTRAINT orders_region_not_null;"
    )


def test_each_file_is_judged_on_its_own_statements():
    # The same texts twice in a row: the per-file memo must not leak the first file's backfill.
    second = "ALTER TABLE orders ALTER COLUMN region SET NOT NULL;"
    findings = lint_texts([TABLE, BOTH, second], rules=[ExpandAndContractInOne])
    assert [(f.path, f.line) for f in findings] == [("migrations/0002.sql", 3)]
