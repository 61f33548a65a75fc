"""S009 with the change known (`--base`), and its exact lock and fix texts."""

from __future__ import annotations

from rules.s009_add_check_validating import AddCheckValidating

from linter.engine import lint_texts

TABLE = "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);"
CHECK = "ALTER TABLE orders ADD CHECK (total >= 0 AND id > 0);"


def test_table_new_in_the_change_is_exempt():
    assert lint_texts([TABLE, CHECK], rules=[AddCheckValidating], in_change=[True, True]) == []


def test_existing_table_fires_with_lock_and_fix():
    findings = lint_texts([TABLE, CHECK], rules=[AddCheckValidating], in_change=[False, True])
    assert [(f.rule, f.line, f.column) for f in findings] == [("S009", 1, 20)]
    assert findings[0].lock == 'ACCESS EXCLUSIVE on "orders": blocks reads and writes, while every row is checked and until commit'
    assert findings[0].fix == (
        "add the CHECK NOT VALID, then validate it in a later migration:\n"
        "ALTER TABLE orders ADD CONSTRAINT orders_check CHECK ((total >= 0) AND (id > 0)) NOT VALID;\n"
        "-- in a later migration (its own transaction): checks the rows without blocking writes\n"
        "ALTER TABLE orders VALIDATE CONSTRAINT orders_check;"
    )
