"""S001 with the change known: a table new in the change is exempt; exact lock and fix texts."""

from __future__ import annotations

from linter.context import Settings
from linter.engine import lint_texts
from rules.s001_add_required_column import AddRequiredColumn

TABLE = "CREATE TABLE orders (id bigint PRIMARY KEY);"
ADD = "ALTER TABLE orders ADD COLUMN customer_id bigint NOT NULL;"


def test_table_new_in_the_change_is_exempt():
    assert lint_texts([TABLE, ADD], rules=[AddRequiredColumn], in_change=[True, True]) == []


def test_table_from_before_the_change_fires_with_lock_and_fix():
    findings = lint_texts([TABLE, ADD], rules=[AddRequiredColumn], in_change=[False, True])
    assert [(f.rule, f.path, f.line, f.column) for f in findings] == [("S001", "migrations/0002.sql", 1, 20)]
    assert findings[0].message == (
        'ADD COLUMN "customer_id" NOT NULL without a default fails on existing table "orders" once it has rows'
    )
    assert findings[0].lock == 'ACCESS EXCLUSIVE on "orders": blocks reads and writes, until commit'
    assert findings[0].fix == (
        "add it nullable, backfill, then constrain, each step in its own migration:\n"
        "ALTER TABLE orders ADD COLUMN customer_id bigint;\n"
        "UPDATE orders SET customer_id = … WHERE …;  -- in batches\n"
        "ALTER TABLE orders ADD CONSTRAINT orders_customer_id_not_null CHECK (customer_id IS NOT NULL) NOT VALID;\n"
        "ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_id_not_null;  -- in a later transaction: reads and writes continue\n"
        "ALTER TABLE orders ALTER COLUMN customer_id SET NOT NULL;  -- PostgreSQL 12+ trusts the validated CHECK: no scan\n"
        "ALTER TABLE orders DROP CONSTRAINT orders_customer_id_not_null;"
    )


def test_fix_quotes_names_and_keeps_the_check_before_12():
    findings = lint_texts(
        ['CREATE TABLE "Order" (id int);', 'ALTER TABLE "Order" ADD COLUMN "customerId" int NOT NULL;'],
        rules=[AddRequiredColumn],
        settings=Settings(pg_version=11),
    )
    assert findings[0].fix.splitlines()[1:] == [
        'ALTER TABLE "Order" ADD COLUMN "customerId" integer;',
        'UPDATE "Order" SET "customerId" = … WHERE …;  -- in batches',
        'ALTER TABLE "Order" ADD CONSTRAINT "Order_customerId_not_null" CHECK ("customerId" IS NOT NULL) NOT VALID;',
        'ALTER TABLE "Order" VALIDATE CONSTRAINT "Order_customerId_not_null";  -- in a later transaction: reads and writes continue',
        "-- before PostgreSQL 12, SET NOT NULL always scans: keep the validated CHECK instead of SET NOT NULL",
    ]
