"""S016's exact texts (transaction control is judged whatever the change: no table is involved)."""

from __future__ import annotations

from rules.s016_nested_transaction import NestedTransaction

from linter.engine import lint_texts
from linter.migrations import TxMode


def test_nested_begin_in_a_wrapped_migration():
    findings = lint_texts(["BEGIN;\nSELECT 1;\nCOMMIT;"], rules=[NestedTransaction], tx=TxMode.WRAPPED, in_change=[True])
    assert [(f.rule, f.line, f.column) for f in findings] == [("S016", 1, 1)]
    assert findings[0].message == (
        "BEGIN inside a transaction the migration tool already opened: its COMMIT ends the tool's transaction early"
    )
    assert findings[0].lock == (
        "no lock of its own: the inner COMMIT releases the tool's locks early, and later statements commit one by one"
    )
    assert findings[0].fix == (
        "remove BEGIN and its COMMIT: the tool already runs the migration in one transaction "
        "(use its no-transaction option if a statement must run outside one)"
    )


def test_unclosed_begin_when_the_tool_does_not_wrap():
    findings = lint_texts(["SELECT 1;\nbegin;\nSELECT 2;"], rules=[NestedTransaction], tx=TxMode.NONE)
    assert [(f.line, f.message, f.fix) for f in findings] == [
        (2, "BEGIN is never closed: the migration's changes stay uncommitted until the session ends",
         "end the transaction with COMMIT; at the end of the migration")
    ]
