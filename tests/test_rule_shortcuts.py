"""The shortcuts the hot rules take for speed give exactly what the plain definitions give:
R005's word index of DO blocks (against a regex search per name and text), S012's strong locks
(against the full lock table), the lock table's one-lookup path (against its class walk),
S014's string constants read once per statement, and `words` skipping its camelCase split on
lower-case names. S015 still asks the schema as it is at each backfill."""

from __future__ import annotations

import itertools

import pytest

from linter import actions as a
from linter import locks
from linter.dialects import parse_part
from linter.drift import Difference, Kind, _HiddenWords, _mentions
from linter.engine import lint_texts
from linter.migrations import Part, TxMode
from linter.schema import Schema
from linter.source import SourceFile
from rules.c0_columns import _SEPARATORS, _WORD_BOUNDARY, words
from rules.s012_lock_timeout_missing import strong_locks
from rules.s014_enum_value_in_transaction import EnumValueInTransaction
from rules.s015_backfill_under_lock import BackfillUnderLock

TEXTS = (
    'DO $$ BEGIN ALTER TABLE "User" ADD COLUMN "e$mail" TEXT; END $$',
    "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = 'order_items') THEN RAISE; END IF; END $$",
    "DO $$ BEGIN PERFORM 1 FROM \"Kelvin\" WHERE x = 'straße'; END $$",  # non-ASCII text: the regex decides
    "DO $$ BEGIN PERFORM 1 FROM \u212aelvin, \u017ftatus, my-table, _x_, \"a b\"; END $$",
    "",
)
NAMES = (
    "user", "User", "USER", "e$mail", "e", "mail", "$mail", "order_items", "order", "items", "relname",
    "kelvin", "Kelvin", "status", "STATUS", "straße", "STRASSE", "my-table", "my", "table", "_x_", "x",
    "a b", "", "$", "ſtatus", "İ", "pg_class", "1", "THEN",
)


def _naive(texts: tuple[str, ...], names: tuple[tuple[str, ...], ...]) -> bool:
    return any(all(_mentions(text, name) for name in group) for text in texts for group in names if group)


@pytest.mark.parametrize("texts", [TEXTS, TEXTS[:2], TEXTS[2:4], ()])
def test_hidden_words_agree_with_a_regex_search_per_name(texts):
    hidden = _HiddenWords(texts)
    groups = [(name,) for name in NAMES] + list(itertools.combinations(NAMES, 2))
    for group in groups:
        names = (group, ())
        difference = Difference(Kind.DIFFERS, "x", None, None, None, names=names)
        assert hidden.may_have_made(difference) == _naive(texts, names), group


def _actions(sql: str) -> list[a.Action]:
    parsed = parse_part(Part(SourceFile(path="m.sql", text=sql)), "postgresql")
    return [action for statement in parsed.statements for action in statement.actions]


SQL = """
CREATE TABLE t (id bigint PRIMARY KEY, u bigint REFERENCES u (id));
ALTER TABLE t ADD COLUMN c int REFERENCES v (id), ALTER COLUMN d SET NOT NULL, SET (fillfactor = 70);
ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (u) REFERENCES u (id);
ALTER TABLE t ADD CONSTRAINT k CHECK (c > 0);
ALTER TABLE t DISABLE TRIGGER ALL;
CREATE INDEX i ON t (c);
CREATE INDEX CONCURRENTLY j ON t (c);
DROP INDEX CONCURRENTLY j;
REINDEX TABLE t;
VACUUM FULL t;
VACUUM t;
TRUNCATE t, u;
DROP TABLE t, u;
DROP VIEW w;
COMMENT ON TABLE t IS 'x';
UPDATE t SET c = 1;
SET lock_timeout = '5s';
CREATE TYPE s AS ENUM ('a');
"""


def test_strong_locks_are_the_strong_own_locks_of_the_lock_table():
    strong = {locks.Lock.SHARE, locks.Lock.SHARE_ROW_EXCLUSIVE, locks.Lock.EXCLUSIVE, locks.Lock.ACCESS_EXCLUSIVE}
    for action in _actions(SQL):
        every = locks.table_locks(action)
        own = every[: len(every) - len(locks.referenced_locks(action))]
        expected = [(held.lock, held.table) for held in own if held.lock in strong]
        assert [(held.lock, held.table) for held in strong_locks(action, Schema())] == expected, action


def test_the_fixed_lock_table_holds_none_of_the_types_judged_by_their_fields():
    # lock_for looks an action's own type up in _FIXED before the types whose lock depends on
    # their fields: that is only the same answer while none of those is (or derives from) a key.
    special = (a.AddConstraint, a.CreateIndex, a.DropIndex, a.TableOption, a.Maintenance, a.LockTable)
    assert [kind.__name__ for kind in locks._FIXED if issubclass(kind, special)] == []


def test_enum_values_added_together_are_each_reported_at_their_first_use():
    migration = (
        "ALTER TYPE status ADD VALUE 'done';\n"
        "ALTER TYPE status ADD VALUE 'gone';\n"
        "ALTER TYPE status ADD VALUE 'kept';\n"
        "UPDATE orders SET status = 'gone' WHERE note = 'done';\n"
        "SELECT 'done'::status;\n"
    )
    before = "CREATE TYPE status AS ENUM ('open');\nCREATE TABLE orders (id bigint, status status, note text);"
    findings = lint_texts([before, migration], rules=[EnumValueInTransaction], tx=TxMode.WRAPPED)
    # 'done' at line 4 is compared with a text column, not the enum: its first use is line 5.
    assert [(f.line, f.message.split(" is used at line ")[1][:1]) for f in findings] == [(1, "5"), (2, "4")]


S015_BEFORE = (
    "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric);\n"
    "CREATE INDEX orders_total ON orders (total);\nCREATE SCHEMA app;\n"
)


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        # The DDL is looked up for each backfill in the schema as it is then: once the index is
        # gone, the DROP INDEX no longer names a table, so the second UPDATE is not reported.
        ("UPDATE orders SET total = 0;\nDROP INDEX orders_total;\nUPDATE orders SET total = 1;\n", [(1, 2)]),
        # Likewise the table the earlier ALTER names resolves, at the second UPDATE, to app.orders.
        (
            "ALTER TABLE orders ADD COLUMN x int;\nUPDATE orders SET total = 0;\nSET search_path = app, public;\n"
            "CREATE TABLE app.orders (id int);\nUPDATE public.orders SET total = 1;\n",
            [(2, 1)],
        ),
        # Only the backfill's own transaction counts, and the first DDL on the table in it.
        (
            "BEGIN;\nALTER TABLE orders ADD COLUMN x int;\nCOMMIT;\nBEGIN;\nUPDATE orders SET total = 0;\n"
            "ALTER TABLE orders ADD COLUMN y int;\nALTER TABLE orders ADD COLUMN z int;\nCOMMIT;\n"
            "UPDATE orders SET total = 2;\n",
            [(5, 6)],
        ),
    ],
)
def test_backfill_under_lock_asks_the_schema_at_each_backfill(sql, expected):
    findings = lint_texts([S015_BEFORE, sql], rules=[BackfillUnderLock], tx=TxMode.IMPLICIT)
    assert [(f.line, int(f.message.split("DDL at line ")[1].split(":")[0])) for f in findings] == expected


@pytest.mark.parametrize(
    "name",
    [
        "api_key", "totalCostUsd", "HTTPServerURL", "ssn2", "x", "", "123", "_",
        "déjà_vu", "Été", "ǅemal", "straße", "aBc", "ABC",
    ],
)
def test_words_skips_the_camel_case_split_only_where_it_changes_nothing(name):
    assert words(name) == [word.lower() for word in _SEPARATORS.split(_WORD_BOUNDARY.sub("_", name)) if word]
