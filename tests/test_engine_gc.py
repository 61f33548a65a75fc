"""The engine freezes parsed statements while it lints a set (so the garbage collector skips
them) and must leave nothing frozen behind: garbage frozen for good would never be freed."""

from __future__ import annotations

import gc
import weakref

from linter.engine import lint_texts
from rules import all_rules


class _Cycle:
    """Garbage that only the collector can free: it refers to itself."""

    def __init__(self) -> None:
        self.me = self


def test_a_linted_set_leaves_nothing_frozen():
    gc.unfreeze()
    findings = lint_texts(
        ["CREATE TABLE t (id bigint PRIMARY KEY);\n", "ALTER TABLE t ADD COLUMN email text NOT NULL;\n"],
        rules=list(all_rules().values()),
    )
    assert [finding.rule for finding in findings if finding.rule == "S001"] == ["S001"]
    assert gc.get_freeze_count() == 0


def test_garbage_made_while_a_set_is_linted_is_collected_afterwards(monkeypatch):
    from linter import engine

    made: list[weakref.ref] = []
    parse_part = engine.parse_part

    def parse_and_drop_a_cycle(part, dialect):
        made.append(weakref.ref(_Cycle()))  # garbage at once, frozen by the freeze that follows
        return parse_part(part, dialect)

    monkeypatch.setattr(engine, "parse_part", parse_and_drop_a_cycle)
    lint_texts(["CREATE TABLE t (id bigint PRIMARY KEY);\n"], rules=list(all_rules().values()))
    gc.collect()
    assert made and all(ref() is None for ref in made)
