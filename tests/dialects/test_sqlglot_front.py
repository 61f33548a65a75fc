"""The MySQL/SQLite front-end: statement splitting, exact positions, DELIMITER, syntax errors.

Helpers here are shared with the other test_sqlglot_front_* modules.
"""

from __future__ import annotations

from typing import Any

from describe import describe as _describe
from describe import where  # noqa: F401 (shared with the other test_sqlglot_front_* modules)

from linter.dialects import ParsedPart
from linter.dialects.sqlglot_front import parse_part
from linter.migrations import Part
from linter.source import SourceFile


def parse(text: str, dialect: str = "mysql", start: int = 0, end: int | None = None) -> ParsedPart:
    return parse_part(Part(SourceFile(path="m.sql", text=text), start, end), dialect)


def describe(value: Any) -> Any:
    return _describe(value, tag="class")


def actions(text: str, dialect: str = "mysql") -> list[Any]:
    """Every action of every statement, described; the text must parse."""
    parsed = parse(text, dialect)
    assert [problem.message for problem in parsed.errors] == []
    return [describe(action) for statement in parsed.statements for action in statement.actions]


def statements(text: str, dialect: str = "mysql", start: int = 0, end: int | None = None) -> list[tuple[str, str]]:
    parsed = parse(text, dialect, start, end)
    return [(statement.kind, where(statement.span)) for statement in parsed.statements]


def errors(text: str, dialect: str = "mysql", start: int = 0, end: int | None = None) -> list[tuple[str, str]]:
    parsed = parse(text, dialect, start, end)
    return [(where(problem.span), problem.message) for problem in parsed.errors]


# --- positions ------------------------------------------------------------------------
def test_statements_start_at_their_first_token_never_at_a_comment():
    text = "-- first\n/* block */ CREATE TABLE a (id int);\n# hash comment\nDROP TABLE a ; -- after\n"
    assert statements(text) == [("create table", "2:13 CREATE TABLE a (id int)"), ("drop table", "4:1 DROP TABLE a")]


def test_sqlite_has_no_hash_comments():
    assert errors("# not a comment\nDROP TABLE a;", "sqlite") == [
        ("1:1 #", 'syntax error at or near "#": not a statement')
    ]


def test_crlf_line_breaks():
    text = "CREATE TABLE a (\r\n  id int,\r\n  name text\r\n);\r\nDROP TABLE a;\r\n"
    parsed = parse(text)
    assert [where(s.span) for s in parsed.statements] == [
        "1:1 CREATE TABLE a (\r\n  id int,\r\n  name text\r\n)",
        "5:1 DROP TABLE a",
    ]
    assert [where(c.span) for c in parsed.statements[0].actions[0].columns] == ["2:3 id int", "3:3 name text"]


def test_lone_cr_line_breaks():
    assert statements("SELECT 1;\rDROP TABLE a;") == [("select", "1:1 SELECT 1"), ("drop table", "2:1 DROP TABLE a")]


def test_non_ascii_text_before_a_statement():
    text = "INSERT INTO t VALUES ('ßü€😀');\nSELECT 'é'; DROP TABLE `tä`;"
    assert statements(text) == [
        ("insert", "1:1 INSERT INTO t VALUES ('ßü€😀')"),
        ("select", "2:1 SELECT 'é'"),
        ("drop table", "2:13 DROP TABLE `tä`"),
    ]
    assert errors("SELECT '😀'; SELEC 1;") == [("1:13 S", 'syntax error at or near "SELEC": not a statement')]


def test_a_part_that_starts_inside_its_file():
    text = "-- migrate:up\nCREATE TABLE a (id int);\n\n-- migrate:down\nDROP TABLE a;\nALTER TABLE;\n"
    down = text.index("-- migrate:down")
    assert statements(text, "mysql", 0, down) == [("create table", "2:1 CREATE TABLE a (id int)")]
    assert statements(text, "mysql", down) == [("drop table", "5:1 DROP TABLE a")]
    assert errors(text, "mysql", down) == [("6:12 ", "syntax error at end of statement: expected a table name")]
    parsed = parse(text, "mysql", 0, down)
    assert [where(c.span) for c in parsed.statements[0].actions[0].columns] == ["2:17 id int"]


def test_empty_statements_and_comment_only_text():
    assert statements(";;\n;-- nothing\n/* at all */") == []
    assert errors("") == []


def test_statement_without_final_semicolon():
    assert statements("DROP TABLE a;\nDROP TABLE b  \n") == [
        ("drop table", "1:1 DROP TABLE a"),
        ("drop table", "2:1 DROP TABLE b"),
    ]


def test_command_statements_end_at_their_last_character():
    # sqlglot keeps the rest of CALL as one string token whose end includes trailing blanks.
    assert statements("CALL p(1)   ;\nLOCK TABLES t WRITE ;") == [
        ("call", "1:1 CALL p(1)"),
        ("lock", "2:1 LOCK TABLES t WRITE"),
    ]


# --- DELIMITER and routine bodies -----------------------------------------------------
def test_delimiter_directive_around_a_stored_function():
    text = (
        "DELIMITER //\n"
        "CREATE FUNCTION f(d VARCHAR(20)) RETURNS bigint DETERMINISTIC\n"
        "BEGIN\n"
        "    RETURN CASE WHEN d LIKE 'P%' THEN 1 END;\n"
        "END //\n"
        "DELIMITER ;\n"
        "\n"
        "CREATE TABLE t (id int);\n"
    )
    assert statements(text) == [
        (
            "create function",
            (
                "2:1 CREATE FUNCTION f(d VARCHAR(20)) RETURNS bigint DETERMINISTIC\nBEGIN\n"
                "    RETURN CASE WHEN d LIKE 'P%' THEN 1 END;\nEND"
            ),
        ),
        ("create table", "8:1 CREATE TABLE t (id int)"),
    ]


def test_custom_delimiter_pieces_may_hold_several_statements():
    text = "delimiter $$\nSELECT 1; SELECT 2$$\nSELECT 3 $$\nDELIMITER ;\nSELECT 4;"
    assert statements(text) == [
        ("select", "2:1 SELECT 1"),
        ("select", "2:11 SELECT 2"),
        ("select", "3:1 SELECT 3"),
        ("select", "5:1 SELECT 4"),
    ]


def test_delimiter_inside_a_string_or_comment_is_not_a_directive():
    text = "INSERT INTO t VALUES ('\nDELIMITER //\n');\n/*\nDELIMITER //\n*/\nSELECT 1;"
    assert statements(text) == [("insert", "1:1 INSERT INTO t VALUES ('\nDELIMITER //\n')"), ("select", "7:1 SELECT 1")]


def test_delimiter_is_a_mysql_client_directive_only():
    assert errors("DELIMITER //\nSELECT 1//", "sqlite") == [
        ("1:1 D", 'syntax error at or near "DELIMITER": not a statement')
    ]


def test_routine_body_without_delimiter_is_one_statement():
    text = (
        "CREATE PROCEDURE p(IN t VARCHAR(64))\n"
        "BEGIN\n"
        "  IF EXISTS(SELECT 1) THEN\n"
        "    SET @q = CONCAT('ALTER TABLE ', t, ';');\n"
        "    PREPARE s FROM @q;\n"
        "  END IF;\n"
        "  label: LOOP LEAVE label; END LOOP label;\n"
        "END;\n"
        "CALL p('a');"
    )
    assert [kind for kind, _ in statements(text)] == ["create procedure", "call"]
    assert statements(text)[0][1].endswith("END LOOP label;\nEND")


def test_sqlite_trigger_body_is_one_statement():
    text = "CREATE TRIGGER tr AFTER UPDATE ON t BEGIN\n  UPDATE t SET a = CASE WHEN 1 THEN 2 END;\n  DELETE FROM u;\nEND;\nDROP TABLE t;"
    assert statements(text, "sqlite") == [
        ("create trigger", "1:1 " + text[: text.index("END;\nDROP") + 3]),
        ("drop table", "5:1 DROP TABLE t"),
    ]


# --- syntax errors --------------------------------------------------------------------
def test_error_at_end_of_statement_and_parsing_goes_on():
    text = "CREATE TABLE t (id int PRIMARY KEY);\nALTER TABLE t ADD COLUMN;\nCREATE INDEX i ON t (id);"
    parsed = parse(text)
    assert [(where(p.span), p.message) for p in parsed.errors] == [
        ("2:25 ", "syntax error at end of statement: expected a column name")
    ]
    assert [s.kind for s in parsed.statements] == ["create table", "create index"]


def test_error_at_the_offending_token():
    assert errors("CREATE TABLE t (a int,);") == [
        ("1:23 )", 'syntax error at or near ")": expected a column or constraint definition')
    ]
    assert errors("CREATE TABLE t (order int);") == [
        ("1:17 o", 'syntax error at or near "order": expected a column name')
    ]
    assert errors("CREATE TABEL t (a int);") == [
        ("1:8 T", 'syntax error at or near "TABEL": expected the kind of object to create (TABLE, INDEX, VIEW, …)')
    ]
    assert errors("ALTER TABLE t ADD COLUMN a int NOT NUL;") == [
        ("1:36 N", 'syntax error at or near "NUL": expected NULL')
    ]
    assert errors("CREATE INDEX i ON t (a,,b);") == [
        ("1:24 ,", 'syntax error at or near ",": expected a column or expression')
    ]


def test_error_in_statements_sqlglot_keeps_as_one_string():
    assert errors("SELECT 1;\nRENAME TABLE a TO ;\nREPLACE INTO (1);") == [
        ("2:18 ", "syntax error at end of statement: expected a table name"),
        ("3:14 (", 'syntax error at or near "(": expected a table name'),
    ]


def test_error_in_a_data_statement_comes_from_sqlglot():
    assert errors("UPDATE t SET a = 1 WHERE;\nDELETE FROM t WHERE a = (1;") == [
        ("1:25 ", "syntax error at end of statement: incomplete expression (Where)"),
        ("2:27 ", "syntax error at end of statement: Expecting )"),
    ]


def test_sqlite_rejects_what_sqlite_rejects():
    # Both are real harness down migrations; sqlite3 reports the same tokens.
    assert errors("DROP INDEX job_group_id ON jobs;", "sqlite") == [
        ("1:25 O", 'syntax error at or near "ON": expected end of statement')
    ]
    assert errors("ALTER TABLE b\nDROP CONSTRAINT IF EXISTS fk;\nALTER TABLE b DROP COLUMN IF EXISTS c;", "sqlite") == [
        ("2:6 C", 'syntax error at or near "CONSTRAINT": expected a column name'),
        ("3:30 E", 'syntax error at or near "EXISTS": expected end of statement'),
    ]


def test_unterminated_string_stops_the_chunk_but_keeps_what_came_before():
    text = "SELECT 1;\nINSERT INTO t VALUES ('oops);\nDROP TABLE t;"
    parsed = parse(text)
    assert [s.kind for s in parsed.statements] == ["select"]
    assert [(where(p.span), p.message) for p in parsed.errors] == [
        ("2:23 '", "unterminated quoted text starting with '")
    ]


def test_unterminated_comment():
    assert errors("SELECT 1;\nSELECT 2 /* open") == [("2:10 /", "unterminated /* comment")]


def test_an_error_inside_a_delimiter_piece_does_not_stop_the_next_pieces():
    text = "DELIMITER //\nCREATE TABLE t (a int,) //\nCREATE TABLE u (a int) //\n"
    parsed = parse(text)
    assert [s.kind for s in parsed.statements] == ["create table"]
    assert [where(p.span) for p in parsed.errors] == ["2:23 )"]
