"""S008 with the change known (`--base`), and its exact lock and fix texts."""

from __future__ import annotations

from rules.s008_add_foreign_key_validating import AddForeignKeyValidating

from linter.engine import lint_texts

TABLES = "CREATE TABLE customers (id bigint PRIMARY KEY); CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);"
FK = 'ALTER TABLE orders ADD CONSTRAINT "Orders_fk" FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE;'


def test_table_new_in_the_change_is_exempt():
    assert lint_texts([TABLES, FK], rules=[AddForeignKeyValidating], in_change=[True, True]) == []


def test_existing_table_fires_with_lock_and_fix():
    findings = lint_texts([TABLES, FK], rules=[AddForeignKeyValidating], in_change=[False, True])
    assert [(f.rule, f.line, f.column) for f in findings] == [("S008", 1, 20)]
    assert findings[0].message == (
        'foreign key on existing table "orders" is validated at once: writes to "orders" and "customers" wait '
        "while every row is checked"
    )
    assert findings[0].lock == (
        'SHARE ROW EXCLUSIVE on "orders" and "customers": blocks inserts, updates and deletes; reads continue, '
        'on both, while every row of "orders" is checked and until commit'
    )
    assert findings[0].fix == (
        "add the foreign key NOT VALID, then validate it in a later migration:\n"
        'ALTER TABLE orders ADD CONSTRAINT "Orders_fk" FOREIGN KEY (customer_id) REFERENCES customers (id) '
        "ON DELETE CASCADE NOT VALID;\n"
        "-- in a later migration (its own transaction): checks the rows without blocking writes\n"
        'ALTER TABLE orders VALIDATE CONSTRAINT "Orders_fk";'
    )


def test_add_column_references_keeps_the_column_and_names_the_constraint():
    findings = lint_texts(
        [TABLES, "ALTER TABLE orders ADD COLUMN buyer_id bigint NOT NULL DEFAULT 0 REFERENCES customers (id);"],
        rules=[AddForeignKeyValidating],
    )
    assert findings[0].lock == (
        'ACCESS EXCLUSIVE on "orders" (blocks reads and writes) and SHARE ROW EXCLUSIVE on "customers" '
        '(blocks its writes), while every row of "orders" is checked and until commit'
    )
    assert findings[0].fix.splitlines()[1:3] == [
        "ALTER TABLE orders ADD COLUMN buyer_id bigint NOT NULL DEFAULT 0;",
        "ALTER TABLE orders ADD CONSTRAINT orders_buyer_id_fkey FOREIGN KEY (buyer_id) REFERENCES customers (id) NOT VALID;",
    ]
