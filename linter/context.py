"""What a rule sees: the schema, where it is in the history, and a way to report."""

from __future__ import annotations

from typing import Any

from linter.actions import Statement
from linter.findings import Edit, Finding, Severity, Span, locate
from linter.migrations import Migration, MigrationSet
from linter.records import Record, field
from linter.rule import Rule
from linter.schema import Name, Schema, Table


class Settings(Record):
    """Run-wide facts rules may depend on."""

    pg_version: int = 14
    max_file_size: int = 10 * 1024 * 1024


class Collector(Record, eq=False):
    """Turns rule reports into findings, with the severity the configuration gives."""

    severity: dict[str, Severity]
    findings: list[Finding] = field(default_factory=list)

    def add(
        self,
        rule: type[Rule] | Rule,
        span: Span,
        message: str,
        *,
        lock: str | None = None,
        fix: str | None = None,
        edits: tuple[Edit, ...] = (),
        anchor: Span | None = None,
    ) -> None:
        line, column, end_line, end_column = locate(span)
        anchors = {line, line - 1}
        if anchor is not None:
            # A statement rule's finding often starts where its statement does: same line.
            same_start = anchor.start == span.start and anchor.file is span.file
            first = line if same_start else anchor.file.position(anchor.start).line
            anchors.update((first, first - 1))
        self.findings.append(
            Finding(
                rule=rule.id,
                name=rule.name,
                severity=self.severity.get(rule.id, rule.severity),
                message=message,
                path=span.path,
                line=line,
                column=column,
                end_line=end_line,
                end_column=end_column,
                lock=lock,
                fix=fix,
                edits=edits,
                anchor_lines=tuple(sorted(n for n in anchors if n > 0)),
                statement=(anchor.start, anchor.end) if anchor is not None and anchor.path == span.path else None,
            )
        )


class RuleContext(Record, eq=False):
    """Shared by every kind of rule; the engine sets `rule` and `options` before each call."""

    collector: Collector
    settings: Settings
    dialect: str | None
    migration_set: MigrationSet | None = None
    rule: type[Rule] | None = None
    options: dict[str, Any] = field(default_factory=dict)

    def report(
        self,
        span: Span,
        message: str,
        *,
        lock: str | None = None,
        fix: str | None = None,
        edits: tuple[Edit, ...] = (),
    ) -> None:
        assert self.rule is not None
        self.collector.add(self.rule, span, message, lock=lock, fix=fix, edits=edits, anchor=self.anchor)

    @property
    def anchor(self) -> Span | None:
        return None


class StatementContext(RuleContext):
    """For statement rules: the schema as it was just before the action being judged."""

    schema: Schema = field(default_factory=Schema)
    migration: Migration | None = None
    statement: Statement | None = None
    statements: list[Statement] = field(default_factory=list)  # the whole file, in order
    position: int = 0  # index of `statement` in `statements`

    @property
    def anchor(self) -> Span | None:
        return self.statement.span if self.statement is not None else None

    def table(self, ref: Name) -> Table | None:
        return self.schema.table(ref)

    def is_new_table(self, ref: Name) -> bool:
        """Created earlier in this migration, or by a migration new in the change.

        A table the replay does not know was created outside what dbvet can see, so it counts
        as existing: that is what a reviewer assumes of `ALTER TABLE orders …` in a lone file.
        """
        table = self.schema.table(ref)
        if table is None:
            return False
        return table.created.migration is self.migration or table.created.in_change

    def is_new(self, obj) -> bool:
        """Whether a schema object (table, column, index, constraint, enum) was created earlier
        in this migration or by a migration new in the change: nothing deployed depends on it."""
        created = getattr(obj, "created", None)
        if created is None:
            return False
        return created.migration is self.migration or created.in_change

    @property
    def earlier_statements(self) -> list[Statement]:
        return self.statements[: self.position]

    @property
    def later_statements(self) -> list[Statement]:
        return self.statements[self.position + 1 :]


class SchemaContext(RuleContext):
    """For schema rules: the final schema of a migration set, or a Prisma schema."""

    from_prisma: bool = False
    prisma_document: Any = None
    # For a Prisma schema: what its migration set builds (linter.drift.Migrated), when the set
    # has a known dialect and every up migration parsed (a replay missing failed statements
    # would make everything they create look like drift). None otherwise.
    migrated: Any = None


class SetContext(RuleContext):
    """For set rules: the migration set and each migration's parsed statements."""

    parsed: dict[int, Any] = field(default_factory=dict)  # id(Part) -> ParsedPart
    # id(Migration) -> what its down leaves different from before its up (see linter.reversal)
    reversals: dict[int, list[str]] = field(default_factory=dict)

    def statements_of(self, part) -> list[Statement] | None:
        parsed = self.parsed.get(id(part))
        return parsed.statements if parsed is not None else None
