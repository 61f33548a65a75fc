from linter.context import SetContext
from linter.findings import Severity
from linter.migrations import Migration, MigrationSet
from linter.rule import Doc, Example, Rule
from rules.r001_missing_down_migration import _is_empty, _section_start


class EmptyMigration(Rule):
    id = "R007"
    name = "empty-migration"
    severity = Severity.WARNING
    summary = "An up migration holds no statement."
    doc = Doc(
        what="An up migration — a whole file, or the `-- migrate:up` section of a dbmate file — that holds no "
        "statement: empty, only whitespace, or only comments. Repeatable Flyway migrations (`R__…sql`) are "
        "judged too: an empty one is as pointless. A file that does not parse is left to E001, and empty "
        "down migrations to R001.",
        why="The tool records an empty migration as applied, so the change it was meant to carry never reaches "
        "the database; it is usually a `prisma migrate dev --create-only` or `migrate create` that was never "
        "filled in, or a migration whose statements were moved elsewhere.",
        instead="Write the statements the migration was created for, or delete the file before it is applied "
        "anywhere.",
        bad=Example("-- migrate:up\n-- add the orders table\n\n-- migrate:down\nSELECT 1;\n", layout="dbmate", expect=((1, 1),)),
        good=Example(
            "-- migrate:up\nCREATE TABLE orders (id bigint PRIMARY KEY);\n\n-- migrate:down\nDROP TABLE orders;\n", layout="dbmate"
        ),
    )

    def check_set(self, migration_set: MigrationSet, ctx: SetContext) -> None:
        for migration in migration_set.migrations:
            up = migration.up
            if up is not None and _is_empty(up, ctx):
                ctx.report(
                    _section_start(up),
                    f"{_label(migration)} holds no statement",
                    fix="write the statements this migration was created for, or delete it before it is applied",
                )


def _label(migration: Migration) -> str:
    # Repeatable Flyway migrations have no version: their description names them.
    return f"repeatable migration {migration.name}" if migration.repeatable else f"migration {migration.version}"
