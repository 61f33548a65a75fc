from linter.findings import Severity
from linter.rule import Doc, EngineRule, Example


class UnusedSuppression(EngineRule):
    id = "E005"
    name = "unused-suppression"
    severity = Severity.INFO
    summary = "A `dbvet: ignore` comment suppresses nothing, or is malformed."
    on_down = True
    doc = Doc(
        what="An inline `-- dbvet: ignore …` / `// dbvet: ignore …` comment that matched no finding, names an "
        "unknown rule, or says `all` without a reason.",
        why="Stale suppressions hide the next real problem on that line and mislead readers about why the "
        "code is the way it is.",
        instead="Delete the comment, or correct the rule id. `all` needs a reason after it.",
        bad=Example(
            "-- dbvet: ignore S005 the table is tiny\nCREATE TABLE orders (id bigint PRIMARY KEY);\n", expect=((1, 1),)
        ),
        good=Example("CREATE TABLE orders (id bigint PRIMARY KEY);\n"),
    )
