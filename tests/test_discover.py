"""Discovery's outer behaviour: files given one by one, excludes, bad files, links, app files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from harness import write_tree as write

from linter.discover import DiscoverOptions, discover
from linter.errors import UserError
from linter.migrations import Layout
from linter.source import ReadProblem

PRISMA_SCHEMA = 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    write(
        tmp_path,
        {
            "prisma/schema.prisma": PRISMA_SCHEMA,
            "prisma/migrations/migration_lock.toml": 'provider = "postgresql"\n',
            "prisma/migrations/20240101000000_init/migration.sql": "CREATE TABLE a (id int);\n",
            "prisma/migrations/20240102000000_more/migration.sql": "CREATE TABLE b (id int);\n",
            "prisma/migrations/20240102000000_more/down.sql": "DROP TABLE b;\n",
            "db/golang/1_a.up.sql": "SELECT 1;\n",
            "db/golang/1_a.down.sql": "SELECT -1;\n",
            "db/golang/2_b.up.sql": "SELECT 2;\n",
            "scripts/one-off.sql": "SELECT 42;\n",
            "src/app.ts": "export const a = 1;\n",
        },
    )
    return tmp_path


def run(cwd: Path, *paths: str, **options) -> object:
    return discover([Path(p) for p in paths], DiscoverOptions(**options), cwd=cwd)


def set_paths(found) -> list[str]:
    return [s.path for s in found.sets]


def test_directory_scan_reports_everything(project: Path) -> None:
    found = run(project)
    assert set_paths(found) == ["db/golang", "prisma/migrations", "scripts"]
    assert [s.layout for s in found.sets] == [Layout.GOLANG_MIGRATE, Layout.PRISMA, Layout.PLAIN]
    assert found.report_paths is None
    assert found.app_files == [project / "src/app.ts"]
    assert [s.path for s in found.prisma_schemas] == ["prisma"]
    assert found.problems == []


def test_given_files_load_their_whole_set(project: Path) -> None:
    migration = "prisma/migrations/20240102000000_more/down.sql"
    found = run(project, migration, "prisma/schema.prisma", migration, "./db/golang/2_b.up.sql")
    assert set_paths(found) == ["db/golang", "prisma/migrations"]
    prisma_set = found.sets[1]
    assert [m.version for m in prisma_set.migrations] == ["20240101000000", "20240102000000"]
    assert prisma_set.prisma_schema == [project / "prisma/schema.prisma"]
    assert [(s.path, s.migration_set) for s in found.prisma_schemas] == [("prisma", prisma_set)]
    assert found.report_paths == {migration, "prisma/schema.prisma", "db/golang/2_b.up.sql"}
    assert found.app_files == []


def test_given_schema_alone_brings_its_migrations(project: Path) -> None:
    found = run(project, "prisma/schema.prisma")
    assert set_paths(found) == ["prisma/migrations"]
    assert found.prisma_schemas[0].migration_set is found.sets[0]
    assert found.report_paths == {"prisma/schema.prisma"}


def test_given_lock_file_and_app_file(project: Path) -> None:
    found = run(project, "prisma/migrations/migration_lock.toml", "src/app.ts")
    assert set_paths(found) == ["prisma/migrations"]
    assert found.app_files == [project / "src/app.ts"]
    assert found.report_paths == {"prisma/migrations/migration_lock.toml", "src/app.ts"}


def test_given_migration_directory_is_one_migration_of_its_set(project: Path) -> None:
    found = run(project, "prisma/migrations/20240102000000_more")
    assert set_paths(found) == ["prisma/migrations"]
    assert found.report_paths == {
        "prisma/migrations/20240102000000_more/down.sql",
        "prisma/migrations/20240102000000_more/migration.sql",
    }


def test_standalone_file_is_a_plain_set_of_one(project: Path) -> None:
    found = run(project / "scripts", "one-off.sql")
    [migration_set] = found.sets
    assert (migration_set.path, migration_set.layout, [m.path for m in migration_set.migrations]) == (
        ".",
        Layout.PLAIN,
        ["one-off.sql"],
    )
    assert found.report_paths == {"one-off.sql"}


def test_files_and_folders_together_do_not_duplicate_sets(project: Path) -> None:
    found = run(project, "prisma/migrations/20240101000000_init/migration.sql", "prisma", ".")
    assert set_paths(found) == ["db/golang", "prisma/migrations", "scripts"]
    assert len(found.prisma_schemas) == 1
    # A folder given with the files: everything under it is reported too.
    assert found.report_paths == {
        "db/golang/1_a.down.sql",
        "db/golang/1_a.up.sql",
        "db/golang/2_b.up.sql",
        "prisma/migrations/20240101000000_init/migration.sql",
        "prisma/migrations/20240102000000_more/down.sql",
        "prisma/migrations/20240102000000_more/migration.sql",
        "prisma/migrations/migration_lock.toml",
        "prisma/schema.prisma",
        "scripts/one-off.sql",
        "src/app.ts",
    }


def test_missing_path_is_a_user_error(project: Path) -> None:
    with pytest.raises(UserError, match=r"^path not found: nope/x\.sql$"):
        run(project, "nope/x.sql")


def test_unknown_configured_dialect_is_a_user_error(project: Path) -> None:
    with pytest.raises(UserError, match=r"^unknown dialect 'oracle' \(expected postgresql, mysql or sqlite\)$"):
        run(project, dialect="oracle")


def test_excludes_match_paths_and_suffixes(project: Path) -> None:
    assert set_paths(run(project, exclude=("golang",))) == ["prisma/migrations", "scripts"]
    assert set_paths(run(project, exclude=("db/*", "scripts/"))) == ["prisma/migrations"]
    only_up = run(project, exclude=("*.down.sql",))
    assert [m.down for m in only_up.sets[0].migrations] == [None, None]
    # An excluded file given by name is not reported, nor is anything else.
    found = run(project, "scripts/one-off.sql", exclude=("scripts",))
    assert (found.sets, found.report_paths) == ([], set())


def test_skipped_and_hidden_folders(project: Path) -> None:
    write(
        project,
        {
            "node_modules/pkg/migrations/1_x.up.sql": "SELECT 1;\n",
            ".hidden/1.sql": "SELECT 1;\n",
            "venv/lib/1.sql": "SELECT 1;\n",
            "app/__pycache__/1.sql": "SELECT 1;\n",
        },
    )
    assert set_paths(run(project)) == ["db/golang", "prisma/migrations", "scripts"]


def test_unreadable_files_become_problems(project: Path) -> None:
    write(
        project,
        {
            "db/golang/3_bin.up.sql": b"\x00\x01binary",
            "db/golang/4_latin.up.sql": "SELECT 'café';\n".encode("latin-1"),
            "db/golang/5_big.up.sql": "SELECT 1;" + " " * 100 + "\n",
            "db/golang/6_empty.up.sql": "",
        },
    )
    found = run(project, "db/golang", max_file_size=64)
    [migration_set] = found.sets
    assert [(m.version, m.up is None) for m in migration_set.migrations] == [
        ("1", False),
        ("2", False),
        ("3", True),
        ("4", True),
        ("5", True),
        ("6", False),
    ]
    assert migration_set.problems == [
        ReadProblem("db/golang/3_bin.up.sql", "binary file (contains NUL bytes); expected UTF-8 text"),
        ReadProblem("db/golang/4_latin.up.sql", "not valid UTF-8 (byte 0xe9 at offset 11); re-save the file as UTF-8"),
        ReadProblem("db/golang/5_big.up.sql", "file is 110 bytes, over the 64-byte limit (option max-file-size)"),
    ]


def test_unreadable_prisma_schema_file(project: Path) -> None:
    write(project, {"prisma/schema.prisma": b"\xff\xfe"})
    [schema] = run(project).prisma_schemas
    assert (schema.files, schema.provider) == ([], None)
    assert schema.problems == [
        ReadProblem("prisma/schema.prisma", "UTF-16 text; dbvet reads UTF-8 only (re-save the file as UTF-8)")
    ]


def test_symlink_loops_and_duplicates_end(project: Path) -> None:
    os.symlink("..", project / "db/golang/loop")
    os.symlink("golang", project / "db/again")
    os.symlink("missing.sql", project / "scripts/broken.sql")
    found = run(project)
    assert set_paths(found) == ["db/golang", "prisma/migrations", "scripts"]
    assert found.problems == [ReadProblem("scripts/broken.sql", "broken symbolic link")]


def test_app_files_beside_a_prisma_schema_are_bounded_to_its_project(project: Path) -> None:
    write(
        project,
        {
            "src/lib/db.tsx": "x\n",
            "src/worker.mjs": "x\n",
            "dist/app.js": "x\n",
            "build/app.cjs": "x\n",
            "src/.next/page.js": "x\n",
            "node_modules/pkg/index.js": "x\n",
            "README.md": "x\n",
            "other/package/prisma/schema.prisma": PRISMA_SCHEMA,
            "other/package/src/query.ts": "x\n",
        },
    )
    found = run(project)
    assert [p.relative_to(project).as_posix() for p in found.app_files] == [
        "other/package/src/query.ts",
        "src/app.ts",
        "src/lib/db.tsx",
        "src/worker.mjs",
    ]


def test_no_app_files_without_a_prisma_schema(tmp_path: Path) -> None:
    write(tmp_path, {"src/app.ts": "x\n", "migrations/1.sql": "SELECT 1;\n"})
    assert run(tmp_path).app_files == []


def test_unreadable_folder_is_a_problem(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = str(project / "db/golang")
    real_scandir = os.scandir

    def scandir(path):
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = run(project)
    assert set_paths(found) == ["prisma/migrations", "scripts"]
    assert found.problems == [ReadProblem("db/golang", "cannot read directory: Permission denied")]


def test_relative_working_directory(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    found = discover([Path("db")], DiscoverOptions(), cwd=Path("."))
    assert [(s.root, s.path) for s in found.sets] == [(project / "db/golang", "db/golang")]
