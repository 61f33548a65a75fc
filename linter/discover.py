"""Which migration sets, Prisma schemas and application files the given paths hold.

Directories are walked once with `os.scandir` (hidden folders, `.git`, `node_modules`,
virtualenvs and excluded globs are skipped; a directory reached twice through symbolic links
is walked once). Every directory becomes at most one migration set, laid out as
`linter.layouts` explains. Files given one by one (as pre-commit passes them) bring in their
whole set for context, and only they are reported on.

The dialect of a set comes from, in order: the configuration, Prisma's
`migration_lock.toml`, the Prisma datasource `provider`, and a folder named after a database
(`postgres`, `pg`, `mysql`, `mariadb`, `sqlite`, … — the set's root or a folder above it, up to
the repository root). Providers are normalised: `postgres` → postgresql, `cockroachdb` →
postgresql (CockroachDB speaks PostgreSQL's SQL; the source says so), `mariadb` → mysql,
`sqlite3` → sqlite. Last, the SQL itself, when only one dialect's syntax shows in it
(`linter.sniff`). Any other provider (`sqlserver`, `mongodb`) leaves the dialect unknown, and
`dialect_source` says why.

A Prisma schema is the `.prisma` files of one folder, together with those of its direct
subfolders that declare no `datasource` (models split into files). A Prisma migrations folder
takes the schema of its parent folder, or else of the `schema/` folder beside it.
"""

from __future__ import annotations

import fnmatch
import os
import re
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from linter.errors import UserError
from linter.layouts import LOCK_FILE, Listing, build_set, join_shown, migration_dirs
from linter.migrations import Layout, MigrationSet, TxMode
from linter.records import Record, field
from linter.source import DEFAULT_MAX_BYTES, ReadProblem, SourceFile, display_path, read_source

SKIPPED_DIRS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__"})
APP_EXTENSIONS = (".ts", ".tsx", ".js", ".mjs", ".cjs")
APP_SKIPPED_DIRS = frozenset({"node_modules", "dist", "build", ".next"})
MAX_APP_FILES = 5000  # a bound on what a directory scan collects beside Prisma schemas
DIALECTS = {
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "pg": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
    "sqlite": "sqlite",
    "sqlite3": "sqlite",
}
_DATASOURCE = re.compile(r"^[ \t]*datasource\s+\w+\s*\{([^{}]*)\}", re.M)
_PROVIDER = re.compile(r'^\s*provider\s*=\s*"([^"]*)"', re.M)


class DiscoverOptions(Record):
    dialect: str | None = None  # configuration override: "postgresql" | "mysql" | "sqlite"
    plain_tx: TxMode = TxMode.NONE  # how plain folders of .sql files are run
    exclude: tuple[str, ...] = ()  # globs matched against the path and every '/'-suffix of it
    max_file_size: int = DEFAULT_MAX_BYTES


class PrismaSchemaFiles(Record, eq=False):
    root: Path  # the folder holding the schema
    path: str  # its display path
    files: list[SourceFile]
    migration_set: MigrationSet | None = None  # the Prisma migrations beside it
    problems: list[ReadProblem] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)  # every .prisma file, readable or not
    provider: str | None = None  # the datasource provider as written
    dialect: str | None = None  # the provider normalised (postgresql, mysql, sqlite), else None


class Discovery(Record):
    sets: list[MigrationSet]  # sorted by path
    prisma_schemas: list[PrismaSchemaFiles]  # sorted by path
    app_files: list[Path]  # .ts/.js files given, or found in a scan of a Prisma schema's project
    report_paths: set[str] | None  # when files were given: only these display paths are reported
    problems: list[ReadProblem]  # unreadable files and folders outside any set


def discover(paths: Sequence[Path], options: DiscoverOptions, cwd: Path | None = None) -> Discovery:
    """Find every migration set, Prisma schema and application file the paths hold."""
    workspace = _Workspace(Path(os.path.abspath(cwd or os.getcwd())), options)
    for given in paths or [Path(".")]:
        workspace.add(Path(given))
    return workspace.result()


def normalise_dialect(name: str) -> str | None:
    return DIALECTS.get(name.strip().lower())


class _Workspace:
    """Cached listings and reads, and the sets and schemas found so far."""

    def __init__(self, cwd: Path, options: DiscoverOptions) -> None:
        self.cwd = cwd
        self.options = options
        if options.dialect is not None and normalise_dialect(options.dialect) is None:
            raise UserError(f"unknown dialect {options.dialect!r} (expected postgresql, mysql or sqlite)")
        patterns = (pattern.strip().removeprefix("./").rstrip("/") for pattern in options.exclude)
        self.excludes = [re.compile(r"(?:.*/)?" + fnmatch.translate(pattern)) for pattern in patterns if pattern]
        # Caches are keyed by absolute path strings (see `Listing`).
        self._listings: dict[str, Listing | None] = {}
        self._texts: dict[str, SourceFile | ReadProblem] = {}
        self._built: dict[str, MigrationSet | None] = {}
        self._by_real: dict[str, MigrationSet] = {}
        self._schemas: dict[str, PrismaSchemaFiles | None] = {}
        self._seen: set[tuple[int, int]] = set()
        self.claimed: set[str] = set()  # migration directories of a Prisma or Diesel set
        self.sets: dict[str, MigrationSet] = {}  # the sets to lint, by real path of their root
        self.schemas: dict[Path, PrismaSchemaFiles] = {}
        self.problems: list[ReadProblem] = []
        self.explicit: set[str] | None = None  # display paths of the files given
        self.scanned: set[str] = set()  # display paths of every file under the folders given
        self.app_files: list[Path] = []
        self._app_dirs: list[tuple[Listing, list[str]]] = []

    # --- the file system ------------------------------------------------------------------
    def excluded(self, shown: str) -> bool:
        return any(pattern.match(shown) for pattern in self.excludes)

    def _excluded_within(self, shown: str) -> bool:
        """A path given by name is excluded when it or a folder above it matches."""
        prefixes = [shown[:index] for index, char in enumerate(shown) if char == "/" and index]
        return any(self.excluded(prefix) for prefix in [*prefixes, shown])

    def listing(self, where: str, shown: str) -> Listing | None:
        if where in self._listings:
            return self._listings[where]
        files: list[str] = []
        dirs: list[str] = []
        links: list[str] = []
        result: Listing | None = None
        try:
            with os.scandir(where) as entries:
                for entry in entries:
                    name = entry.name
                    if name.startswith(".") or (self.excludes and self.excluded(join_shown(shown, name))):
                        continue
                    try:
                        if entry.is_dir():
                            if name not in SKIPPED_DIRS:
                                dirs.append(name)
                                if entry.is_symlink():
                                    links.append(name)
                        elif entry.is_file():
                            files.append(name)
                        elif entry.is_symlink() and name.endswith((".sql", ".prisma")):
                            self.problems.append(ReadProblem(join_shown(shown, name), "broken symbolic link"))
                    except OSError:
                        continue
            result = Listing(where, shown, tuple(sorted(files)), tuple(sorted(dirs)), frozenset(links))
        except OSError as exc:
            self.problems.append(ReadProblem(shown, f"cannot read directory: {exc.strerror or exc}"))
        self._listings[where] = result
        return result

    def read(self, where: str, shown: str) -> SourceFile | ReadProblem:
        if where not in self._texts:
            self._texts[where] = read_source(where, shown, max_bytes=self.options.max_file_size)
        return self._texts[where]

    def _listing_of(self, path: Path) -> Listing | None:
        return self.listing(str(path), display_path(path, self.cwd))

    def _walk(self, root: str, shown: str) -> Iterator[Listing]:
        """Every folder under root, each parent before its children, each folder once: linked
        folders come last, so a folder is known by its real path rather than by a link."""
        stack = [(root, shown)]
        linked: list[tuple[str, str]] = []
        while stack or linked:
            where, shown = stack.pop() if stack else linked.pop()
            try:
                stat = os.stat(where)
            except OSError:
                continue
            if (stat.st_dev, stat.st_ino) in self._seen:
                continue
            self._seen.add((stat.st_dev, stat.st_ino))
            listing = self.listing(where, shown)
            if listing is not None:
                yield listing
                for name in reversed(listing.dirs):
                    (linked if name in listing.links else stack).append(listing.child(name))

    # --- what the user gave ---------------------------------------------------------------
    def add(self, given: Path) -> None:
        path = Path(os.path.normpath(self.cwd / given))
        if not os.path.exists(path):
            raise UserError(f"path not found: {given}")
        shown = display_path(path, self.cwd)
        if self._excluded_within(shown):
            if not os.path.isdir(path):
                self._mark_explicit([])  # files were given: report only on those not excluded
            return
        if os.path.isdir(path):
            enclosing = self._enclosing_set(path)
            if enclosing is None:
                self._scan(str(path), shown)
                return
            self._keep(enclosing)  # the folder is one migration of a Prisma or Diesel set
            listing = self.listing(str(path), shown)
            self._mark_explicit(join_shown(shown, name) for name in (listing.files if listing else ()))
            return
        self._mark_explicit([shown])
        name = path.name
        if not os.path.isfile(path):
            self.problems.append(ReadProblem(shown, "not a regular file"))
        elif name.endswith(APP_EXTENSIONS):
            self.app_files.append(path)
        elif name.endswith(".prisma"):
            listing = self._listing_of(path.parent)
            schema = self._schema_at(self._schema_root(listing)) if listing else None
            if schema is not None:
                self.schemas[schema.root] = schema
                self._sets_beside(schema)
        elif name.endswith((".sql", ".sql.conf")) or name in (LOCK_FILE, "metadata.toml"):
            migration_set = self._enclosing_set(path.parent) or self._set_at(self._listing_of(path.parent))
            if migration_set is not None:
                self._keep(migration_set)

    def _mark_explicit(self, shown_paths: Iterable[str]) -> None:
        if self.explicit is None:
            self.explicit = set()
        self.explicit.update(shown_paths)

    def _scan(self, root: str, shown: str) -> None:
        for listing in self._walk(root, shown):
            self.scanned.update(join_shown(listing.shown, name) for name in listing.files)
            if listing.where not in self.claimed:
                migration_set = self._set_at(listing)
                if migration_set is not None:
                    self._keep(migration_set)
            if any(name.endswith(".prisma") for name in listing.files):
                schema = self._schema_at(self._schema_root(listing))
                if schema is not None:
                    self.schemas[schema.root] = schema
            apps = [name for name in listing.files if name.endswith(APP_EXTENSIONS)]
            if apps:
                self._app_dirs.append((listing, apps))

    # --- migration sets -------------------------------------------------------------------
    def _set_at(self, listing: Listing | None) -> MigrationSet | None:
        if listing is None:
            return None
        if listing.where in self._built:
            return self._built[listing.where]
        migration_set = build_set(listing, self, self.options.plain_tx)
        if migration_set is not None:
            # The same folder reached through a symbolic link is one set.
            migration_set = self._by_real.setdefault(os.path.realpath(listing.where), migration_set)
            if migration_set.layout in (Layout.PRISMA, Layout.DIRECTORY_PAIRS):
                names = (m.path.rsplit("/", 1)[-1] for m in migration_set.migrations)
                self.claimed.update(os.path.join(listing.where, name) for name in names)
        self._built[listing.where] = migration_set
        return migration_set

    def _enclosing_set(self, directory: Path) -> MigrationSet | None:
        """The Prisma or Diesel set whose migration `directory` is, if it is one."""
        listing = self._listing_of(directory)
        if listing is None or not ("migration.sql" in listing.files or "up.sql" in listing.files):
            return None
        parent = self._listing_of(directory.parent) if directory.parent != directory else None
        if parent is None or directory.name not in parent.dirs:
            return None
        found = migration_dirs(parent, self)
        if found is None or directory.name not in found[1]:
            return None
        return self._set_at(parent)

    def _keep(self, migration_set: MigrationSet) -> None:
        self.sets.setdefault(os.path.realpath(migration_set.root), migration_set)

    # --- Prisma schemas -------------------------------------------------------------------
    def _prisma_names(self, listing: Listing) -> list[str]:
        return [name for name in listing.files if name.endswith(".prisma")]

    def _has_datasource(self, listing: Listing) -> bool:
        for name in self._prisma_names(listing):
            source = self.read(*listing.child(name))
            if isinstance(source, SourceFile) and _DATASOURCE.search(source.text):
                return True
        return False

    def _schema_root(self, listing: Listing) -> Listing:
        """A folder of model files without a datasource belongs to the schema above it."""
        folder = listing.path
        if folder.parent == folder or self._has_datasource(listing):
            return listing
        parent = self._listing_of(folder.parent)
        if parent is not None and folder.name in parent.dirs and self._prisma_names(parent):
            return parent
        return listing

    def _schema_at(self, root: Listing) -> PrismaSchemaFiles | None:
        if root.where in self._schemas:
            return self._schemas[root.where]
        members = [root.child(name) for name in self._prisma_names(root)]
        if members:
            for child_name in root.dirs:
                child = self.listing(*root.child(child_name))
                if child is not None and self._prisma_names(child) and not self._has_datasource(child):
                    members.extend(child.child(name) for name in self._prisma_names(child))
        schema = None
        if members:
            schema = PrismaSchemaFiles(root.path, root.shown, files=[], paths=[Path(where) for where, _ in members])
            for where, shown in members:
                source = self.read(where, shown)
                if isinstance(source, ReadProblem):
                    schema.problems.append(source)
                    continue
                schema.files.append(source)
                block = _DATASOURCE.search(source.text) if schema.provider is None else None
                provider = _PROVIDER.search(block.group(1)) if block else None
                if provider:
                    schema.provider = provider.group(1)
                    schema.dialect = _provider_dialect(schema.provider)[0]
            if schema.provider is None and self.options.dialect:
                schema.dialect = normalise_dialect(self.options.dialect)
        self._schemas[root.where] = schema
        return schema

    def _schema_for_set(self, migration_set: MigrationSet) -> PrismaSchemaFiles | None:
        parent = self._listing_of(migration_set.root.parent)
        if parent is None:
            return None
        if self._prisma_names(parent):
            return self._schema_at(self._schema_root(parent))
        if "schema" in parent.dirs:
            folder = self.listing(*parent.child("schema"))
            if folder is not None and self._prisma_names(folder):
                return self._schema_at(self._schema_root(folder))
        return None

    def _sets_beside(self, schema: PrismaSchemaFiles) -> None:
        """The Prisma migrations of a schema given on its own, loaded for context."""
        homes = [schema.root] + ([schema.root.parent] if schema.root.name == "schema" else [])
        for home in homes:
            listing = self._listing_of(home)
            for name in listing.dirs if listing else ():
                child = self.listing(*listing.child(name))  # type: ignore[union-attr]
                if child is None or not (LOCK_FILE in child.files or name in ("migrations", "migration")):
                    continue
                migration_set = self._set_at(child)
                if migration_set is not None and migration_set.layout is Layout.PRISMA:
                    if self._schema_for_set(migration_set) is schema:
                        self._keep(migration_set)

    # --- the result -----------------------------------------------------------------------
    def result(self) -> Discovery:
        sets = sorted(self.sets.values(), key=lambda s: s.path)
        for migration_set in sets:
            schema = self._schema_for_set(migration_set) if migration_set.layout is Layout.PRISMA else None
            if schema is not None:
                self.schemas[schema.root] = schema
                migration_set.prisma_schema = list(schema.paths)
                migration_set.prisma_provider = schema.provider
                if schema.migration_set is None:
                    schema.migration_set = migration_set
            migration_set.dialect, migration_set.dialect_source = self._dialect(migration_set, schema)
        schemas = sorted(self.schemas.values(), key=lambda s: s.path)
        report = None if self.explicit is None else self.explicit | self.scanned
        return Discovery(sets, schemas, self._app_files(schemas), report, self.problems)

    def _dialect(self, migration_set: MigrationSet, schema: PrismaSchemaFiles | None) -> tuple[str | None, str]:
        if self.options.dialect:
            return normalise_dialect(self.options.dialect), "configuration"
        if migration_set.lock_provider is not None:
            return _described(migration_set.lock_provider, "migration_lock.toml")
        if schema is not None and schema.provider is not None:
            declared_in = next(f.path for f in schema.files if _DATASOURCE.search(f.text))
            return _described(schema.provider, f"datasource provider in {declared_in.rsplit('/', 1)[-1]}")
        folder = migration_set.root
        for _ in range(64):
            if os.path.exists(folder / ".git"):
                break  # the repository's own name says nothing about its database
            if folder.name.lower() in DIALECTS:
                return DIALECTS[folder.name.lower()], f"folder name '{folder.name}'"
            if folder.parent == folder:
                break
            folder = folder.parent
        from linter.sniff import sniff_dialect  # its patterns cost ~0.7 ms: only where nothing else says

        dialect, evidence = sniff_dialect(m.up.text for m in migration_set.migrations if m.up is not None)
        if dialect is not None:
            return dialect, f"SQL only {dialect} accepts ({evidence})"
        return None, (
            "no dialect configured, no Prisma lock file or datasource, no folder named after a database, "
            f"and the SQL is not clear ({evidence})"
        )

    def _app_files(self, schemas: list[PrismaSchemaFiles]) -> list[Path]:
        found = dict.fromkeys(self.app_files)
        projects = []
        for schema in schemas:
            project = schema.root.parent if schema.root.name == "schema" else schema.root
            projects.append(project.parent if project.name == "prisma" else project)
        for listing, names in self._app_dirs:
            for project in projects:
                if listing.path.is_relative_to(project):
                    if not APP_SKIPPED_DIRS.intersection(listing.path.relative_to(project).parts):
                        found.update(dict.fromkeys(listing.path / name for name in names))
                    break
            if len(found) >= MAX_APP_FILES:
                break
        return sorted(found)[:MAX_APP_FILES]


def _provider_dialect(provider: str) -> tuple[str | None, str]:
    name = provider.strip().lower()
    if name == "cockroachdb":
        return "postgresql", " (provider 'cockroachdb', read as PostgreSQL)"
    if name in ("postgresql", "postgres", "mysql", "mariadb", "sqlite", "sqlite3"):
        return DIALECTS[name], ""
    return None, f": provider '{provider}' is not a SQL dialect dbvet reads (postgresql, mysql, sqlite)"


def _described(provider: str, source: str) -> tuple[str | None, str]:
    dialect, note = _provider_dialect(provider)
    return dialect, source + note
