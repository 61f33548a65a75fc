"""Every PostgreSQL migration file of the real-world corpus goes through the front-end.

dbmate files are parsed per section (`-- migrate:up` / `-- migrate:down` at column 0), as
dbmate runs them. The syntax errors listed are real: MySQL statements in a umami script,
a MySQL `DROP INDEX … ON` in harness, and UPchieve files whose indented down marker dbmate
does not recognise (so the up section runs on into the down statements).
"""

from __future__ import annotations

import re
from pathlib import Path

from linter.dialects.postgres import parse_part
from linter.migrations import Part
from linter.source import SourceFile, read_source

# folder (relative to the corpus) -> statements parsed from its .sql files
POSTGRES_SETS = {
    "documenso__documenso": 766,
    "formbricks__formbricks": 891,
    "triggerdotdev__trigger.dev": 2416,
    "langfuse__langfuse": 1117,
    "umami-software__umami/prisma": 177,
    "umami-software__umami/db/postgresql": 2,
    "LemmyNet__lemmy": 5027,
    "harness__harness/app/store/database/migrate/postgres": 935,
    "openmeterio__openmeter": 2689,
    "authelia__authelia/internal/storage/migrations/postgres": 332,
    "UPchieve__subway": 2204,
    "supabase__postgres": 227,
    "kestra-io__kestra/jdbc-postgres": 177,
}
DBMATE_SETS = ("UPchieve__subway", "supabase__postgres")
SYNTAX_ERRORS = [
    (
        "umami-software__umami/db/postgresql/data-migrations/convert-utm-clid-columns.sql",
        37,
        8,
        'syntax error at or near "`"',
    ),
    (
        "umami-software__umami/db/postgresql/data-migrations/populate-revenue-table.sql",
        25,
        13,
        'syntax error at or near "`"',
    ),
    (
        "harness__harness/app/store/database/migrate/postgres/0029_create_index_job_job_group_id_down.sql",
        1,
        25,
        'syntax error at or near "ON"',
    ),
    (
        "UPchieve__subway/database/migrations/20211026205335_create_cities_table.sql",
        13,
        5,
        'syntax error at or near "DROP"',
    ),
    (
        "UPchieve__subway/database/migrations/20220124171208_add_foreign_key_constraints.sql",
        9,
        9,
        'syntax error at or near "ALTER"',
    ),
    (
        "UPchieve__subway/database/migrations/20220701142259_add_response_display_text.sql",
        5,
        9,
        'syntax error at or near "ALTER"',
    ),
    (
        "UPchieve__subway/database/migrations/20240403012341_add-progress-report-prompts.sql",
        23,
        20,
        'syntax error at or near "NOT"',
    ),
    (
        "UPchieve__subway/database/migrations/20240910010753_add_email_template_id_to_notifications.sql",
        7,
        45,
        'syntax error at or near "text"',
    ),
]
_DBMATE_MARKER = re.compile(r"^-- migrate:(?:up|down)\b[^\r\n]*", re.MULTILINE)


def _parts(file: SourceFile, dbmate: bool) -> list[Part]:
    markers = list(_DBMATE_MARKER.finditer(file.text)) if dbmate else []
    if not markers:
        return [Part(file)]
    ends = [marker.start() for marker in markers[1:]] + [len(file.text)]
    return [Part(file, marker.end(), end) for marker, end in zip(markers, ends)]


def test_every_postgres_file_parses_without_exception(corpus: Path):
    counts: dict[str, int] = {}
    problems = []
    for folder in POSTGRES_SETS:
        counts[folder] = 0
        files = sorted(path for path in (corpus / folder).rglob("*.sql") if path.is_file())
        assert files, folder
        for path in files:
            source = read_source(path, shown=path.relative_to(corpus).as_posix())
            assert isinstance(source, SourceFile), source
            for part in _parts(source, folder in DBMATE_SETS):
                parsed = parse_part(part)
                counts[folder] += len(parsed.statements)
                for error in parsed.errors:
                    position = source.position(error.span.start)
                    problems.append((source.path, position.line, position.column, error.message))
    assert counts == POSTGRES_SETS
    assert problems == SYNTAX_ERRORS
