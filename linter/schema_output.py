"""`dbvet schema`: the schema each migration set produces, or a Prisma schema describes, printed
as JSON facts, a Mermaid ER diagram or a Markdown data dictionary.

`collect_schemas` finds the inputs as `dbvet check` does and replays every migration set with
no rule enabled. A Prisma schema that has its migrations beside it is not printed on its own:
the replay of those migrations is what the database holds (R005 reports where the two
differ). A Prisma schema without migrations is printed as Prisma Migrate would create it.
The renderers live in `schema_output_json`, `schema_output_mermaid` and
`schema_output_markdown`; all three start from `schema_facts`, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from linter.errors import UserError
from linter.findings import Finding
from linter.records import Record, field
from linter.schema import DIALECTS, Schema
from linter.schema_output_json import schema_facts

if TYPE_CHECKING:
    from linter.config import Config
    from linter.rule import Rule

__all__ = ["SCHEMA_FORMATS", "SchemaSource", "collect_schemas", "render_schemas", "schema_facts"]

SCHEMA_FORMATS = ("json", "mermaid", "markdown")


class SchemaSource(Record, eq=False):
    """One schema to print."""

    path: str  # display path of the migration set or of the Prisma schema's folder
    kind: str  # "migrations" | "prisma"
    schema: Schema
    dialect: str | None
    # Why the schema may be incomplete: unreadable files (E003), syntax errors (E001, E002),
    # an unknown dialect (E004); sorted. The command shows them on stderr.
    problems: list[Finding] = field(default_factory=list)


def collect_schemas(
    paths: Sequence[Path], config: Config, rules: Mapping[str, type[Rule]], cwd: Path | None = None
) -> list[SchemaSource]:
    """Every schema under `paths`, sorted by display path."""
    from linter.context import Settings
    from linter.discover import discover
    from linter.engine import Linter
    from linter.run import discovery_options

    cwd = cwd or Path.cwd()
    discovery = discover(paths, discovery_options(config), cwd=cwd)
    linter = Linter(rules=dict(rules), enabled=[], settings=Settings(pg_version=config.pg_version))
    found = linter.collector.findings
    sources = []
    for migration_set in discovery.sets:
        start = len(found)
        schema = linter.lint_set(migration_set)
        sources.append(
            SchemaSource(migration_set.path, "migrations", schema, migration_set.dialect, _sorted(found[start:]))
        )
    for prisma in discovery.prisma_schemas:
        if prisma.migration_set is not None:
            continue
        start = len(found)
        for problem in prisma.problems:
            linter.read_problem(problem)
        if prisma.files:
            # Without a datasource provider, the configured dialect decides (discovery put it
            # in `prisma.dialect`); `to_schema` falls back to PostgreSQL, as Prisma does not.
            provider = prisma.provider or prisma.dialect
            _, schema = linter.lint_prisma(prisma.files, None, provider)
        else:
            schema = Schema(dialect=prisma.dialect)
        dialect = schema.dialect if schema.dialect in DIALECTS else prisma.dialect
        sources.append(SchemaSource(prisma.path, "prisma", schema, dialect, _sorted(found[start:])))
    return sorted(sources, key=lambda source: source.path)


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda finding: finding.sort_key)


def render_schemas(sources: list[SchemaSource], fmt: str) -> str:
    """The whole output of `dbvet schema --format fmt` for these schemas."""
    if fmt == "json":
        from linter.schema_output_json import render_json

        return render_json(sources)
    if fmt == "mermaid":
        from linter.schema_output_mermaid import render_mermaid

        return render_mermaid(sources)
    if fmt == "markdown":
        from linter.schema_output_markdown import render_markdown

        return render_markdown(sources)
    raise UserError(f"unknown schema format {fmt!r} (expected {', '.join(SCHEMA_FORMATS)})")
