"""D008 with the change known: a column new in the change is exempt; exact message and fix."""

from __future__ import annotations

from linter.engine import lint_texts
from rules.d008_narrowing_type_change import NarrowingTypeChange

TABLE = "CREATE TABLE orders (id bigint PRIMARY KEY, note varchar(50));"
ALTER = "ALTER TABLE orders ALTER COLUMN note TYPE varchar(20);"


def test_table_new_in_the_change_is_exempt():
    assert lint_texts([TABLE, ALTER], rules=[NarrowingTypeChange], in_change=[True, True]) == []


def test_column_added_in_the_change_is_exempt():
    added = "ALTER TABLE orders ADD COLUMN code varchar(50);"
    narrowed = "ALTER TABLE orders ALTER COLUMN code TYPE varchar(5);"
    assert lint_texts([TABLE, added, narrowed], rules=[NarrowingTypeChange], in_change=[False, True, True]) == []


def test_narrowing_fires_with_fix():
    findings = lint_texts([TABLE, ALTER], rules=[NarrowingTypeChange], in_change=[False, True])
    assert [(f.rule, f.path, f.line, f.column) for f in findings] == [("D008", "migrations/0002.sql", 1, 20)]
    assert findings[0].message == (
        'changing "orders.note" from character varying(50) to character varying(20) can lose data: '
        "the limit drops from 50 to 20 characters"
    )
    assert findings[0].lock is None
    assert findings[0].fix == (
        "count the rows that do not fit before shipping it; to keep every value, leave character varying(50) and "
        "enforce the new limit for new rows with a CHECK constraint added NOT VALID and validated later"
    )
