"""D004 and the change being checked (`--base`): what a migration new in the change created
is not deployed yet, so nothing depends on it. The YAML cases cannot mark migrations as new."""

from linter.engine import lint_texts
from rules.d004_rename_column import RenameColumnRule

FIRST = "CREATE TABLE notes (id bigint PRIMARY KEY, body text);"
SECOND = "ALTER TABLE notes ADD COLUMN draft text;"


def _positions(migrations: list[str], in_change: list[bool]) -> list[tuple[str, int, int]]:
    findings = lint_texts(migrations, rules=[RenameColumnRule], in_change=in_change)
    return [(f.path, f.line, f.column) for f in findings if f.rule == "D004"]


def test_fires_when_the_object_was_deployed_before_the_change():
    assert _positions([FIRST, SECOND, "ALTER TABLE notes RENAME COLUMN body TO text_body;"], [False, False, True]) == [("migrations/0003.sql", 1, 19)]


def test_silent_when_a_migration_new_in_the_change_created_it():
    # the column/constraint the third migration touches was added by the second one
    third = "ALTER TABLE notes RENAME COLUMN draft TO text_body;"
    in_change = [False, True, True]
    assert _positions([FIRST, SECOND, third], in_change) == []
