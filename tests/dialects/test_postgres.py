"""The PostgreSQL front-end: statement spans, positions and syntax errors with recovery."""

from __future__ import annotations

from pg_helpers import describe, errors, parse, statements


def test_a_statement_starts_at_its_first_token_not_at_comments_before_it():
    text = "-- c\n/* a /* nested */ b */ CREATE INDEX i ON t (a);\n"
    assert statements(text) == [("IndexStmt", "2:24 CREATE INDEX i ON t (a)")]


def test_a_statement_ends_before_trailing_comments_and_its_semicolon():
    text = "SELECT 1 -- x\n;\nSELECT 2 /* y */ -- end\n"
    assert statements(text) == [("SelectStmt", "1:1 SELECT 1"), ("SelectStmt", "3:1 SELECT 2")]


def test_crlf_lines():
    text = "-- a\r\n\r\nCREATE TABLE t (\r\n  id int,\r\n  note text\r\n);\r\n"
    parsed, _ = parse(text)
    assert [(s.kind, describe(s.span)) for s in parsed.statements] == [
        ("CreateStmt", "3:1 CREATE TABLE t (\r\n  id int,\r\n  note text\r\n)")
    ]
    columns = parsed.statements[0].actions[0].columns
    assert [describe(column.span) for column in columns] == ["4:3 id int", "5:3 note text"]


def test_cr_only_lines():
    text = "-- a\r\rCREATE TABLE t (\r  id int,\r  note text\r);\r"
    parsed, _ = parse(text)
    assert [(s.kind, describe(s.span)) for s in parsed.statements] == [
        ("CreateStmt", "3:1 CREATE TABLE t (\r  id int,\r  note text\r)")
    ]
    columns = parsed.statements[0].actions[0].columns
    assert [describe(column.span) for column in columns] == ["4:3 id int", "5:3 note text"]


def test_columns_count_characters_after_non_ascii_text():
    assert statements("SELECT 'größe 😀'; CREATE INDEX i ON t (note);") == [
        ("SelectStmt", "1:1 SELECT 'größe 😀'"),
        ("IndexStmt", "1:19 CREATE INDEX i ON t (note)"),
    ]
    parsed, _ = parse('CREATE TABLE "tâble" ( -- ü😀\n  "naïve" text, b int DEFAULT 1);')
    columns = parsed.statements[0].actions[0].columns
    assert [describe(column.span) for column in columns] == ['2:3 "naïve" text', "2:17 b int DEFAULT 1"]


def test_dollar_quoted_bodies_hide_semicolons_and_comments():
    text = "DO $$ BEGIN -- x;\n PERFORM 1; END $$;\nSELECT $tag$;$tag$;"
    assert statements(text) == [
        ("DoStmt", "1:1 DO $$ BEGIN -- x;\n PERFORM 1; END $$"),
        ("SelectStmt", "3:1 SELECT $tag$;$tag$"),
    ]


def test_empty_and_comment_only_texts_give_nothing():
    for text in ("", "   \n", "-- only\n/* c */\n", ";;"):
        parsed, _ = parse(text)
        assert (parsed.statements, parsed.errors) == ([], [])


def test_dbmate_sections_give_file_level_positions():
    text = "-- migrate:up\nCREATE TABLE ü (a int);\n\n-- migrate:down\nDROP TABLE ü;\nSELEC 1;\n"
    up_start = text.index("\n") + 1
    down_marker = text.index("-- migrate:down")
    down_start = down_marker + len("-- migrate:down")
    assert statements(text, up_start, down_marker) == [("CreateStmt", "2:1 CREATE TABLE ü (a int)")]
    assert statements(text, down_start) == [("DropStmt", "5:1 DROP TABLE ü")]
    assert errors(text, down_start) == [("6:1 S", 'syntax error at or near "SELEC"')]


def test_a_section_ends_where_the_part_ends():
    text = "SELECT 1;\nSELECT 2;\nSELECT 3;"
    assert statements(text, 10, 19) == [("SelectStmt", "2:1 SELECT 2")]


def test_syntax_error_keeps_the_statements_around_it():
    text = "CREATE TABLE a (id int);\nCREATE TABLE b (id int,);\nCREATE INDEX i ON a (id);\n"
    assert statements(text) == [
        ("CreateStmt", "1:1 CREATE TABLE a (id int)"),
        ("IndexStmt", "3:1 CREATE INDEX i ON a (id)"),
    ]
    assert errors(text) == [("2:24 )", 'syntax error at or near ")"')]


def test_each_bad_statement_reports_its_own_error_in_characters():
    # A misspelt keyword starts with an identifier: pglast's scanner split would drop it.
    text = "SELECT 'ü'; SELEC 1;\nSELECT 2;\nSELECT 3 +;"
    assert statements(text) == [("SelectStmt", "1:1 SELECT 'ü'"), ("SelectStmt", "2:1 SELECT 2")]
    assert errors(text) == [("1:13 S", 'syntax error at or near "SELEC"'), ("3:11 ", "syntax error at end of input")]


def test_end_of_input_is_reported_just_after_the_last_token():
    assert errors("CREATE TABLE t (\n\n") == [("1:17 ", "syntax error at end of input")]


def test_unbalanced_parenthesis_costs_only_its_statement():
    text = "CREATE TABLE b (id int;\nCREATE INDEX i ON b (id);"
    assert statements(text) == [("IndexStmt", "2:1 CREATE INDEX i ON b (id)")]
    assert errors(text) == [("1:23 ", "syntax error at end of input")]


def test_unterminated_string_keeps_the_statements_before_it():
    text = "SELECT 1;\nSELECT 'x' 'abc;\nSELECT 2;"
    assert statements(text) == [("SelectStmt", "1:1 SELECT 1")]
    # The parser's message quotes the rest of the text; only its first line is kept.
    assert errors(text) == [("2:12 '", "unterminated quoted string at or near \"'abc;")]


def test_unterminated_comment():
    text = "SELECT 1;\n/* open"
    assert statements(text) == [("SelectStmt", "1:1 SELECT 1")]
    assert errors(text) == [("2:1 /", 'unterminated /* comment at or near "/* open"')]


def test_psql_meta_commands_are_errors_not_crashes():
    text = "\\connect db\nCREATE TABLE t (a int);\n  \\set x 'y\nSELECT 1;"
    assert statements(text) == [("CreateStmt", "2:1 CREATE TABLE t (a int)"), ("SelectStmt", "4:1 SELECT 1")]
    assert errors(text) == [
        ("1:1 \\connect", 'psql meta-command "\\connect" is not SQL; the server cannot run it'),
        ("3:3 \\set", 'psql meta-command "\\set" is not SQL; the server cannot run it'),
    ]


def test_statement_kind_and_node_are_the_parser_s():
    parsed, _ = parse("CREATE INDEX CONCURRENTLY i ON t (a);")
    statement = parsed.statements[0]
    assert statement.kind == "IndexStmt"
    assert (statement.node["idxname"], statement.node["concurrent"]) == ("i", True)
    assert statement.text == "CREATE INDEX CONCURRENTLY i ON t (a)"
