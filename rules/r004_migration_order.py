from collections import defaultdict

from linter.context import SetContext
from linter.findings import Severity, Span
from linter.migrations import Layout, Migration, MigrationSet
from linter.rule import Doc, Example, Rule
from linter.source import SourceFile
from rules.r003_edited_applied_migration import TOOL

# What happens to a new migration that sorts before one databases already ran.
_OUT_OF_ORDER = {
    Layout.PRISMA: "`prisma migrate deploy` still applies it, but databases that already ran {newest} run it after "
    "that one, in a different order from a fresh database",
    Layout.GOLANG_MIGRATE: "golang-migrate applies only versions above the database's current one, so databases "
    "that already ran {newest} silently skip it",
    Layout.DBMATE: "dbmate applies it anyway (or refuses with --strict), after {newest} on databases that already "
    "ran it: an order a fresh database never sees",
    Layout.FLYWAY: "Flyway refuses it on databases that already ran {newest} (it is reported as ignored and "
    "validation fails) unless outOfOrder is enabled",
    Layout.DIRECTORY_PAIRS: "Diesel applies it anyway, after {newest} on databases that already ran it: an order a "
    "fresh database never sees",
    Layout.PLAIN: "a fresh database runs it before {newest}, databases that already ran that one after it: two "
    "different histories",
}
# What the tool does with two migrations of one version.
_SAME_VERSION = {
    Layout.FLYWAY: "Flyway refuses a set with two migrations of one version",
    Layout.DBMATE: "dbmate records applied migrations by version, so once one of them runs the other counts as "
    "applied and never runs",
    Layout.DIRECTORY_PAIRS: "Diesel records applied migrations by version, so once one of them runs the other "
    "counts as applied and never runs",
    Layout.GOLANG_MIGRATE: "the tool knows migrations by version and refuses, or runs only one of them",
}


class MigrationOrder(Rule):
    id = "R004"
    name = "migration-order"
    severity = Severity.ERROR
    summary = "A new migration (--base) sorts before an applied one, shares a version, or breaks the naming pattern."
    doc = Doc(
        what="With `--base REV`, for the migrations new in the change only: one that sorts before the newest "
        "migration present at the base revision (in the tool's own order; Flyway repeatable `R__` migrations "
        "are exempt); one whose version another migration of the set also has (Flyway, dbmate, Diesel and "
        "numbered up/down files; Prisma and plain folders know migrations by their whole name); and a new "
        "file whose name breaks its layout's pattern, with what the tool does with it. Reported at the start "
        "of the file. Silent without `--base`. The newest migration at the base is read from the set as it "
        "was there, so a deleted one still counts (R003 reports the deletion).",
        why="Databases that already ran the newer migrations either skip the new one (golang-migrate), refuse "
        "it (Flyway) or run it in an order a fresh database never sees (Prisma, dbmate, Diesel): the schemas "
        "drift apart. Two migrations of one version make one of them never run; a misnamed file is ignored "
        "or refused by the tool, or runs out of turn.",
        instead="Give the new migration a version after the newest one at the base (regenerate its timestamp, "
        "e.g. after rebasing onto the main branch), and follow the layout's naming pattern.",
        bad=Example(
            "ALTER TABLE t ADD COLUMN email text;\n",
            kind="git",
            name="0001_add_email.sql",
            before=("CREATE TABLE t (id bigint PRIMARY KEY);\n", "CREATE INDEX t_id ON t (id);\n"),
            expect=((1, 1),),
        ),
        good=Example(
            "ALTER TABLE t ADD COLUMN email text;\n",
            kind="git",
            before=("CREATE TABLE t (id bigint PRIMARY KEY);\n", "CREATE INDEX t_id ON t (id);\n"),
        ),
    )

    def check_set(self, migration_set: MigrationSet, ctx: SetContext) -> None:
        base = migration_set.base
        if base is None:
            return
        layout, revision = migration_set.layout, base.revision
        new = [m for m in migration_set.migrations if m.in_change and m.up is not None]
        if base.newest is not None and base.layout == str(layout):
            for migration in new:
                if not migration.repeatable and _sorts_before(migration.sort_key, base.newest):
                    why = _OUT_OF_ORDER[layout].format(newest=base.newest_path)
                    ctx.report(
                        _start(migration),
                        f"{migration.path} is new but sorts before {base.newest_path}, the newest migration at "
                        f"{revision}: {why}",
                        fix=f"give it a version after {base.newest_path}'s",
                    )
        by_version: dict[object, list[Migration]] = defaultdict(list)
        for migration in migration_set.migrations:
            version = _version(layout, migration)
            if version is not None:
                by_version[version].append(migration)
        for migration in new:
            version = _version(layout, migration)
            others = [m.path for m in by_version.get(version, ()) if m is not migration]
            if others:
                ctx.report(
                    _start(migration),
                    f"{migration.path} has version {migration.version}, as {', '.join(others)} does: {_SAME_VERSION[layout]}",
                    fix="give it a version of its own, after the newest one",
                )
        ups = {m.up.path: m.up.file for m in migration_set.migrations if m.up is not None}
        for path, reason in migration_set.misnamed:
            if path in base.added:
                file = ups.get(path, SourceFile(path, ""))
                ctx.report(Span(file, 0, 0), f"{path} is new in the change: {reason}", fix=f"name it as {TOOL[layout]} expects")


def _start(migration: Migration) -> Span:
    assert migration.up is not None
    return Span(migration.up.file, 0, 0)


def _version(layout: Layout, migration: Migration) -> object | None:
    """What the tool knows a migration by, where that can be shared; None where it cannot
    (Prisma and plain folders use the whole name; repeatable Flyway migrations have no version)."""
    if migration.repeatable or layout in (Layout.PRISMA, Layout.PLAIN):
        return None
    if layout is Layout.DBMATE:
        return migration.version
    if layout is Layout.FLYWAY:
        return migration.sort_key[1]  # the version's numbers: 1.1 and 1.1.0 are one version
    return migration.sort_key[0]  # up/down files: the number (or maragudk's stem); Diesel: the version


def _sorts_before(key: tuple, newest: tuple) -> bool:
    try:
        return key < newest
    except TypeError:  # up/down files read as maragudk/migrate (stems) at one revision, numbers at the other
        return False
