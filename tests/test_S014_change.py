"""S014's exact texts; an enum new in the change but made in an earlier file is not exempt
(its transaction has committed, so nothing changes: the value is still new in this one)."""

from __future__ import annotations

from rules.s014_enum_value_in_transaction import EnumValueInTransaction

from linter.context import Settings
from linter.engine import lint_texts
from linter.migrations import TxMode

ENUM = "CREATE TYPE status AS ENUM ('open');"
ADD = "ALTER TYPE status ADD VALUE 'done';\nSELECT 'done'::status;"


def test_use_in_the_same_transaction_with_lock_and_fix():
    findings = lint_texts([ENUM, ADD], rules=[EnumValueInTransaction], tx=TxMode.WRAPPED, in_change=[True, True])
    assert [(f.rule, f.path, f.line, f.column) for f in findings] == [("S014", "migrations/0002.sql", 1, 1)]
    assert findings[0].message == (
        "enum value 'done' of \"status\" is used at line 2 in the transaction that adds it: "
        '"unsafe use of new value", the migration fails'
    )
    assert findings[0].lock == (
        'EXCLUSIVE on type "status": blocks other ADD VALUE on it; tables using the type are not locked, until commit'
    )
    assert findings[0].fix == (
        "add the value in one migration and use it in a later one:\n"
        "ALTER TYPE status ADD VALUE IF NOT EXISTS 'done';\n-- in a later migration:\nSELECT 'done'::status;"
    )


def test_version_eleven_reports_the_transaction_itself():
    findings = lint_texts(
        [ENUM, ADD], rules=[EnumValueInTransaction], tx=TxMode.WRAPPED, settings=Settings(pg_version=11)
    )
    assert [f.message for f in findings] == [
        "ALTER TYPE status ADD VALUE cannot run inside a transaction block before PostgreSQL 12: the migration fails"
    ]
