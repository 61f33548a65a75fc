"""D009 and the change being checked (`--base`): what a migration new in the change created
is not deployed yet, so nothing depends on it. The YAML cases cannot mark migrations as new."""

from linter.engine import lint_texts
from rules.d009_drop_enum_value_or_type import DropEnumValueOrTypeRule

FIRST = "CREATE TYPE mood AS ENUM ('ok', 'sad');"
SECOND = "SELECT 1;"


def _positions(migrations: list[str], in_change: list[bool]) -> list[tuple[str, int, int]]:
    findings = lint_texts(migrations, rules=[DropEnumValueOrTypeRule], in_change=in_change)
    return [(f.path, f.line, f.column) for f in findings if f.rule == "D009"]


def test_fires_when_the_object_was_deployed_before_the_change():
    assert _positions([FIRST, SECOND, "DROP TYPE mood; CREATE TYPE mood AS ENUM ('ok');"], [False, False, True]) == [("migrations/0003.sql", 1, 1)]


def test_silent_when_a_migration_new_in_the_change_created_it():
    # the object the third migration changes was created by the first one
    third = "DROP TYPE mood; CREATE TYPE mood AS ENUM ('ok');"
    in_change = [True, False, True]
    assert _positions([FIRST, SECOND, third], in_change) == []
