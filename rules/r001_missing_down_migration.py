from linter.context import SetContext
from linter.findings import Severity, Span
from linter.migrations import Layout, MigrationSet, Part
from linter.rule import Doc, Example, Rule

# Layouts that have a place for a down migration; a plain folder of .sql files has none.
REVERSIBLE_LAYOUTS = frozenset({Layout.PRISMA, Layout.GOLANG_MIGRATE, Layout.DIRECTORY_PAIRS, Layout.DBMATE, Layout.FLYWAY})


class MissingDownMigration(Rule):
    id = "R001"
    name = "missing-down-migration"
    severity = Severity.ERROR
    summary = "An up migration has no down counterpart in its layout, or its down is empty."
    doc = Doc(
        what="An up migration without a down migration where its layout has a place for one — Prisma: "
        "`down.sql` beside `migration.sql`; golang-migrate: `<version>_<name>.down.sql`; Diesel-style "
        "directories: `down.sql`; dbmate: the `-- migrate:down` section; Flyway: the `U<version>__…sql` "
        "undo file — or whose down holds no statement (empty, or only comments). Repeatable Flyway "
        "migrations and plain folders of SQL files are not judged.",
        why="A release that must be rolled back at 2 a.m. is no time to write the reverse of a schema change "
        "from memory; a down written with the up is reviewed with it.",
        instead="Write the down with the up, in the same change, and let R002 check that it really reverts it.",
        bad=Example(
            "-- migrate:up\nCREATE TABLE t (id bigint PRIMARY KEY);\n\n-- migrate:down\n", layout="dbmate", expect=((4, 1),)
        ),
        good=Example("-- migrate:up\nCREATE TABLE t (id bigint PRIMARY KEY);\n\n-- migrate:down\nDROP TABLE t;\n", layout="dbmate"),
    )

    def check_set(self, migration_set: MigrationSet, ctx: SetContext) -> None:
        if migration_set.layout not in REVERSIBLE_LAYOUTS:
            return
        for migration in migration_set.migrations:
            if migration.repeatable or migration.up is None:
                continue
            down = migration.down
            if down is None:
                expected = migration.down_expected or "a down migration"
                ctx.report(
                    Span(migration.up.file, migration.up.start, migration.up.start),
                    f"migration {migration.version} has no down migration (expected {expected})",
                    fix=f"write {expected} that reverts this migration",
                )
            elif _is_empty(down, ctx):
                ctx.report(
                    _section_start(down),
                    f"the down migration of {migration.version} holds no statement",
                    fix="write the statements that revert this migration",
                )


def _is_empty(part: Part, ctx: SetContext) -> bool:
    statements = ctx.statements_of(part)
    if statements is not None:
        parsed = ctx.parsed[id(part)]
        return not statements and not parsed.errors
    return not part.text.strip()


def _section_start(part: Part) -> Span:
    """A whole down file: its start. A section of a file (dbmate): the marker line above it."""
    file = part.file
    if part.start == 0:
        return Span(file, 0, 0)
    line = file.position(part.start).line
    marker = file.offset_of(max(1, line - 1), 1) if file.position(part.start).column == 1 else file.offset_of(line, 1)
    return Span(file, marker, marker)
