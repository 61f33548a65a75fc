"""Migration sets as their tools see them: layout, order, up and down, transactions."""

from __future__ import annotations

import enum
from pathlib import Path

from linter.records import Record, field
from linter.source import ReadProblem, SourceFile


class Layout(str, enum.Enum):
    PRISMA = "prisma"  # <dir>/<version>_<name>/migration.sql (+ optional down.sql)
    GOLANG_MIGRATE = "golang-migrate"  # <version>_<name>.up.sql / .down.sql, and look-alikes
    DIRECTORY_PAIRS = "directory-pairs"  # <version>_<name>/up.sql + down.sql (Diesel)
    DBMATE = "dbmate"  # one file, -- migrate:up / -- migrate:down sections
    FLYWAY = "flyway"  # V<ver>__desc.sql, U<ver>__desc.sql, R__desc.sql
    PLAIN = "plain"  # a folder of .sql files, run in name order

    def __str__(self) -> str:
        return self.value


class TxMode(str, enum.Enum):
    """How the migration tool runs a file."""

    WRAPPED = "wrapped"  # inside one transaction the tool opens (dbmate, Flyway, Diesel, …)
    IMPLICIT = "implicit"  # sent as one query string: a multi-statement file is one implicit
    # transaction, a single statement runs alone (Prisma, golang-migrate)
    NONE = "none"  # each statement on its own (dbmate transaction:false, plain SQL by default)

    def __str__(self) -> str:
        return self.value


class Part(Record, frozen=True):
    """SQL text to run: a whole file, or one section of it (dbmate)."""

    file: SourceFile
    start: int = 0
    end: int | None = None

    @property
    def stop(self) -> int:
        return len(self.file.text) if self.end is None else self.end

    @property
    def text(self) -> str:
        return self.file.text[self.start : self.stop]

    @property
    def path(self) -> str:
        return self.file.path


class Migration(Record, eq=False):
    version: str  # as written: "20240101000000", "1.10", "0021_alter_table_webhook"
    name: str  # the description part
    sort_key: tuple  # the tool's order; numbers compare as numbers
    path: str  # what identifies it in findings: the up file (or the directory, for directory layouts)
    up: Part | None  # None when the up file could not be read (see MigrationSet.problems)
    down: Part | None = None
    down_expected: str | None = None  # where the down would live, for R001's message
    tx: TxMode = TxMode.WRAPPED
    repeatable: bool = False  # Flyway R__ migrations
    in_change: bool = False  # new in the change being checked (--base)

    @property
    def files(self) -> tuple[str, ...]:
        paths = []
        for part in (self.up, self.down):
            if part is not None and part.path not in paths:
                paths.append(part.path)
        return tuple(paths)


class BaseState(Record, frozen=True):
    """What a set looked like at the base revision of `--base`, as plain data (hashable, for
    caches), built by `linter.gitbase`. Paths are display paths; R003 and R004 read it."""

    revision: str  # as the user gave it
    layout: str | None  # the set's layout at the base; None when the set did not exist there
    newest: tuple | None = None  # sort key of the newest versioned migration at the base
    newest_path: str | None = None  # ... and its path
    edited: tuple[tuple[str, str], ...] = ()  # (up file, its up text at the base) whose up changed
    deleted: tuple[tuple[str, str], ...] = ()  # (up file at the base, "deleted" | "no longer a migration")
    renamed: tuple[tuple[str, str], ...] = ()  # (new path, old up file)
    added: frozenset[str] = frozenset()  # files and migration directories of the set new in the change


class MigrationSet(Record, eq=False):
    root: Path
    path: str  # display path of the root
    layout: Layout
    dialect: str | None  # None: could not be told (E004)
    dialect_source: str  # how the dialect was decided, for messages
    migrations: list[Migration] = field(default_factory=list)
    lock_file: SourceFile | None = None  # Prisma migration_lock.toml
    lock_provider: str | None = None
    prisma_schema: list[Path] = field(default_factory=list)  # the schema beside it, if any
    prisma_provider: str | None = None  # that schema's datasource provider, as written
    problems: list[ReadProblem] = field(default_factory=list)  # files that could not be read
    # Names that break the layout's pattern, for R004: (path, what is wrong)
    misnamed: list[tuple[str, str]] = field(default_factory=list)
    base: BaseState | None = None  # with --base: the set at the base revision (R003, R004)
