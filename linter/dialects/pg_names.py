"""The names PostgreSQL generates for unnamed constraints, indexes and sequences.

A port of `makeObjectName`, `ChooseRelationName` / `ChooseConstraintName` and
`ChooseIndexColumnNames` (PostgreSQL 15, src/backend/commands/indexcmds.c and
catalog/pg_constraint.c): `{table}_{columns}_{label}`, cut to fit 63 bytes by shortening
the longer of the two name parts first (never splitting a UTF-8 character), and made unique
by appending 1, 2, … to the label. Verified on a PostgreSQL 15 server (see the tests).

Which parts go in, per object (what the callers pass):
- primary key: no columns, label `pkey`;
- unique constraint / index: all key columns then the INCLUDE columns, label `key` / `idx`;
  an expression element contributes what `FigureIndexColname` says (a function's name, a
  column's name, `expr` for operators), see `linter.dialects.pg_expr.index_column_name`;
- exclusion constraint: its columns, label `excl`;
- foreign key: all its columns, label `fkey`;
- check: the referenced column when exactly one distinct column is referenced, else none;
  label `check`;
- serial / identity sequence: the column, label `seq`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

NAMEDATALEN = 64  # PostgreSQL identifiers hold at most NAMEDATALEN - 1 = 63 bytes

Taken = Callable[[str], bool]

_INDEX_LABELS = frozenset({"idx", "key", "excl", "pkey"})


def _clip(data: bytes, limit: int) -> bytes:
    """The longest prefix of at most `limit` bytes that ends on a character boundary
    (`pg_mbcliplen`)."""
    if len(data) <= limit:
        return data
    cut = limit
    # Continuation bytes look like 0b10xxxxxx; back up to the start of that character.
    while cut > 0 and (data[cut] & 0xC0) == 0x80:
        cut -= 1
    return data[:cut]


def make_object_name(name1: str, name2: str | None, label: str | None) -> str:
    """`makeObjectName`: join the parts with `_`, truncating name1/name2 to fit 63 bytes."""
    first = name1.encode("utf-8")
    second = name2.encode("utf-8") if name2 is not None else None
    overhead = 0
    first_len = len(first)
    second_len = 0
    if second is not None:
        second_len = len(second)
        overhead += 1
    if label:
        overhead += len(label.encode("utf-8")) + 1
    available = NAMEDATALEN - 1 - overhead
    # Truncate the longer part first, one byte at a time, exactly like the C loop.
    excess = first_len + second_len - available
    if excess > 0:
        gap = abs(first_len - second_len)
        step = min(gap, excess)
        if first_len > second_len:
            first_len -= step
        else:
            second_len -= step
        excess -= step
        # Now equal: the loop alternates, name2 first (it shrinks when the lengths tie).
        second_len -= (excess + 1) // 2
        first_len -= excess // 2
    result = _clip(first, first_len)
    if second is not None:
        result += b"_" + _clip(second, second_len)
    if label:
        result += b"_" + label.encode("utf-8")
    return result.decode("utf-8")


def index_column_names(names: Sequence[str]) -> list[str]:
    """`ChooseIndexColumnNames`: repeated names get 1, 2, … appended (`a`, `a1`)."""
    result: list[str] = []
    for original in names:
        current = original
        number = 0
        while current in result:
            number += 1
            suffix = str(number).encode("utf-8")
            head = _clip(original.encode("utf-8"), NAMEDATALEN - 1 - len(suffix))
            current = (head + suffix).decode("utf-8")
        result.append(current)
    return result


def name_addition(names: Sequence[str]) -> str | None:
    """`ChooseIndexNameAddition` / `ChooseForeignKeyConstraintNameAddition`: the column names
    joined with `_`, stopping once the result reaches NAMEDATALEN bytes."""
    if not names:
        return None
    joined = b""
    for name in names:
        if joined:
            joined += b"_"
        joined += _clip(name.encode("utf-8"), NAMEDATALEN - 1)
        if len(joined) >= NAMEDATALEN:
            break
    return joined.decode("utf-8")


def choose_name(table: str, columns: Sequence[str], label: str, taken: Taken) -> str:
    """The name PostgreSQL gives a new object on `table`: `ChooseRelationName` /
    `ChooseConstraintName`. `taken(name)` says whether a name is already in use (relations
    of the schema for indexes and sequences; constraints of the schema for constraints)."""
    if label in _INDEX_LABELS:
        columns = index_column_names(columns)
    addition = name_addition(columns)
    candidate = make_object_name(table, addition, label)
    number = 0
    while taken(candidate):
        number += 1
        candidate = make_object_name(table, addition, f"{label}{number}")
    return candidate


def check_name_column(columns: Sequence[str]) -> list[str]:
    """The columns a CHECK constraint's generated name uses: the one column it references,
    or none when it references several (or none)."""
    distinct = list(dict.fromkeys(columns))
    return distinct if len(distinct) == 1 else []


def sequence_name(table: str, column: str) -> str:
    """The sequence a serial or identity column owns, before uniqueness is checked."""
    return make_object_name(table, column, "seq")
