"""S010 with the change known (`--base`), and its exact lock and fix texts."""

from __future__ import annotations

from rules.s010_add_unique_blocking import AddUniqueBlocking

from linter.engine import lint_texts

TABLE = "CREATE TABLE users (id bigint, email text);"
UNIQUE = "ALTER TABLE users ADD UNIQUE (email);"


def test_table_new_in_the_change_is_exempt():
    assert lint_texts([TABLE, UNIQUE], rules=[AddUniqueBlocking], in_change=[True, True]) == []


def test_existing_table_fires_with_lock_and_fix():
    findings = lint_texts([TABLE, UNIQUE], rules=[AddUniqueBlocking], in_change=[False, True])
    assert [(f.rule, f.line, f.column) for f in findings] == [("S010", 1, 19)]
    assert findings[0].lock == (
        'ACCESS EXCLUSIVE on "users": blocks reads and writes, until the index is built and the transaction commits'
    )
    assert findings[0].fix == (
        "build the index concurrently, then attach it:\n"
        "-- in a migration its tool runs outside a transaction:\n"
        "CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);\n"
        "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;"
    )


def test_primary_key_fix_says_the_columns_must_be_not_null():
    findings = lint_texts([TABLE, "ALTER TABLE users ADD PRIMARY KEY (id);"], rules=[AddUniqueBlocking])
    assert findings[0].message == (
        'PRIMARY KEY constraint on existing table "users" builds its index while reads and writes of the table wait'
    )
    assert findings[0].fix.splitlines()[2:] == [
        "CREATE UNIQUE INDEX CONCURRENTLY users_pkey ON users (id);",
        "-- then, once id is NOT NULL:",
        "ALTER TABLE users ADD CONSTRAINT users_pkey PRIMARY KEY USING INDEX users_pkey;",
    ]
