from linter.findings import Severity
from linter.rule import Doc, EngineRule, Example


class SqlSyntaxError(EngineRule):
    id = "E001"
    name = "sql-syntax-error"
    severity = Severity.ERROR
    summary = "A migration file does not parse; the parser's message at its exact position."
    on_down = True
    doc = Doc(
        what="SQL that the dialect's parser rejects. dbvet reports the parser's own message at the line and "
        "column where it stopped, then goes on with the statements that do parse.",
        why="A migration that does not parse fails at deploy time, and every rule that should have judged the "
        "broken statement is blind to it.",
        instead="Fix the statement. If the file uses a client-side directive (psql's `\\connect`, MySQL's "
        "`DELIMITER`), keep it out of migrations that a tool runs.",
        bad=Example("CREATE TABLE orders (\n  id bigint PRIMARY KEY,\n  total numeric(19,4) NOT NULL,\n);\n", expect=((4, 1),)),
        good=Example("CREATE TABLE orders (\n  id bigint PRIMARY KEY,\n  total numeric(19,4) NOT NULL\n);\n"),
    )
