"""Which statements run inside a transaction, per the tool's mode and explicit BEGIN/COMMIT."""

from __future__ import annotations

import pytest

from linter.dialects.postgres import parse_part
from linter.engine import mark_transactions
from linter.migrations import Part, TxMode
from linter.source import SourceFile


def marks(text: str, tx: TxMode) -> list[bool]:
    statements = parse_part(Part(SourceFile("m.sql", text))).statements
    mark_transactions(statements, tx)
    return [statement.in_transaction for statement in statements]


@pytest.mark.parametrize(
    ("tx", "text", "expected"),
    [
        (TxMode.IMPLICIT, "CREATE INDEX CONCURRENTLY i ON t (a);", [False]),
        (TxMode.IMPLICIT, "SELECT 1; SELECT 2;", [True, True]),
        (TxMode.IMPLICIT, "BEGIN; SELECT 1; COMMIT; SELECT 2;", [True, True, True, True]),
        (TxMode.WRAPPED, "SELECT 1;", [True]),
        (TxMode.WRAPPED, "SELECT 1; COMMIT; SELECT 2;", [True, True, False]),
        (TxMode.NONE, "SELECT 1; BEGIN; SELECT 2; COMMIT; SELECT 3;", [False, True, True, True, False]),
        (TxMode.NONE, "BEGIN; SELECT 1; ROLLBACK; SELECT 2;", [True, True, True, False]),
    ],
)
def test_transaction_marks(tx, text, expected):
    assert marks(text, tx) == expected
