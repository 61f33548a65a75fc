"""Every Prisma schema of the real-world corpus parses without error and converts.

Table counts are checked against the models counted independently with a regular expression,
plus the implicit many-to-many join tables each schema has (counted from Prisma's own DMMF,
`@prisma/prisma-schema-wasm`, when these expectations were written).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from linter.prisma import parse_prisma, to_schema
from linter.source import SourceFile, read_source

# schema folder (relative to the corpus) -> (dialect, implicit many-to-many tables)
SCHEMAS = {
    "documenso__documenso/packages/prisma": ("postgresql", 0),
    "dubinc__dub/apps/web/prisma/schema": ("mysql", 0),
    "epicweb-dev__epic-stack/prisma": ("sqlite", 2),
    "formbricks__formbricks/packages/database/schema": ("postgresql", 0),
    "langfuse__langfuse/packages/shared/prisma": ("postgresql", 0),
    "triggerdotdev__trigger.dev/internal-packages/database/prisma": ("postgresql", 4),
    "triggerdotdev__trigger.dev/internal-packages/run-ops-database/prisma": ("postgresql", 0),
    "umami-software__umami/db/mysql": ("mysql", 0),
    "umami-software__umami/prisma": ("postgresql", 0),
}
_MODEL = re.compile(r"^model\s+[A-Za-z0-9_]+\s*\{", re.MULTILINE)
_ENUM = re.compile(r"^enum\s+[A-Za-z0-9_]+\s*\{", re.MULTILINE)


def _schema_folders(corpus: Path) -> dict[str, list[Path]]:
    folders: dict[str, list[Path]] = {}
    for path in sorted(corpus.rglob("*.prisma")):
        folders.setdefault(path.parent.relative_to(corpus).as_posix(), []).append(path)
    return folders


def _read(paths: list[Path]) -> list[SourceFile]:
    files = []
    for path in paths:
        file = read_source(path)
        assert isinstance(file, SourceFile), file
        files.append(file)
    return files


def test_the_corpus_holds_the_expected_schemas(corpus: Path):
    folders = _schema_folders(corpus)
    assert sorted(folders) == sorted(SCHEMAS)
    assert len(folders["dubinc__dub/apps/web/prisma/schema"]) == 37
    assert len(folders["formbricks__formbricks/packages/database/schema"]) == 2


@pytest.mark.parametrize("folder", sorted(SCHEMAS))
def test_corpus_schema_parses_and_converts(corpus: Path, folder: str):
    files = _read(_schema_folders(corpus)[folder])
    document = parse_prisma(files)
    assert [(e.span.path, e.span.start, e.message) for e in document.errors] == []
    dialect, join_tables = SCHEMAS[folder]
    schema = to_schema(document)
    assert schema.dialect == dialect
    models = sum(len(_MODEL.findall(file.text)) for file in files)
    assert len(document.models) == models
    assert len(schema.tables) == models + join_tables
    if dialect == "postgresql":
        assert len(schema.enums) == sum(len(_ENUM.findall(file.text)) for file in files)
    for table in schema.tables.values():
        assert table.span is not None and table.source is not None
        for column in table.columns.values():
            assert column.span is not None and column.source is not None
        for index in table.indexes.values():
            assert index.name and index.span is not None


def test_epic_stack_schema_matches_its_migration(corpus: Path):
    """The one migration of epic-stack was generated from this schema: same tables."""
    folder = corpus / "epicweb-dev__epic-stack/prisma"
    schema = to_schema(parse_prisma(_read([folder / "schema.prisma"])))
    (migration,) = sorted(folder.glob("migrations/*/migration.sql"))
    created = re.findall(r'CREATE TABLE "([^"]+)"', migration.read_text(encoding="utf-8"))
    assert sorted(table.name for table in schema.tables.values()) == sorted(created)
    indexes = re.findall(r'CREATE (?:UNIQUE )?INDEX "([^"]+)"', migration.read_text(encoding="utf-8"))
    assert sorted(name for table in schema.tables.values() for name in table.indexes) == sorted(indexes)


def test_dub_folder_keeps_each_block_in_its_own_file(corpus: Path):
    folder = "dubinc__dub/apps/web/prisma/schema"
    files = _read(_schema_folders(corpus)[folder])
    document = parse_prisma(files)
    link = next(block for block in document.models if block.name == "Link")
    assert link.file.path.endswith("/link.prisma")
    assert document.provider == "mysql"
    assert document.config_string("relationMode") == "prisma"
    assert all(not table.foreign_keys for table in to_schema(document).tables.values())
