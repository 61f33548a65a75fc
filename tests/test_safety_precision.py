"""Precision of the S and D rules on real migrations (issue 5, item 5).

Over every PostgreSQL migration set of the corpus, with the default configuration:
- no S or D finding on a table, index or enum created earlier in the same file, nor a D finding on
  a column created there (asked of dbvet's replay, statement by statement, not of the rules' own
  bookkeeping; a column just added to an existing table still sits in a full table, so S rules
  may speak about it);
- none inside a down migration (golang-migrate `.down.sql`, Diesel `down.sql`, dbmate's
  `-- migrate:down` section): dropping what the up created is its job;
- no S007 on a file its tool runs outside a transaction: Prisma and golang-migrate send a file
  of one statement on its own.
"""

from __future__ import annotations

import pytest
from conftest import corpus_path
from squawk_support import FileFacts, dbvet_findings, part_at, replay_facts

from linter.findings import Finding, Severity
from linter.migrations import Layout, TxMode

# Rules whose hazard does not depend on the object being new: CONCURRENTLY fails in a transaction
# whatever the table holds (S007), and a stray BEGIN/COMMIT is about the file (S016).
NEWNESS_IRRELEVANT = frozenset({"S007", "S016"})

# Every corpus project holding PostgreSQL migrations, and its layouts.
PROJECTS = {
    "documenso__documenso": {Layout.PRISMA},
    "formbricks__formbricks": {Layout.PRISMA},
    "triggerdotdev__trigger.dev": {Layout.PRISMA},
    "langfuse__langfuse": {Layout.PRISMA},
    "umami-software__umami": {Layout.PRISMA, Layout.PLAIN},
    "LemmyNet__lemmy": {Layout.DIRECTORY_PAIRS},
    "harness__harness": {Layout.GOLANG_MIGRATE},
    "openmeterio__openmeter": {Layout.GOLANG_MIGRATE},
    "authelia__authelia": {Layout.GOLANG_MIGRATE},
    "UPchieve__subway": {Layout.DBMATE},
    "supabase__postgres": {Layout.DBMATE},
    "kestra-io__kestra": {Layout.FLYWAY},
}


def _where(facts: dict[str, list[FileFacts]], finding: Finding):
    """The part (up or down) and statement a finding points into."""
    parts = facts.get(finding.path)
    if not parts:
        return None, None, 0
    offset = parts[0].file.offset_of(finding.line, finding.column)
    part = part_at(facts, finding.path, offset)
    return part, (part.statement_at(offset) if part is not None else None), offset


def _described(finding: Finding) -> str:
    return f"{finding.path}:{finding.line}:{finding.column} {finding.rule}"


@pytest.fixture(scope="module", params=sorted(PROJECTS))
def project(request):
    root = corpus_path(request.param)
    facts = replay_facts(root)
    findings = [f for f in dbvet_findings(root) if f.rule[0] in "SD" and f.path in facts]
    return request.param, facts, findings


def test_the_corpus_sets_are_found_with_their_layouts(project):
    name, facts, _findings = project
    assert {part.layout for parts in facts.values() for part in parts} == PROJECTS[name]


def on_new_objects(facts: dict[str, list[FileFacts]], findings: list[Finding]) -> list[str]:
    """Findings on objects the replay says were created earlier in the same file."""
    wrong = []
    for finding in findings:
        if finding.rule in NEWNESS_IRRELEVANT:
            continue
        _part, statement, offset = _where(facts, finding)
        if statement is None:
            continue  # not inside a statement: judged by the down-migration test below
        actions = statement.actions_at(offset) or statement.actions
        judged = [facts_ for facts_ in actions if facts_.targets]
        if judged and all(facts_.on_new_object(finding.rule[0]) for facts_ in judged):
            wrong.append(f"{_described(finding)}: {statement.text[:80]!r}")
    return wrong


def test_no_finding_on_an_object_created_earlier_in_the_same_file(project):
    _, facts, findings = project
    assert on_new_objects(facts, findings) == []


def test_the_newness_check_catches_a_finding_on_a_new_table(tmp_path):
    """The check above, fed findings a careless rule would make, reports exactly the wrong ones."""
    folder = tmp_path / "prisma" / "migrations"
    (folder / "20240101000000_a").mkdir(parents=True)
    (folder / "migration_lock.toml").write_text('provider = "postgresql"\n', encoding="utf-8")
    (folder / "20240101000000_a" / "migration.sql").write_text(
        "CREATE TABLE old (id int);\n", encoding="utf-8"
    )
    (folder / "20240102000000_b").mkdir()
    (folder / "20240102000000_b" / "migration.sql").write_text(
        "CREATE TABLE fresh (id int, note text);\n"
        "CREATE INDEX fresh_note_idx ON fresh (note);\n"
        "CREATE INDEX old_id_idx ON old (id);\n"
        "ALTER TABLE old ADD COLUMN note text;\n"
        "ALTER TABLE old DROP COLUMN note;\n",
        encoding="utf-8",
    )
    facts = replay_facts(tmp_path)
    path = "prisma/migrations/20240102000000_b/migration.sql"

    def finding(rule: str, line: int, column: int) -> Finding:
        return Finding(rule, "x", Severity.ERROR, "m", path, line, column, line, column + 1)

    made = [finding("S005", 2, 1), finding("S005", 3, 1), finding("D002", 5, 17), finding("S012", 5, 1)]
    assert on_new_objects(facts, made) == [
        f"{path}:2:1 S005: 'CREATE INDEX fresh_note_idx ON fresh (note)'",
        f"{path}:5:17 D002: 'ALTER TABLE old DROP COLUMN note'",
    ]


def test_no_finding_in_a_down_migration(project):
    _, facts, findings = project
    wrong = []
    for finding in findings:
        part, _statement, _offset = _where(facts, finding)
        if part is None or part.down:
            wrong.append(_described(finding))
    assert wrong == []


def test_no_concurrently_finding_where_the_tool_runs_the_statement_alone(project):
    _, facts, findings = project
    wrong = []
    for finding in findings:
        if finding.rule != "S007":
            continue
        part, _statement, _offset = _where(facts, finding)
        if part is not None and part.migration.tx is TxMode.IMPLICIT and len(part.statements) == 1:
            wrong.append(_described(finding))
    assert wrong == []


def test_prisma_and_golang_migrate_send_a_file_as_one_query_string():
    """The S007 test above relies on these layouts being IMPLICIT; maragudk/migrate and Authelia,
    which golang-migrate's layout also reads, wrap each file in a transaction."""
    facts = replay_facts(corpus_path("langfuse__langfuse")) | replay_facts(corpus_path("openmeterio__openmeter"))
    assert {part.migration.tx for parts in facts.values() for part in parts} == {TxMode.IMPLICIT}
    harness = replay_facts(corpus_path("harness__harness"))
    assert {part.migration.tx for parts in harness.values() for part in parts} == {TxMode.WRAPPED}


def test_the_checks_see_findings_on_every_project(project):
    """Guards the tests above against passing on nothing: every project has S or D findings,
    and each is located inside a part dbvet read."""
    name, facts, findings = project
    assert findings, f"no S or D findings on {name}"
    assert all(_where(facts, finding)[0] is not None for finding in findings)


def test_every_s_finding_says_its_lock_and_every_s_and_d_finding_its_safe_sequence(project):
    _, _, findings = project
    assert [f for f in findings if f.rule[0] == "S" and not f.lock] == []
    assert [f for f in findings if not f.fix] == []
    assert all("\n" not in f.lock for f in findings if f.lock)  # one line, as the issue asks
