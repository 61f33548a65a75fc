"""Discovery over the real projects of ../shared/corpus: every set, its layout, dialect and size.

Counts come from the corpus's LAYOUTS.md and MANIFEST.md: lemmy's 342 directory pairs,
openmeter's 269 pairs, harness's 209 ups and 180 down files in postgres/ (one down is a typo
no up pairs with), UPchieve's 282 dbmate files (3 with an indented down marker), …
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from linter.discover import DiscoverOptions, discover
from linter.migrations import Layout, TxMode

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"

PRISMA, PAIRS, UPDOWN = Layout.PRISMA, Layout.DIRECTORY_PAIRS, Layout.GOLANG_MIGRATE
DBMATE, FLYWAY, PLAIN = Layout.DBMATE, Layout.FLYWAY, Layout.PLAIN
WRAPPED, IMPLICIT, NONE = TxMode.WRAPPED, TxMode.IMPLICIT, TxMode.NONE

# (set path, layout, dialect, migrations, migrations with a down, tx mode, misnamed entries)
EXPECTED_SETS = {
    "LemmyNet__lemmy": [("migrations", PAIRS, "postgresql", 342, 342, WRAPPED, 0)],
    "UPchieve__subway": [("database/migrations", DBMATE, "postgresql", 282, 279, WRAPPED, 3)],
    "authelia__authelia": [
        ("internal/storage/migrations/mysql", UPDOWN, "mysql", 26, 26, WRAPPED, 0),
        ("internal/storage/migrations/postgres", UPDOWN, "postgresql", 26, 26, WRAPPED, 0),
        ("internal/storage/migrations/sqlite", UPDOWN, "sqlite", 26, 26, WRAPPED, 0),
    ],
    "documenso__documenso": [("packages/prisma/migrations", PRISMA, "postgresql", 163, 0, IMPLICIT, 0)],
    "dubinc__dub": [],
    "epicweb-dev__epic-stack": [("prisma/migrations", PRISMA, "sqlite", 1, 0, IMPLICIT, 0)],
    "formbricks__formbricks": [("packages/database/migration", PRISMA, "postgresql", 167, 0, IMPLICIT, 0)],
    "harness__harness": [
        # 4 `_up.sql`/`_down.sql` pairs and one down whose stem has a typo, per folder.
        ("app/store/database/migrate/postgres", UPDOWN, "postgresql", 209, 179, WRAPPED, 9),
        ("app/store/database/migrate/sqlite", UPDOWN, "sqlite", 206, 179, WRAPPED, 9),
    ],
    "kestra-io__kestra": [
        ("jdbc-mysql/src/main/resources/migrations/mysql", FLYWAY, "mysql", 24, 0, WRAPPED, 0),
        ("jdbc-postgres/src/main/resources/migrations/postgres", FLYWAY, "postgresql", 26, 0, WRAPPED, 0),
    ],
    # Two `… copy` folders, an 8-digit version and two folders named `….sql`.
    "langfuse__langfuse": [("packages/shared/prisma/migrations", PRISMA, "postgresql", 434, 0, IMPLICIT, 5)],
    "openmeterio__openmeter": [("tools/migrate/migrations", UPDOWN, "postgresql", 269, 269, IMPLICIT, 0)],
    "supabase__postgres": [
        ("migrations/db/init-scripts", DBMATE, "postgresql", 4, 4, WRAPPED, 0),
        ("migrations/db/migrations", DBMATE, "postgresql", 30, 30, WRAPPED, 0),
    ],
    "triggerdotdev__trigger.dev": [
        ("internal-packages/database/prisma/migrations", PRISMA, "postgresql", 820, 0, IMPLICIT, 0),
        ("internal-packages/run-ops-database/prisma/migrations", PRISMA, "postgresql", 3, 0, IMPLICIT, 0),
    ],
    "umami-software__umami": [
        ("db/mysql/migrations", PRISMA, "mysql", 13, 0, IMPLICIT, 0),
        ("db/postgresql/data-migrations", PLAIN, "postgresql", 2, 0, NONE, 0),
        ("prisma/migrations", PRISMA, "postgresql", 19, 0, IMPLICIT, 0),
    ],
}

# (schema folder, .prisma files, provider, the migrations it sits beside)
EXPECTED_SCHEMAS = {
    "documenso__documenso": [("packages/prisma", 1, "postgresql", "packages/prisma/migrations")],
    "dubinc__dub": [("apps/web/prisma/schema", 37, "mysql", None)],
    "epicweb-dev__epic-stack": [("prisma", 1, "sqlite", "prisma/migrations")],
    "formbricks__formbricks": [("packages/database/schema", 2, "postgresql", "packages/database/migration")],
    "langfuse__langfuse": [("packages/shared/prisma", 1, "postgresql", "packages/shared/prisma/migrations")],
    "triggerdotdev__trigger.dev": [
        ("internal-packages/database/prisma", 1, "postgresql", "internal-packages/database/prisma/migrations"),
        (
            "internal-packages/run-ops-database/prisma",
            1,
            "postgresql",
            "internal-packages/run-ops-database/prisma/migrations",
        ),
    ],
    "umami-software__umami": [
        ("db/mysql", 1, "mysql", "db/mysql/migrations"),
        ("prisma", 1, "postgresql", "prisma/migrations"),
    ],
}


@pytest.fixture(scope="module")
def corpus() -> Path:
    if not CORPUS.is_dir():
        if os.environ.get("DBVET_REQUIRE_CORPUS") == "1":
            pytest.fail(f"corpus not found at {CORPUS} and DBVET_REQUIRE_CORPUS=1")
        pytest.skip(f"real-world corpus not found at {CORPUS} (set DBVET_REQUIRE_CORPUS=1 to require it)")
    return CORPUS.resolve()


def test_corpus_holds_the_expected_projects(corpus: Path) -> None:
    assert sorted(p.name for p in corpus.iterdir() if p.is_dir()) == sorted(EXPECTED_SETS)


@pytest.mark.parametrize("project", sorted(EXPECTED_SETS))
def test_corpus_sets(corpus: Path, project: str) -> None:
    root = corpus / project
    found = discover([], DiscoverOptions(), cwd=root)
    summary = []
    for migration_set in found.sets:
        modes = {migration.tx for migration in migration_set.migrations}
        assert len(modes) == 1, (migration_set.path, modes)
        summary.append(
            (
                migration_set.path,
                migration_set.layout,
                migration_set.dialect,
                len(migration_set.migrations),
                sum(1 for migration in migration_set.migrations if migration.down is not None),
                modes.pop(),
                len(migration_set.misnamed),
            )
        )
    assert summary == EXPECTED_SETS[project]
    schemas = [
        (schema.path, len(schema.files), schema.provider, schema.migration_set.path if schema.migration_set else None)
        for schema in found.prisma_schemas
    ]
    assert schemas == EXPECTED_SCHEMAS.get(project, [])
    assert (found.problems, found.app_files, found.report_paths) == ([], [], None)
    assert [problem for s in found.sets for problem in s.problems] == []
    # No SQL file goes unaccounted for: each is part of a migration or recorded as misnamed.
    accounted = {path for s in found.sets for m in s.migrations for path in m.files}
    accounted |= {path for s in found.sets for path, _ in s.misnamed}
    on_disk = {p.relative_to(root).as_posix() for p in root.rglob("*.sql") if p.is_file()}
    assert on_disk - accounted == set()


def test_corpus_given_files_load_their_sets(corpus: Path) -> None:
    """As pre-commit passes files: each brings in its whole set, and only they are reported."""
    given = [
        "langfuse__langfuse/packages/shared/prisma/migrations/20250625_add_pivot_table_charttype/migration.sql",
        "LemmyNet__lemmy/migrations/2019-02-26-002946_create_user/down.sql",
        "dubinc__dub/apps/web/prisma/schema/link.prisma",
        "formbricks__formbricks/packages/database/schema/workflows.prisma",
        "UPchieve__subway/database/migrations/20211026205335_create_cities_table.sql",
    ]
    found = discover([Path(p) for p in given], DiscoverOptions(), cwd=corpus)
    assert [(s.path, len(s.migrations)) for s in found.sets] == [
        ("LemmyNet__lemmy/migrations", 342),
        ("UPchieve__subway/database/migrations", 282),
        ("formbricks__formbricks/packages/database/migration", 167),
        ("langfuse__langfuse/packages/shared/prisma/migrations", 434),
    ]
    assert [(s.path, len(s.files)) for s in found.prisma_schemas] == [
        ("dubinc__dub/apps/web/prisma/schema", 37),
        ("formbricks__formbricks/packages/database/schema", 2),
        ("langfuse__langfuse/packages/shared/prisma", 1),
    ]
    assert found.report_paths == set(given)
