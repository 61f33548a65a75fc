"""How each migration tool reads one folder: which files it runs, in which order, up with down.

`build_set` looks at one directory (and, for directory-per-migration layouts, its direct
subdirectories) and returns the `MigrationSet` its tool would see, without a dialect (the
caller decides that). Orders follow each tool's own comparison:

- Prisma Migrate: directory names, as strings;
- Diesel: the version (the name up to the first `_`, dashes removed), as a string;
- golang-migrate: the leading digits, as a number; maragudk/migrate: the whole stem, as a string;
- Authelia: the 4-digit version, as a number; dbmate: file names, as strings;
- Flyway: version parts as numbers (`1.9` < `1.10`), repeatable `R__` migrations after them
  by description; plain folders: file names with digit runs compared as numbers.

Ties are broken by name, so the order never depends on the file system.

A folder whose files fit several layouts gets the one that explains most of its `.sql`
files (at least half of them; otherwise it is a plain folder, run in name order). Files that
break the chosen layout's naming pattern are recorded in `MigrationSet.misnamed` with what
the tool does with them. Files the tool ignores or refuses are *not* migrations: replaying
SQL the tool never runs, at a place in the order nobody chose, would invent a history. Names
the tool still runs but that break the pattern (langfuse's `… copy` folders, harness's
`_up.sql` files) stay migrations and are recorded as well.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path
from typing import Callable, Protocol

from linter.migrations import Layout, Migration, MigrationSet, Part, TxMode
from linter.records import Record
from linter.source import ReadProblem, SourceFile

LOCK_FILE = "migration_lock.toml"
INDENTED_DOWN_NOTE = (
    "indented '-- migrate:down' marker is not recognised by dbmate; the down section is run as part of the up"
)


class Listing(Record, frozen=True):
    """What one directory holds (hidden, skipped and excluded entries already left out).

    Paths are kept as strings: a directory walk builds thousands of them, and pathlib's
    parsing and hashing would cost more than the walk itself."""

    where: str  # absolute path
    shown: str  # display path
    files: tuple[str, ...]  # sorted
    dirs: tuple[str, ...]  # sorted
    links: frozenset[str] = frozenset()  # the dirs that are symbolic links

    @property
    def path(self) -> Path:
        return Path(self.where)

    def child(self, name: str) -> tuple[str, str]:
        # `os.path.join` for a normalised absolute path (only the root ends in a separator) and an
        # entry name, at a fraction of its cost: discovery asks for the paths of thousands of entries.
        where = self.where
        return (where + name if where.endswith(os.sep) else where + os.sep + name), join_shown(self.shown, name)


def join_shown(shown: str, name: str) -> str:
    return name if shown == "." else f"{shown}/{name}"


class Files(Protocol):
    """Cached access to the file system (implemented by discovery's workspace)."""

    def listing(self, where: str, shown: str) -> Listing | None: ...

    def read(self, where: str, shown: str) -> SourceFile | ReadProblem: ...


_DIGIT_RUNS = re.compile(r"(\d+)")


def natural_key(name: str) -> tuple:
    """`a2` < `a10`: digit runs compare as numbers. Even positions are always strings and odd
    positions numbers, so two keys never compare a string with a number."""
    parts = _DIGIT_RUNS.split(name)
    return tuple(int(part) if index % 2 else part for index, part in enumerate(parts))


def toml_setting(text: str, key: str) -> object:
    """A top-level setting of a small TOML file; a broken file is read leniently."""
    try:  # imported here: only Prisma and Diesel sets have such files
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        return tomllib.loads(text).get(key)
    except tomllib.TOMLDecodeError:
        value = r"""[ \t]*=[ \t]*(?:"([^"\r\n]*)"|'([^'\r\n]*)'|(true|false))[ \t]*(?:#.*)?$"""
        match = re.search(rf"^[ \t]*{key}{value}", text, re.M)
        if match is None:
            return None
        return match[3] == "true" if match[3] else match[1] if match[1] is not None else match[2]


class _Builder:
    """Collects one set's migrations, misnamed files and read problems."""

    def __init__(self, listing: Listing, files: Files, layout: Layout) -> None:
        self.listing = listing
        self.files = files
        self.set = MigrationSet(root=listing.path, path=listing.shown, layout=layout, dialect=None, dialect_source="")

    def shown(self, name: str) -> str:
        return join_shown(self.listing.shown, name)

    def source(self, name: str, folder: Listing | None = None) -> SourceFile | None:
        source = self.files.read(*(folder or self.listing).child(name))
        if isinstance(source, ReadProblem):
            self.set.problems.append(source)
            return None
        return source

    def part(self, name: str, folder: Listing | None = None) -> Part | None:
        source = self.source(name, folder)
        return None if source is None else Part(source)

    def misnamed(self, shown: str, reason: str) -> None:
        self.set.misnamed.append((shown, reason))

    def add(self, **fields) -> None:
        self.set.migrations.append(Migration(**fields))

    def finish(self) -> MigrationSet:
        self.set.migrations.sort(key=lambda m: m.sort_key)
        self.set.misnamed.sort()
        return self.set


def build_set(listing: Listing, files: Files, plain_tx: TxMode) -> MigrationSet | None:
    """The migration set rooted at this directory, or None when it holds none."""
    found = migration_dirs(listing, files)
    if found is not None:
        return _build_dir_layout(_Builder(listing, files, found[0]), found[1])
    sql = [name for name in listing.files if name.endswith(".sql")]
    if not sql:
        return None
    builders: dict[str, Callable[[_Builder, list[str]], MigrationSet]] = {
        "authelia": _build_authelia,
        "flyway": _build_flyway,
        "updown": _build_updown,
        "dbmate": _build_dbmate,
    }
    counts = {
        "authelia": sum(1 for name in sql if _AUTHELIA.fullmatch(name)),
        "flyway": sum(1 for name in sql if _FLYWAY.fullmatch(name) or _FLYWAY_REPEATABLE.fullmatch(name)),
        "updown": sum(1 for name in sql if _GOLANG.fullmatch(name) or _loose(name)),
        "dbmate": sum(1 for name in sql if _has_dbmate_up(listing, files, name)),
    }
    kinds = list(builders)  # ties go to the most specific pattern, listed first
    best = max(kinds, key=lambda kind: (counts[kind], -kinds.index(kind)))
    if counts[best] * 2 < len(sql):
        return _build_plain(_Builder(listing, files, Layout.PLAIN), sql, plain_tx)
    layout = {"flyway": Layout.FLYWAY, "dbmate": Layout.DBMATE}.get(best, Layout.GOLANG_MIGRATE)
    return builders[best](_Builder(listing, files, layout), sql)


# --- directory per migration: Prisma, Diesel ------------------------------------------------
def migration_dirs(listing: Listing, files: Files) -> tuple[Layout, list[str]] | None:
    """Prisma or Diesel, and the subdirectories that are migrations, if this is such a root."""
    prisma: list[str] = []
    diesel: list[str] = []
    for name in listing.dirs:
        child = files.listing(*listing.child(name))
        if child is not None and "migration.sql" in child.files:
            prisma.append(name)
        elif child is not None and "up.sql" in child.files:
            diesel.append(name)
    has_lock = LOCK_FILE in listing.files
    flat_sql = sum(1 for name in listing.files if name.endswith(".sql"))
    if not has_lock and (not (prisma or diesel) or len(prisma) + len(diesel) < flat_sql):
        return None  # nothing here, or a folder of SQL files with a stray subfolder
    if has_lock or len(prisma) >= len(diesel):
        return Layout.PRISMA, prisma
    return Layout.DIRECTORY_PAIRS, diesel


def _build_dir_layout(builder: _Builder, names: list[str]) -> MigrationSet:
    listing, prisma = builder.listing, builder.set.layout is Layout.PRISMA
    tool, up_name = ("Prisma Migrate", "migration.sql") if prisma else ("Diesel", "up.sql")
    if prisma and LOCK_FILE in listing.files:
        builder.set.lock_file = builder.source(LOCK_FILE)
        if builder.set.lock_file is not None:
            provider = toml_setting(builder.set.lock_file.text, "provider")
            builder.set.lock_provider = provider if isinstance(provider, str) else None
    for name in listing.files:
        if name.endswith(".sql"):
            builder.misnamed(builder.shown(name), f"not inside a migration directory; {tool} ignores it")
    for name in sorted(set(listing.dirs) - set(names)):
        builder.misnamed(builder.shown(name), f"holds no {up_name}; {tool} expects one in every migration directory")
    problems = prisma_name_problems(names) if prisma else {}
    for name in names:
        shown = builder.shown(name)
        child = builder.files.listing(*listing.child(name))
        assert child is not None  # listed by migration_dirs a moment ago
        version, _, description = name.partition("_")
        builder.add(
            version=version,
            name=description,
            sort_key=(name,) if prisma else (version.replace("-", ""), name),
            path=shown,
            up=builder.part(up_name, child),
            down=builder.part("down.sql", child) if "down.sql" in child.files else None,
            down_expected=join_shown(shown, "down.sql"),
            tx=TxMode.IMPLICIT if prisma else _diesel_tx(builder, child),
        )
        if name in problems:
            builder.misnamed(shown, problems[name])
        for extra in child.files:
            if extra.endswith(".sql") and extra not in (up_name, "down.sql"):
                reason = f"{tool} runs only {up_name} and down.sql; it ignores this file"
                builder.misnamed(join_shown(shown, extra), reason)
    return builder.finish()


def _diesel_tx(builder: _Builder, child: Listing) -> TxMode:
    """Diesel runs each migration in a transaction unless its metadata.toml says otherwise."""
    source = builder.source("metadata.toml", child) if "metadata.toml" in child.files else None
    if source is not None and toml_setting(source.text, "run_in_transaction") is False:
        return TxMode.NONE
    return TxMode.WRAPPED


_LEADING_DIGITS = re.compile(r"\d*")


def prisma_name_problems(names: list[str]) -> dict[str, str]:
    """Directory names that break the set's own convention: `YYYYMMDDHHMMSS_name` where most
    names are timestamped, else `NN_name` with one width (umami) — Prisma runs migrations in
    string order of their names, so a different width runs out of turn."""
    timestamped = sum(1 for name in names if re.match(r"\d{14}_", name)) * 2 >= len(names)
    widths = Counter(len(_LEADING_DIGITS.match(name).group()) for name in names)  # type: ignore[union-attr]
    width = 14 if timestamped else widths.most_common(1)[0][0] if widths else 0
    problems = {}
    for name in names:
        version = _LEADING_DIGITS.match(name).group()  # type: ignore[union-attr]
        if not version or name[len(version) : len(version) + 1] != "_":
            reason = "the name does not start with a version number and '_'"
        elif len(version) != width and timestamped:
            reason = f"version '{version}' is not a 14-digit timestamp (YYYYMMDDHHMMSS), so it runs out of date order"
        elif len(version) != width:
            reason = f"version '{version}' has {len(version)} digits, the others {width}, so it runs out of turn"
        elif " " in name:
            reason = "the name contains a space (a copied folder?)"
        elif name.endswith(".sql"):
            reason = "the directory name ends in '.sql'"
        elif not re.fullmatch(r"\d+_[A-Za-z0-9_-]+", name):
            reason = "the name has characters other than letters, digits, '_' and '-'"
        else:
            continue
        problems[name] = reason + "; Prisma still runs it"
    return problems


# --- up and down files: golang-migrate, maragudk/migrate, Authelia -------------------------
_GOLANG = re.compile(r"([0-9]+)_(.*)\.(down|up)\.(.*)", re.S)
# maragudk/migrate's own patterns, dots unescaped: `0021_x_up.sql` is an up file too.
_LOOSE_UP = re.compile(r"([\w-]+).up.sql", re.A)
_LOOSE_DOWN = re.compile(r"^([\w-]+).down.sql", re.A)
_AUTHELIA = re.compile(r"V(\d{4})\.([^.]+)\.(up|down)\.sql")


class _Named(Record, frozen=True):
    """What a file name says in an up/down layout."""

    direction: str  # "up" | "down"
    key: object  # pairs an up with its down: a number, or maragudk's whole stem
    version: str
    description: str
    down_name: str  # where the down of an up would be
    note: str | None = None  # the name breaks the pattern although the tool runs it


def _loose(name: str) -> _Named | None:
    match = _LOOSE_UP.fullmatch(name) or _LOOSE_DOWN.match(name)
    if match is None:
        return None
    stem = match[1]
    separator, direction = name[len(stem)], "up" if match.re is _LOOSE_UP else "down"
    note = None
    if separator != ".":
        note = (
            f"named '{stem}{separator}{direction}.sql' instead of '{stem}.{direction}.sql': maragudk/migrate still "
            "runs it (its pattern leaves the dot unescaped), golang-migrate would ignore it"
        )
    return _Named(direction, stem, stem, re.sub(r"^\d+_", "", stem), f"{stem}{separator}down.sql", note)


def _golang(name: str) -> _Named | None:
    match = _GOLANG.fullmatch(name)
    if match is None:
        return None
    return _Named(match[3], int(match[1]), match[1], match[2], f"{match[1]}_{match[2]}.down.{match[4]}")


def _authelia(name: str) -> _Named | None:
    match = _AUTHELIA.fullmatch(name)
    if match is None:
        return None
    return _Named(match[3], int(match[1]), match[1], match[2], f"V{match[1]}.{match[2]}.down.sql")


def _build_updown(builder: _Builder, sql: list[str]) -> MigrationSet:
    """golang-migrate, or maragudk/migrate when names only the latter accepts appear.

    golang-migrate refuses a folder with two ups of one version and ignores `…_up.sql`;
    maragudk/migrate (harness) accepts both, keys migrations by the whole stem and runs each
    file in a transaction. Either sign means the folder is run by the latter.
    """
    strict = [named for name in sql if (named := _golang(name)) and named.direction == "up"]
    versions = Counter(named.key for named in strict)
    if any(_loose(name) and not _golang(name) for name in sql) or any(n > 1 for n in versions.values()):
        pattern = "<name>.up.sql / <name>.down.sql"
        return _build_pairs(builder, sql, _loose, "maragudk/migrate", pattern, TxMode.WRAPPED)
    pattern = "<version>_<name>.up.sql / .down.sql"
    return _build_pairs(builder, sql, _golang, "golang-migrate", pattern, TxMode.IMPLICIT)


def _build_authelia(builder: _Builder, sql: list[str]) -> MigrationSet:
    return _build_pairs(builder, sql, _authelia, "Authelia", "V<NNNN>.<Name>.<up|down>.sql", TxMode.WRAPPED)


def _build_pairs(
    builder: _Builder, sql: list[str], parse: Callable[[str], _Named | None], tool: str, pattern: str, tx: TxMode
) -> MigrationSet:
    """Pair each up with the first down of the same key; a down left over is recorded."""
    ups: list[tuple[_Named, str]] = []
    downs: dict[object, list[str]] = {}
    for name in sql:
        named = parse(name)
        if named is None:
            reason = f"does not match {tool}'s file names ({pattern}); it ignores the file"
            builder.misnamed(builder.shown(name), reason)
            continue
        if named.note:
            builder.misnamed(builder.shown(name), named.note)
        if named.direction == "down":
            downs.setdefault(named.key, []).append(name)
        else:
            ups.append((named, name))
    for named, name in ups:
        down_names = downs.pop(named.key, [])
        builder.add(
            version=named.version,
            name=named.description,
            sort_key=(named.key, name),
            path=builder.shown(name),
            up=builder.part(name),
            down=builder.part(down_names[0]) if down_names else None,
            down_expected=builder.shown(named.down_name),
            tx=tx,
        )
        for extra in down_names[1:]:
            builder.misnamed(builder.shown(extra), f"a second down migration for {named.version}; {tool} runs one")
    paired = {m.version for m in builder.set.migrations if m.down is not None}
    lonely = [named.version for named, _ in ups if named.version not in paired]
    for key, names in downs.items():
        prefix = _LEADING_DIGITS.match(str(key)).group()  # type: ignore[union-attr]
        alike = [version for version in lonely if prefix and version.startswith(prefix)]
        hint = f" (did you mean '{alike[0]}'?)" if len(alike) == 1 else ""
        for name in names:
            reason = f"down migration '{key}' has no up migration of the same version{hint}; {tool} never runs it"
            builder.misnamed(builder.shown(name), reason)
    return builder.finish()


# --- Flyway -----------------------------------------------------------------------------------
_FLYWAY = re.compile(r"([VU])(\d+(?:[._]\d+)*)__(.+)\.sql")
_FLYWAY_REPEATABLE = re.compile(r"R__(.+)\.sql")


def _flyway_tx(builder: _Builder, name: str) -> TxMode:
    """Flyway wraps each script unless its `<script>.conf` sets executeInTransaction=false."""
    source = builder.source(name + ".conf") if name + ".conf" in builder.listing.files else None
    if source is not None and re.search(r"^\s*executeInTransaction\s*=\s*false\s*$", source.text, re.M):
        return TxMode.NONE
    return TxMode.WRAPPED


def _build_flyway(builder: _Builder, sql: list[str]) -> MigrationSet:
    undos: dict[tuple[int, ...], str] = {}
    versioned: list[tuple[tuple[int, ...], str, re.Match[str]]] = []
    for name in sql:
        if match := _FLYWAY.fullmatch(name):
            numbers = [int(part) for part in re.split(r"[._]", match[2])]
            while len(numbers) > 1 and numbers[-1] == 0:  # Flyway: 1.1 and 1.1.0 are one version
                numbers.pop()
            if match[1] == "V":
                versioned.append((tuple(numbers), name, match))
            elif tuple(numbers) in undos:
                builder.misnamed(builder.shown(name), "a second undo migration for this version; Flyway refuses it")
            else:
                undos[tuple(numbers)] = name
        elif match := _FLYWAY_REPEATABLE.fullmatch(name):
            tx = _flyway_tx(builder, name)
            path, up = builder.shown(name), builder.part(name)
            key = (1, match[1], name)
            builder.add(version="", name=match[1], sort_key=key, path=path, up=up, tx=tx, repeatable=True)
        else:
            reason = "not a Flyway migration name (V<version>__<description>.sql, U… undo, R__… repeatable)"
            reason += "; Flyway ignores it"
            builder.misnamed(builder.shown(name), reason)
    for numbers, name, match in versioned:
        undo = undos.pop(numbers, None)
        builder.add(
            version=match[2].replace("_", "."),
            name=match[3],
            sort_key=(0, numbers, name),
            path=builder.shown(name),
            up=builder.part(name),
            down=builder.part(undo) if undo else None,
            down_expected=builder.shown(f"U{match[2]}__{match[3]}.sql"),
            tx=_flyway_tx(builder, name),
        )
    for numbers, name in undos.items():
        version = ".".join(map(str, numbers))
        reason = f"undo migration for version {version}, which has no versioned migration; Flyway never runs it"
        builder.misnamed(builder.shown(name), reason)
    return builder.finish()


# --- dbmate -----------------------------------------------------------------------------------
_DBMATE_NAME = re.compile(r"(\d+)[_-]?(.*)\.sql")
# dbmate's markers must start a line: `^--\s*migrate:up(\s*$|\s+\S+)`; only `\n` ends a line there.
_DBMATE_MARKER = re.compile(r"^--\s*migrate:(up|down)(?=\s|$)([^\n]*)", re.M)
_DBMATE_INDENTED_DOWN = re.compile(r"^[ \t]+--\s*migrate:down(?=\s|$)", re.M)


def _has_dbmate_up(listing: Listing, files: Files, name: str) -> bool:
    if not _DBMATE_NAME.fullmatch(name):
        return False
    source = files.read(*listing.child(name))
    return isinstance(source, SourceFile) and "migrate:up" in source.text and _dbmate_sections(source) is not None


def _line_end(text: str, offset: int) -> int:
    end = text.find("\n", offset)
    return len(text) if end < 0 else end + 1


def _dbmate_sections(file: SourceFile) -> tuple[Part, Part | None, TxMode, list[str]] | None:
    """The up and down sections as dbmate cuts them, the up's transaction mode, and notes on
    what dbmate would refuse or read differently from how it looks."""
    text = file.text
    up = down = None
    for match in _DBMATE_MARKER.finditer(text):
        if match[1] == "up" and up is None:
            up = match
        elif match[1] == "down" and down is None:
            down = match
        if up is not None and down is not None:
            break
    if up is None:
        return None
    notes = []
    if down is not None and down.start() < up.start():
        notes.append("'-- migrate:down' comes before '-- migrate:up'; dbmate refuses to run the file")
        down = None
    if any(line.strip() and not line.lstrip().startswith("--") for line in text[: up.start()].split("\n")):
        notes.append("statements come before '-- migrate:up'; dbmate refuses to run the file")
    up_end = down.start() if down is not None else None
    if _DBMATE_INDENTED_DOWN.search(text, up.end(), len(text) if up_end is None else up_end):
        notes.append(INDENTED_DOWN_NOTE)
    up_part = Part(file, _line_end(text, up.end()), up_end)
    down_part = Part(file, _line_end(text, down.end())) if down is not None else None
    tx = TxMode.NONE if "transaction:false" in up[2].split() else TxMode.WRAPPED
    return up_part, down_part, tx, notes


def _build_dbmate(builder: _Builder, sql: list[str]) -> MigrationSet:
    for name in sql:
        shown, match = builder.shown(name), _DBMATE_NAME.fullmatch(name)
        if match is None:
            builder.misnamed(shown, "dbmate runs only files whose name starts with the version digits; it ignores it")
            continue
        source = builder.source(name)
        sections = _dbmate_sections(source) if source is not None else (None, None, TxMode.WRAPPED, [])
        if sections is None:
            builder.misnamed(shown, "has no '-- migrate:up' marker at the start of a line; dbmate refuses to run it")
            continue
        up, down, tx, notes = sections
        expected = f"a '-- migrate:down' section in {shown}"
        fields = {"version": match[1], "name": match[2], "sort_key": (name,), "path": shown, "tx": tx}
        builder.add(**fields, up=up, down=down, down_expected=expected)
        for note in notes:
            builder.misnamed(shown, note)
    return builder.finish()


# --- plain folders ----------------------------------------------------------------------------
def _build_plain(builder: _Builder, sql: list[str], tx: TxMode) -> MigrationSet:
    for name in sql:
        stem = name[: -len(".sql")]
        path, up = builder.shown(name), builder.part(name)
        builder.add(version=stem, name=stem, sort_key=(natural_key(name), name), path=path, up=up, tx=tx)
    return builder.finish()
