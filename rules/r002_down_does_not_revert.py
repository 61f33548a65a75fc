from linter.context import SetContext
from linter.findings import Severity
from linter.migrations import MigrationSet
from linter.rule import Doc, Example, Rule
from rules.r001_missing_down_migration import _section_start

# How many differences a message names before it counts the rest.
_SHOWN = 4


class DownDoesNotRevert(Rule):
    id = "R002"
    name = "down-does-not-revert"
    severity = Severity.ERROR
    summary = "Replaying the up then the down does not give back the schema from before the up."
    reversal = True
    doc = Doc(
        what="A down migration that does not undo its up: dbvet replays the schema as it was before the up, "
        "applies the up and then the down, and compares every table, column (type, nullability, default), "
        "primary key, index, foreign key, check and enum value the pair touches with how it was. A table, "
        "column, index or constraint left behind or not restored, or a type or nullability not put back, "
        "is named. Spelling does not count: types and generated names are compared as the database spells "
        "them; column order and defaults are not compared (a down that re-adds a NOT NULL column needs a "
        "default to run). Pairs whose SQL does not parse are left to E001, an empty down to R001.",
        why="A rollback that leaves a column behind or forgets an index fails the next deploy of the same "
        "up (the column already exists) or leaves production slower than before, at the worst moment to "
        "find out.",
        instead="Make the down the exact inverse of the up: drop what the up created, re-create what it "
        "dropped with the same definition, restore types, defaults and NOT NULL.",
        bad=Example(
            "-- migrate:up\nALTER TABLE orders ADD COLUMN note text;\nCREATE INDEX orders_note_idx ON orders (note);\n\n"
            "-- migrate:down\nDROP INDEX orders_note_idx;\n",
            layout="dbmate",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY);",),
            expect=((5, 1),),
        ),
        good=Example(
            "-- migrate:up\nALTER TABLE orders ADD COLUMN note text;\nCREATE INDEX orders_note_idx ON orders (note);\n\n"
            "-- migrate:down\nDROP INDEX orders_note_idx;\nALTER TABLE orders DROP COLUMN note;\n",
            layout="dbmate",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY);",),
        ),
    )

    def check_set(self, migration_set: MigrationSet, ctx: SetContext) -> None:
        for migration in migration_set.migrations:
            found = ctx.reversals.get(id(migration))
            if not found or migration.down is None:
                continue
            shown = "; ".join(found[:_SHOWN])
            more = f" (and {len(found) - _SHOWN} more)" if len(found) > _SHOWN else ""
            ctx.report(
                _section_start(migration.down),
                f"the down migration of {migration.version} does not revert it: {shown}{more}",
                fix="make the down the inverse of the up; after it runs: " + "; ".join(found),
            )
