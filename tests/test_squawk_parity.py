"""Parity with squawk on real Prisma migration sets (issue 5, item 4).

squawk judges each file alone; dbvet replays the whole set. For the rules both tools have,
every statement squawk flags must be flagged by dbvet too — same file, same statement start
line — unless it is a difference listed here, with the reason dbvet is right. Each reason is a
predicate checked against dbvet's own replay of the statement, so an exception holds only while
its reason does.

squawk runs with `--assume-in-transaction`: Prisma sends a file of several statements as one
query string, which PostgreSQL runs as one implicit transaction.
"""

from __future__ import annotations

import collections
import re
from collections.abc import Callable

import pytest
from conftest import corpus_path
from squawk_support import (
    ActionFacts,
    FileFacts,
    StatementFacts,
    dbvet_findings,
    part_at,
    replay_facts,
    run_squawk,
    squawk_binary,
)

from linter import actions as a
from linter.migrations import Layout

# squawk rule -> the dbvet rules that judge the same hazard, and the actions squawk points at.
# constraint-missing-not-valid also fires on PRIMARY KEY and UNIQUE, which have no NOT VALID form:
# dbvet's answer there is S010 (build the index concurrently, then ADD CONSTRAINT … USING INDEX).
# adding-not-nullable-field is squawk's name for ALTER COLUMN … SET NOT NULL.
SHARED_RULES: dict[str, tuple[frozenset[str], tuple[type, ...]]] = {
    "require-concurrent-index-creation": (frozenset({"S005"}), (a.CreateIndex,)),
    "require-concurrent-index-deletion": (frozenset({"S006"}), (a.DropIndex,)),
    "adding-required-field": (frozenset({"S001"}), (a.AddColumn,)),
    "adding-not-nullable-field": (frozenset({"S001", "S002"}), (a.SetNotNull, a.AddColumn)),
    "adding-foreign-key-constraint": (frozenset({"S008"}), (a.AddConstraint, a.AddColumn)),
    "constraint-missing-not-valid": (frozenset({"S008", "S009", "S010"}), (a.AddConstraint, a.AddColumn)),
    "disallowed-unique-constraint": (frozenset({"S010"}), (a.AddConstraint,)),
    "adding-serial-primary-key-field": (frozenset({"S010"}), (a.AddConstraint,)),
    "adding-field-with-default": (frozenset({"S004"}), (a.AddColumn,)),
    "changing-column-type": (frozenset({"S011"}), (a.AlterColumnType,)),
    "ban-drop-column": (frozenset({"D002"}), (a.DropColumn,)),
    "ban-drop-table": (frozenset({"D001"}), (a.DropTable,)),
    "renaming-column": (frozenset({"D004"}), (a.RenameColumn,)),
    "renaming-table": (frozenset({"D003"}), (a.RenameTable,)),
    "ban-concurrent-index-creation-in-transaction": (frozenset({"S007"}), (a.CreateIndex,)),
}

COMPARED_DBVET_RULES = frozenset().union(*(ids for ids, _ in SHARED_RULES.values()))

# The Prisma PostgreSQL sets of the corpus: (project, migrations directory).
PRISMA_SETS = [
    ("documenso__documenso", "packages/prisma/migrations"),
    ("langfuse__langfuse", "packages/shared/prisma/migrations"),
    ("formbricks__formbricks", "packages/database/migration"),
    ("triggerdotdev__trigger.dev", "internal-packages/database/prisma/migrations"),
    ("triggerdotdev__trigger.dev", "internal-packages/run-ops-database/prisma/migrations"),
    ("umami-software__umami", "prisma/migrations"),
]


# --- why dbvet may stay quiet where squawk speaks: each reason is checked on the replay -------
# A reason gets the actions squawk pointed at (with what dbvet's replay held just before them)
# the dbvet rules that flagged the statement, and the family (S or D) of the dbvet rules that judge
# the hazard.
def _created_in_file(actions: list[ActionFacts], dbvet: set[str], family: str) -> bool:
    """Every flagged action works on a table (or, for destructive changes, a column) created
    earlier in the same file: it is empty and nothing deployed uses it yet (squawk tracks tables
    created in the file for some rules only, and columns never)."""
    return bool(actions) and all(facts.on_new_object(family) for facts in actions)


def _never_created(actions: list[ActionFacts], dbvet: set[str], family: str) -> bool:
    """`DROP … IF EXISTS` of a table or index the replayed history never created: a no-op."""
    return bool(actions) and all(
        getattr(facts.action, "if_exists", False) and facts.targets and not any(t.known for t in facts.targets)
        for facts in actions
    )


_CONSTANT = re.compile(r"\(?\s*[-+]?\d+(\.\d+)?\s*\)?|'(?:[^']|'')*'|true|false|null", re.IGNORECASE)


def _constant_default(actions: list[ActionFacts], dbvet: set[str], family: str) -> bool:
    """ADD COLUMN with a constant default: free from PostgreSQL 11, and dbvet's default is 14
    (squawk takes a negative number such as `DEFAULT -1` for a volatile expression)."""
    columns = [facts.action.column for facts in actions if isinstance(facts.action, a.AddColumn)]
    return bool(columns) and all(
        column.default is not None
        and column.generated is None
        and column.identity is None
        and _CONSTANT.fullmatch(re.sub(r"::[\w\s\".]+$", "", column.default.strip())) is not None
        for column in columns
    )


def _serial_is_a_rewrite(actions: list[ActionFacts], dbvet: set[str], family: str) -> bool:
    """ADD COLUMN … SERIAL NOT NULL has a default (nextval), so it does not fail on a filled table
    as a required column does; it rewrites the table, which dbvet reports as S004."""
    columns = [facts.action.column for facts in actions if isinstance(facts.action, a.AddColumn)]
    return (
        "S004" in dbvet
        and bool(columns)
        and all((column.default or "").startswith("nextval(") for column in columns)
    )


REASONS: dict[str, Callable[[list[ActionFacts], set[str], str], bool]] = {
    "object created earlier in the same file": _created_in_file,
    "IF EXISTS of an object the history never created": _never_created,
    "constant default, no rewrite from PostgreSQL 11": _constant_default,
    "serial column: a rewrite (S004), not a required column": _serial_is_a_rewrite,
}

# How many statements squawk flags for shared rules, and how many dbvet leaves to each reason, per
# set and squawk rule. Reviewed by hand; a change in either tool shows up here.
EXPECTED: dict[str, dict[str, dict[str, int]]] = {
    "documenso__documenso:packages/prisma/migrations": {
        "constant default, no rewrite from PostgreSQL 11": {
            "adding-field-with-default": 1,
        },
        "flagged": {
            "adding-field-with-default": 1,
            "adding-foreign-key-constraint": 52,
            "adding-not-nullable-field": 32,
            "adding-required-field": 9,
            "adding-serial-primary-key-field": 5,
            "ban-drop-column": 33,
            "ban-drop-table": 11,
            "changing-column-type": 5,
            "constraint-missing-not-valid": 60,
            "require-concurrent-index-creation": 68,
            "require-concurrent-index-deletion": 23,
        },
        "matched": {
            "adding-foreign-key-constraint": 52,
            "adding-not-nullable-field": 30,
            "adding-required-field": 9,
            "adding-serial-primary-key-field": 5,
            "ban-drop-column": 27,
            "ban-drop-table": 11,
            "changing-column-type": 5,
            "constraint-missing-not-valid": 60,
            "require-concurrent-index-creation": 68,
            "require-concurrent-index-deletion": 23,
        },
        "object created earlier in the same file": {
            "adding-not-nullable-field": 2,
            "ban-drop-column": 6,
        },
    },
    "langfuse__langfuse:packages/shared/prisma/migrations": {
        "flagged": {
            "adding-foreign-key-constraint": 39,
            "adding-not-nullable-field": 20,
            "adding-required-field": 10,
            "adding-serial-primary-key-field": 5,
            "ban-drop-column": 26,
            "ban-drop-table": 15,
            "changing-column-type": 10,
            "constraint-missing-not-valid": 44,
            "renaming-column": 11,
            "renaming-table": 1,
            "require-concurrent-index-creation": 69,
            "require-concurrent-index-deletion": 14,
        },
        "matched": {
            "adding-foreign-key-constraint": 39,
            "adding-not-nullable-field": 20,
            "adding-required-field": 10,
            "adding-serial-primary-key-field": 5,
            "ban-drop-column": 26,
            "ban-drop-table": 14,
            "changing-column-type": 10,
            "constraint-missing-not-valid": 44,
            "renaming-column": 6,
            "renaming-table": 1,
            "require-concurrent-index-creation": 69,
            "require-concurrent-index-deletion": 14,
        },
        "object created earlier in the same file": {
            "ban-drop-table": 1,
            "renaming-column": 5,
        },
    },
    "formbricks__formbricks:packages/database/migration": {
        "IF EXISTS of an object the history never created": {
            "require-concurrent-index-deletion": 3,
        },
        "flagged": {
            "adding-foreign-key-constraint": 20,
            "adding-not-nullable-field": 12,
            "adding-required-field": 4,
            "adding-serial-primary-key-field": 2,
            "ban-drop-column": 36,
            "ban-drop-table": 10,
            "changing-column-type": 10,
            "constraint-missing-not-valid": 22,
            "renaming-column": 28,
            "renaming-table": 14,
            "require-concurrent-index-creation": 78,
            "require-concurrent-index-deletion": 41,
        },
        "matched": {
            "adding-foreign-key-constraint": 20,
            "adding-not-nullable-field": 12,
            "adding-required-field": 3,
            "adding-serial-primary-key-field": 2,
            "ban-drop-column": 36,
            "ban-drop-table": 10,
            "changing-column-type": 10,
            "constraint-missing-not-valid": 22,
            "renaming-column": 27,
            "renaming-table": 14,
            "require-concurrent-index-creation": 78,
            "require-concurrent-index-deletion": 38,
        },
        "object created earlier in the same file": {
            "renaming-column": 1,
        },
        "serial column: a rewrite (S004), not a required column": {
            "adding-required-field": 1,
        },
    },
    "triggerdotdev__trigger.dev:internal-packages/database/prisma/migrations": {
        "IF EXISTS of an object the history never created": {
            "ban-drop-table": 1,
        },
        "flagged": {
            "adding-foreign-key-constraint": 115,
            "adding-not-nullable-field": 15,
            "adding-required-field": 106,
            "ban-drop-column": 103,
            "ban-drop-table": 97,
            "changing-column-type": 17,
            "constraint-missing-not-valid": 115,
            "renaming-column": 5,
            "require-concurrent-index-creation": 93,
            "require-concurrent-index-deletion": 38,
        },
        "matched": {
            "adding-foreign-key-constraint": 112,
            "adding-not-nullable-field": 15,
            "adding-required-field": 106,
            "ban-drop-column": 103,
            "ban-drop-table": 96,
            "changing-column-type": 17,
            "constraint-missing-not-valid": 112,
            "renaming-column": 3,
            "require-concurrent-index-creation": 93,
            "require-concurrent-index-deletion": 38,
        },
        "object created earlier in the same file": {
            "adding-foreign-key-constraint": 3,
            "constraint-missing-not-valid": 3,
            "renaming-column": 2,
        },
    },
    "triggerdotdev__trigger.dev:internal-packages/run-ops-database/prisma/migrations": {
        "flagged": {
            "require-concurrent-index-creation": 1,
        },
        "matched": {
            "require-concurrent-index-creation": 1,
        },
    },
    "umami-software__umami:prisma/migrations": {
        "flagged": {
            "adding-not-nullable-field": 1,
            "ban-drop-column": 5,
            "ban-drop-table": 1,
            "changing-column-type": 4,
            "renaming-column": 8,
            "require-concurrent-index-creation": 27,
            "require-concurrent-index-deletion": 17,
        },
        "matched": {
            "adding-not-nullable-field": 1,
            "ban-drop-column": 5,
            "ban-drop-table": 1,
            "changing-column-type": 4,
            "renaming-column": 8,
            "require-concurrent-index-creation": 27,
            "require-concurrent-index-deletion": 17,
        },
    },
}


def _statement(facts: dict[str, list[FileFacts]], path: str, line: int, column: int) -> StatementFacts:
    parts = facts[path]
    offset = parts[0].file.offset_of(line, column)
    part = part_at(facts, path, offset)
    assert part is not None and not part.down, f"{path}:{line}:{column} is in no up migration"
    statement = part.statement_at(offset)
    assert statement is not None, f"{path}:{line}:{column} is in no statement"
    return statement


def compare(project: str, migrations: str) -> tuple[dict[str, dict[str, int]], list[tuple[str, int, str]]]:
    """squawk against dbvet over one Prisma set: counts per reason and squawk rule ("flagged":
    every statement squawk flags, "matched": those dbvet flags too), and the differences no
    reason explains."""
    root = corpus_path(project)
    facts = replay_facts(root)
    prefix = migrations + "/"
    files = sorted(path for path in facts if path.startswith(prefix))
    assert files and all(part.layout is Layout.PRISMA for path in files for part in facts[path])

    flagged: dict[tuple[str, int], set[str]] = collections.defaultdict(set)
    for finding in dbvet_findings(root):
        if finding.rule in COMPARED_DBVET_RULES and finding.path.startswith(prefix):
            statement = _statement(facts, finding.path, finding.line, finding.column)
            flagged[(finding.path, statement.line)].add(finding.rule)

    counts: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    unexplained: list[tuple[str, int, str]] = []
    seen: set[tuple[str, int, str]] = set()
    for flag in run_squawk(root, files):
        if flag.rule not in SHARED_RULES:
            continue
        dbvet_ids, action_types = SHARED_RULES[flag.rule]
        statement = _statement(facts, flag.path, flag.line, flag.column)
        key = (flag.path, statement.line, flag.rule)
        if key in seen:  # squawk flags each sub-command; parity is per statement
            continue
        seen.add(key)
        counts["flagged"][flag.rule] += 1
        dbvet = flagged[(flag.path, statement.line)]
        if dbvet & dbvet_ids:
            counts["matched"][flag.rule] += 1
            continue
        offset = facts[flag.path][0].file.offset_of(flag.line, flag.column)
        pointed = [f for f in statement.actions_at(offset) if isinstance(f.action, action_types)]
        pointed = pointed or [f for f in statement.actions if isinstance(f.action, action_types)]
        family = min(dbvet_ids)[0]
        reason = next((name for name, holds in REASONS.items() if holds(pointed, dbvet, family)), None)
        if reason is None:
            unexplained.append(key)
        else:
            counts[reason][flag.rule] += 1
    return {name: dict(sorted(counter.items())) for name, counter in sorted(counts.items())}, unexplained


@pytest.fixture(scope="module")
def squawk() -> str:
    return squawk_binary()


@pytest.mark.parametrize(("project", "migrations"), PRISMA_SETS, ids=[f"{p}:{m}" for p, m in PRISMA_SETS])
def test_dbvet_flags_every_statement_squawk_flags(squawk, project, migrations):
    counts, unexplained = compare(project, migrations)
    assert unexplained == [], "statements squawk flags and dbvet does not, for no listed reason"
    assert counts == EXPECTED[f"{project}:{migrations}"]


def test_squawk_positions_become_statement_lines_and_character_columns(squawk, tmp_path):
    """squawk counts lines from 0 and columns in UTF-8 bytes from 0; dbvet's positions are 1-based
    characters, so a statement after non-ASCII text must land on the same column."""
    (tmp_path / "m.sql").write_text("SELECT 'größe 😀';\n  CREATE INDEX a_b_idx ON a (b);\n", encoding="utf-8")
    flags = [flag for flag in run_squawk(tmp_path, ["m.sql"]) if flag.rule == "require-concurrent-index-creation"]
    assert [(flag.path, flag.line, flag.column) for flag in flags] == [("m.sql", 2, 3)]
    (tmp_path / "n.sql").write_text("SELECT 'größe'; CREATE INDEX a_b_idx ON a (b);\n", encoding="utf-8")
    flags = [flag for flag in run_squawk(tmp_path, ["n.sql"]) if flag.rule == "require-concurrent-index-creation"]
    assert [(flag.path, flag.line, flag.column) for flag in flags] == [("n.sql", 1, 17)]
