"""Inline suppression comments: placement, grammar, lexing, and the E005 reports."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from linter.findings import Finding, Severity
from linter.source import SourceFile, read_source
from linter.suppress import FileSuppressions, Malformed, Suppression, apply_suppressions, parse_suppressions

KNOWN = frozenset({"C007", "D002", "E001", "E005", "N002", "S005", "S006"})
PATH = "db/0002_index.sql"


def _finding(rule: str, line: int, column: int = 1, first: int | None = None, path: str = PATH) -> Finding:
    # Anchor lines as the engine fills them: the finding's line, the statement's first line,
    # and the line just above each.
    first = line if first is None else first
    anchors = tuple(sorted(n for n in {line, line - 1, first, first - 1} if n > 0))
    return Finding(rule, rule.lower(), Severity.ERROR, "m", path, line, column, line, column + 1, anchor_lines=anchors)


def _e005(message: str, line: int, column: int, end_column: int, path: str = PATH) -> Finding:
    return Finding("E005", "unused-suppression", Severity.INFO, message, path, line, column, line, end_column)


def _run(text: str, findings: list[Finding], syntax: str = "sql", **kwargs) -> tuple[list[Finding], list[Finding]]:
    suppressions = {PATH: parse_suppressions(SourceFile(PATH, text), syntax)}  # type: ignore[arg-type]
    return apply_suppressions(findings, suppressions, KNOWN, **kwargs)


# --- placement ------------------------------------------------------------------------------
def test_comment_on_the_statement_line() -> None:
    text = "CREATE INDEX i ON orders (total); -- dbvet: ignore S005 orders has 40 rows\n"
    assert _run(text, [_finding("S005", 1)]) == ([], [])


def test_comment_on_the_line_above() -> None:
    text = "-- dbvet: ignore S005 orders has 40 rows\nCREATE INDEX i ON orders (total);\n"
    assert _run(text, [_finding("S005", 2)]) == ([], [])


def test_a_blank_line_between_ends_the_reach() -> None:
    text = "-- dbvet: ignore S005 orders has 40 rows\n\nCREATE INDEX i ON orders (total);\n"
    finding = _finding("S005", 3)
    assert _run(text, [finding]) == ([finding], [_e005("suppression of S005 matched no finding", 1, 1, 41)])


def test_comment_lines_between_are_skipped() -> None:
    text = "-- dbvet: ignore S005 orders has 40 rows\n-- CreateIndex\nCREATE INDEX i ON orders (total);\n"
    assert _run(text, [_finding("S005", 3)]) == ([], [])


def test_comment_above_covers_only_the_next_statement() -> None:
    text = "-- dbvet: ignore S005 tiny\nCREATE INDEX a ON t (x);\nCREATE INDEX b ON t (y);\n"
    second = _finding("S005", 3)
    assert _run(text, [_finding("S005", 2), second]) == ([second], [])


def test_trailing_comment_does_not_reach_the_next_line() -> None:
    text = "CREATE INDEX a ON t (x); -- dbvet: ignore S005 tiny\nCREATE INDEX b ON t (y);\n"
    second = _finding("S005", 2)
    assert _run(text, [_finding("S005", 1), second]) == ([second], [])


def test_comment_above_a_statement_covers_its_later_lines() -> None:
    text = (
        "-- dbvet: ignore C007 hashed by the app\nCREATE TABLE users (\n  id bigint PRIMARY KEY,\n  password text\n);\n"
    )
    assert _run(text, [_finding("C007", 4, 3, first=2)]) == ([], [])


def test_comment_inside_a_statement_covers_the_column_below() -> None:
    text = "CREATE TABLE users (\n  -- dbvet: ignore C007 hashed by the app\n  password text,\n  token text\n);\n"
    token = _finding("C007", 4, 3, first=1)
    assert _run(text, [_finding("C007", 3, 3, first=1), token]) == ([token], [])


def test_ignore_file_anywhere() -> None:
    text = "CREATE INDEX a ON t (x);\n\nDROP INDEX b;\n-- dbvet: ignore-file S005, S006 replayed on an empty database\n"
    assert _run(text, [_finding("S005", 1), _finding("S006", 3)]) == ([], [])


def test_ignore_file_reports_the_ids_it_did_not_use() -> None:
    text = "-- dbvet: ignore-file S005,D002 legacy\nCREATE INDEX a ON t (x);\n"
    assert _run(text, [_finding("S005", 2)]) == ([], [_e005("suppression of D002 matched no finding", 1, 1, 39)])


def test_several_ids_with_spaces_around_commas() -> None:
    text = "-- dbvet: ignore S005 , D002: rebuilt tonight\nALTER TABLE t DROP COLUMN c, ADD x int;\n"
    assert _run(text, [_finding("D002", 2), _finding("S005", 2)]) == ([], [])


def test_ids_end_at_the_first_word_without_a_comma() -> None:
    text = "-- dbvet: ignore S005 D002 is fine too\nALTER TABLE t DROP COLUMN c;\n"
    dropped = _finding("D002", 2)
    assert _run(text, [_finding("S005", 2), dropped]) == ([dropped], [])


def test_other_rules_on_the_line_are_kept() -> None:
    text = "CREATE INDEX i ON t (x); -- dbvet: ignore S005 tiny\n"
    other = _finding("N002", 1, 14)
    assert _run(text, [_finding("S005", 1), other]) == ([other], [])


def test_comment_above_and_trailing_are_both_used() -> None:
    text = "-- dbvet: ignore S005 tiny\nCREATE INDEX i ON t (x); -- dbvet: ignore S005 tiny\n"
    assert _run(text, [_finding("S005", 2)]) == ([], [])


def test_input_problems_can_be_silenced_inline() -> None:
    text = "-- dbvet: ignore E001 psql meta-command\n\\connect billing\n"
    assert _run(text, [_finding("E001", 2)]) == ([], [])


def test_findings_of_other_files_are_untouched() -> None:
    text = "-- dbvet: ignore-file S005 legacy\n"
    elsewhere = _finding("S005", 1, path="db/0003.sql")
    assert _run(text, [elsewhere, _finding("S005", 2)]) == ([elsewhere], [])


# --- `all`, malformed comments, unknown ids --------------------------------------------------
def test_all_with_a_reason_covers_every_rule() -> None:
    text = "ALTER TABLE t DROP COLUMN c; -- dbvet: ignore all generated by the ORM\n"
    assert _run(text, [_finding("D002", 1), _finding("S006", 1)]) == ([], [])


def test_all_without_a_reason_suppresses_nothing() -> None:
    text = "ALTER TABLE t DROP COLUMN c; -- dbvet: ignore all\n"
    dropped = _finding("D002", 1)
    expected = _e005("`all` needs a reason after it: `-- dbvet: ignore all <why>`", 1, 30, 50)
    assert _run(text, [dropped]) == ([dropped], [expected])


def test_all_without_a_reason_beside_ids_keeps_the_ids() -> None:
    text = "-- dbvet: ignore-file all, S005\nCREATE INDEX i ON t (x);\nDROP INDEX j;\n"
    dropped = _finding("S006", 3)
    expected = _e005("`all` needs a reason after it: `-- dbvet: ignore-file all <why>`", 1, 1, 32)
    assert _run(text, [_finding("S005", 2), dropped]) == ([dropped], [expected])


@pytest.mark.parametrize(
    ("comment", "message"),
    [
        ("-- dbvet: ignore S999 typo", "unknown rule id 'S999' in suppression comment (see `dbvet rules`)"),
        ("-- dbvet: ignore s", "'S' is not a rule id: a suppression names whole ids (e.g. S005)"),
        ("-- dbvet: ignore", "suppression comment names no rule: write `-- dbvet: ignore <rule ids> <reason>`"),
        (
            "-- dbvet: ignore-file 42",
            "suppression comment names no rule: write `-- dbvet: ignore-file <rule ids> <reason>`",
        ),
        (
            "-- dbvet: disable S005",
            (
                "unknown dbvet directive 'disable': write `-- dbvet: ignore <rule ids> <reason>` or "
                "`-- dbvet: ignore-file <rule ids> <reason>`"
            ),
        ),
        (
            "-- dbvet:",
            (
                "dbvet comment without a directive: write `-- dbvet: ignore <rule ids> <reason>` or "
                "`-- dbvet: ignore-file <rule ids> <reason>`"
            ),
        ),
    ],
)
def test_malformed_comments(comment: str, message: str) -> None:
    text = f"SELECT 1;\n{comment}\nCREATE INDEX i ON t (x);\n"
    finding = _finding("S005", 3)
    assert _run(text, [finding]) == ([finding], [_e005(message, 2, 1, len(comment) + 1)])


def test_unknown_id_beside_a_known_one() -> None:
    text = "CREATE INDEX i ON t (x); -- dbvet: ignore S005,S0005 tiny\n"
    expected = _e005("unknown rule id 'S0005' in suppression comment (see `dbvet rules`)", 1, 26, 58)
    assert _run(text, [_finding("S005", 1)]) == ([], [expected])


def test_unused_suppression_points_at_the_comment() -> None:
    text = "SELECT 1;\n\n    -- dbvet: ignore S006, S005 both fine\nCREATE INDEX i ON t (x);\n"
    assert _run(text, [_finding("S005", 4)]) == ([], [_e005("suppression of S006 matched no finding", 3, 5, 42)])


def test_unused_all_is_reported() -> None:
    text = "SELECT 1; -- dbvet: ignore all it is fine\n"
    assert _run(text, []) == ([], [_e005("suppression of all rules matched no finding", 1, 11, 42)])


def test_rules_that_did_not_run_are_not_reported_unused() -> None:
    text = "-- dbvet: ignore S005, S006 tiny\nSELECT 1;\n"
    expected = _e005("suppression of S005 matched no finding", 1, 1, 33)
    assert _run(text, [], active={"S005", "E005"}) == ([], [expected])


# --- E005 about E005 -------------------------------------------------------------------------
def test_a_comment_cannot_silence_its_own_report() -> None:
    text = "-- dbvet: ignore E005, S005 tiny\nSELECT 1;\n"
    assert _run(text, []) == (
        [],
        [
            _e005("suppression of E005 matched no finding", 1, 1, 33),
            _e005("suppression of S005 matched no finding", 1, 1, 33),
        ],
    )


def test_ignore_file_e005_silences_other_comments_reports() -> None:
    text = (
        "-- dbvet: ignore-file E005 ids kept for the old linter\n"
        "-- dbvet: ignore S005 tiny\n"
        "SELECT 1; -- dbvet: ignore S999 x\n"
    )
    assert _run(text, []) == ([], [])


def test_all_does_not_silence_e005() -> None:
    text = "-- dbvet: ignore-file all legacy file\n-- dbvet: ignore S005 tiny\nSELECT 1;\n"
    assert _run(text, []) == (
        [],
        [
            _e005("suppression of all rules matched no finding", 1, 1, 38),
            _e005("suppression of S005 matched no finding", 2, 1, 27),
        ],
    )


# --- line endings, block comments, lexing ----------------------------------------------------
def test_crlf_file() -> None:
    text = (
        "SELECT 1;\r\n-- dbvet: ignore S005 tiny\r\nCREATE INDEX i ON t (x);\r\n"
        "-- dbvet: ignore S006 r\r\n\r\nDROP INDEX j;\r\n"
    )
    dropped = _finding("S006", 6)
    assert _run(text, [_finding("S005", 3), dropped]) == (
        [dropped],
        [_e005("suppression of S006 matched no finding", 4, 1, 24)],
    )


def test_cr_only_file() -> None:
    text = "SELECT 1;\r-- dbvet: ignore S005 tiny\rCREATE INDEX i ON t (x);\r"
    assert _run(text, [_finding("S005", 3)]) == ([], [])


def test_block_comment_directive() -> None:
    text = "/* dbvet: ignore S005 tiny table */\nCREATE INDEX i ON t (x);\nDROP INDEX j /* dbvet: ignore S006 r */;\n"
    assert _run(text, [_finding("S005", 2), _finding("S006", 3)]) == ([], [])


def test_multi_line_block_comment_reaches_below_its_end() -> None:
    text = "/* dbvet: ignore S005\n   the table is tiny */\nCREATE INDEX i ON t (x);\n"
    assert _run(text, [_finding("S005", 3)]) == ([], [])


def test_block_comment_before_code_on_its_line_covers_that_line() -> None:
    text = "/* dbvet: ignore S005 tiny */ CREATE INDEX i ON t (x);\nCREATE INDEX j ON t (y);\n"
    second = _finding("S005", 2)
    assert _run(text, [_finding("S005", 1, 31), second]) == ([second], [])


@pytest.mark.parametrize(
    "text",
    [
        "SELECT '-- dbvet: ignore S005 x';\n",
        "SELECT 'it''s -- dbvet: ignore S005 x';\n",
        "SELECT E'it\\'s -- dbvet: ignore S005 x';\n",
        'SELECT 1 AS "-- dbvet: ignore S005 x";\n',
        "DO $$ BEGIN -- dbvet: ignore S005 x\nEND $$;\n",
        "CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; -- dbvet: ignore S005 x\n$body$ LANGUAGE sql;\n",
        "/* outer /* -- dbvet: ignore S005 x */ still a comment */\n",
        "-- a note, not dbvet: ignore S005 x\n",
    ],
)
def test_text_that_is_not_a_directive(text: str) -> None:
    assert parse_suppressions(SourceFile(PATH, text)) == FileSuppressions(PATH)


def test_lexer_resumes_after_strings_and_dollar_quotes() -> None:
    text = (
        "SELECT 'C:\\'; SELECT $1, a$b$c; DO $fn$ BEGIN RAISE NOTICE '$$'; END $fn$;\n"
        "SELECT e'x' ; -- dbvet: ignore S005 r\n"
    )
    parsed = parse_suppressions(SourceFile(PATH, text))
    assert parsed.suppressions == (Suppression(("S005",), "r", False, 2, 15, 2, 38, own_line=2),)


def test_mysql_backslash_escapes_and_hash_comments() -> None:
    text = "# don't panic\nINSERT INTO t VALUES ('it\\'s'); -- dbvet: ignore S005 r\n"
    parsed = parse_suppressions(SourceFile(PATH, text), "sql", dialect="mysql")
    assert parsed.suppressions == (Suppression(("S005",), "r", False, 2, 33, 2, 56, own_line=2),)


def test_parse_result() -> None:
    text = (
        "\n-- dbvet: ignore S005,d002 -- reason: nightly window\n"
        "-- CreateIndex\nCREATE INDEX i ON t (x);\n-- dbvet: ignore all\n"
    )
    assert parse_suppressions(SourceFile(PATH, text)) == FileSuppressions(
        PATH,
        (Suppression(("S005", "D002"), "reason: nightly window", False, 2, 1, 2, 53, target=4),),
        (Malformed("`all` needs a reason after it: `-- dbvet: ignore all <why>`", 5, 1, 5, 21),),
    )


def test_no_marker_no_work() -> None:
    findings = [_finding("S005", 1)]
    suppressions = {PATH: parse_suppressions(SourceFile(PATH, "CREATE INDEX i ON t (x); -- fine\n"))}
    assert suppressions[PATH] == FileSuppressions(PATH)
    assert apply_suppressions(findings, suppressions, KNOWN) == (findings, [])


# --- Prisma ---------------------------------------------------------------------------------
PRISMA = """\
/// A customer.
// dbvet: ignore N002 mapped by a view downstream
model User {
  id        Int    @id
  // dbvet: ignore N002 legacy column
  /// The given name.
  FirstName String
  LastName  String // dbvet: ignore N002 legacy column
  Email     String @default("// dbvet: ignore N002 not a comment")
  /// dbvet: ignore N002 doc comments are documentation
  Phone     String
}
"""


def test_prisma_comments() -> None:
    email, phone = _finding("N002", 9, 3), _finding("N002", 11, 3)
    findings = [_finding("N002", 7, 3), _finding("N002", 8, 3), email, phone]
    kept, reports = _run(PRISMA, findings, syntax="prisma")
    assert kept == [email, phone]
    # The comment above the model line matched nothing (no finding points at line 3).
    assert reports == [_e005("suppression of N002 matched no finding", 2, 1, 50)]


def test_prisma_comment_above_the_model_covers_model_findings() -> None:
    assert _run(PRISMA, [_finding("N002", 3), _finding("N002", 7, 3), _finding("N002", 8, 3)], syntax="prisma")[0] == []


def test_prisma_all_needs_a_reason() -> None:
    text = "model user {\n  id Int @id // dbvet: ignore all\n}\n"
    expected = _e005("`all` needs a reason after it: `// dbvet: ignore all <why>`", 2, 14, 34)
    assert _run(text, [], syntax="prisma") == ([], [expected])


# --- the real corpus: the lexer must not lose its way in real files ---------------------------
CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"


def _corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        if os.environ.get("DBVET_REQUIRE_CORPUS") == "1":
            pytest.fail(f"the corpus is required (DBVET_REQUIRE_CORPUS=1) but {CORPUS} does not exist")
        pytest.skip(f"the real-world corpus is not here ({CORPUS}); it ships beside the repository in ../shared")
    return sorted(path for path in CORPUS.rglob("*") if path.suffix in (".sql", ".prisma") and path.is_file())


def test_directive_after_every_corpus_file_is_found() -> None:
    """A comment appended to each real file must be found at its exact line: a string, quoted
    identifier or dollar quote the lexer failed to close would swallow it."""
    checked = 0
    for path in _corpus_files():
        source = read_source(path, str(path))
        assert isinstance(source, SourceFile), source
        syntax = "prisma" if path.suffix == ".prisma" else "sql"
        marker = "//" if syntax == "prisma" else "--"
        text = f"{marker} dbvet: ignore-file S005 first\n{source.text}\n{marker} dbvet: ignore S006 last\n"
        file = SourceFile(str(path), text)
        dialect = "mysql" if "mysql" in path.parts else None
        parsed = parse_suppressions(file, syntax, dialect=dialect)  # type: ignore[arg-type]
        last_line = len(file.line_starts()) - 1
        assert [(s.ids, s.line) for s in parsed.suppressions] == [(("S005",), 1), (("S006",), last_line)], path
        assert parsed.problems == (), path
        checked += 1
    assert checked == 4187


def test_the_run_loads_suppressions_by_the_same_marker():
    # `linter.run` reads a file's suppressions only when it holds this text.
    from linter import run, suppress

    assert run.SUPPRESSION_MARKER == suppress.MARKER
