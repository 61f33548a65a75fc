from linter.context import SetContext
from linter.findings import Severity, Span
from linter.migrations import Layout, MigrationSet
from linter.rule import Doc, Example, Rule
from linter.source import SourceFile

# What runs each layout, for messages.
TOOL = {
    Layout.PRISMA: "Prisma Migrate",
    Layout.GOLANG_MIGRATE: "golang-migrate",
    Layout.DIRECTORY_PAIRS: "Diesel",
    Layout.DBMATE: "dbmate",
    Layout.FLYWAY: "Flyway",
    Layout.PLAIN: "the migration tool",
}

# Why an edit of an applied migration does not reach the databases that applied it.
_EDITED = {
    Layout.PRISMA: "Prisma keeps a checksum of every applied migration: `prisma migrate dev` reports the edit and "
    "wants to reset the database, and `prisma migrate deploy` never runs the new text",
    Layout.FLYWAY: "Flyway keeps a checksum of every applied migration: `flyway migrate` fails validation "
    "(checksum mismatch) on every database that ran the old text",
}
_DELETED = {
    Layout.PRISMA: "databases that applied it keep what it made while new ones never get it, and "
    "`prisma migrate dev` reports an applied migration missing from the migrations directory",
    Layout.FLYWAY: "Flyway fails validation on databases that applied it (an applied migration not resolved "
    "locally), and new databases never get what it made",
}
_RENAMED = {
    Layout.PRISMA: "Prisma knows applied migrations by directory name, so databases that applied {old} run it "
    "again under the new name and report {old} missing",
    Layout.FLYWAY: "Flyway knows applied migrations by version and description: databases that applied it fail "
    "validation, or run it again if the version changed",
    Layout.PLAIN: "a tool that records file names runs it again, under the new name, on databases that applied it",
}


class EditedAppliedMigration(Rule):
    id = "R003"
    name = "edited-applied-migration"
    severity = Severity.ERROR
    summary = "A migration that exists at the base revision (--base) was edited, deleted or renamed."
    doc = Doc(
        what="With `--base REV`: a migration present at the base revision whose up migration changed, or that "
        "was deleted, or renamed (git's rename detection). Only the up counts: fixing a down is legitimate "
        "(R002 asks for it); for dbmate only the `-- migrate:up` section is compared. A change of line endings "
        "alone is not an edit: Prisma accepts the checksum of either ending, Flyway checksums line by line, "
        "and git's eol settings decide what a checkout holds. Flyway repeatable `R__` migrations are meant "
        "to change and are not judged. An edit is reported at its first changed character, a rename at the "
        "start of the new file, a deletion at the old path. Silent without `--base`.",
        why="Databases record which migrations ran, not what they said. An edit never reaches the databases "
        "that already applied the old text, so they and a fresh database end up with different schemas; "
        "tools that checksum applied migrations (Prisma, Flyway) refuse to go on or ask to reset the "
        "database. A deleted migration leaves new databases without what it made.",
        instead="Restore the applied migration (`git checkout <base> -- <file>`) and write the change as a "
        "new migration. Edit an applied migration only when no database anywhere ran it.",
        bad=Example(
            "CREATE TABLE t (id bigint PRIMARY KEY, email text);\n",
            kind="git",
            name="0001_before.sql",
            before=("CREATE TABLE t (id bigint PRIMARY KEY);\n",),
            expect=((1, 38),),
        ),
        good=Example(
            "ALTER TABLE t ADD COLUMN email text;\n", kind="git", before=("CREATE TABLE t (id bigint PRIMARY KEY);\n",)
        ),
    )

    def check_set(self, migration_set: MigrationSet, ctx: SetContext) -> None:
        base = migration_set.base
        if base is None:
            return
        from linter.gitbase import first_difference  # only with --base: git's module stays out of other runs

        layout, revision = migration_set.layout, base.revision
        tool = TOOL[layout]
        current = {m.up.path: m for m in migration_set.migrations if m.up is not None}
        restore = f"restore the text it had at {revision} and write the change as a new migration"
        for path, old_text in base.edited:
            up = current[path].up
            assert up is not None  # `current` holds migrations with an up
            offset = first_difference(old_text, up.text)
            if offset is None:  # linter.gitbase records only texts that differ
                continue
            why = _EDITED.get(layout, f"{tool} records only that it ran, so databases that ran the old text never get the change")
            ctx.report(
                Span(up.file, up.start + offset, up.start + offset),
                f"{path} was applied at {revision} and its up migration has been edited: {why}",
                fix=restore,
            )
        for path, how in base.deleted:
            if how == "deleted":
                why = _DELETED.get(layout, "databases that applied it keep what it made while new ones never get it")
                message = f"{path} was applied at {revision} and has been deleted: {why}"
            else:
                message = f"{path} was a migration at {revision} and {tool} no longer runs it as one: new databases never get what it made"
            ctx.report(Span(SourceFile(path, ""), 0, 0), message, fix=f"restore {path} as it was at {revision}")
        for new, old in base.renamed:
            migration = current.get(new)
            file = migration.up.file if migration is not None and migration.up is not None else SourceFile(new, "")
            why = _RENAMED.get(layout, f"{tool} knows applied migrations by version: if the version changed, databases that applied it run it again")
            ctx.report(
                Span(file, 0, 0),
                f"{new} is {old} renamed, a migration applied at {revision}: {why.format(old=old)}",
                fix=f"rename it back to {old}",
            )
