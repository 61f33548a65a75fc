from linter.actions import Truncate
from linter.context import StatementContext
from linter.findings import Severity
from linter.rule import Doc, Example, Rule
from rules.d001_drop_table import shown


class TruncateRule(Rule):
    id = "D005"
    name = "truncate"
    severity = Severity.ERROR
    summary = "TRUNCATE deletes every row of a table that deployed code relies on."
    actions = (Truncate,)
    doc = Doc(
        what="`TRUNCATE` of a table that existed before this change. Tables created earlier in the same "
        "migration or by a migration new in the change are exempt.",
        why="Every row is gone at once, with no WHERE to limit it and (in MySQL, and for other sessions in "
        "PostgreSQL) no way back but a restore; PostgreSQL also holds an ACCESS EXCLUSIVE lock on the table "
        "until commit.",
        instead="If the rows really must go, archive them first and delete them in batches with an explicit "
        "WHERE, after the code that relied on them is gone.",
        bad=Example(
            "TRUNCATE sessions;\n",
            before=("CREATE TABLE sessions (id bigint PRIMARY KEY, token_hash text);\n",),
            expect=((1, 1),),
        ),
        good=Example(
            "CREATE TABLE import_staging (id bigint PRIMARY KEY);\nTRUNCATE import_staging;\n",
        ),
    )

    def check_action(self, action: Truncate, ctx: StatementContext) -> None:
        emptied: list[str] = []
        for ref in action.tables:
            table = ctx.table(ref)
            if table is None:
                emptied.append(str(ref))
            elif not ctx.is_new(table):
                emptied.append(shown(table))
        if not emptied:
            return
        names = ", ".join(f'"{name}"' for name in emptied)
        ctx.report(
            action.span,
            f"TRUNCATE deletes every row of {names}",
            fix=f"archive the rows of {names} first (for example into a dated copy of the table), then delete "
            "them in batches with an explicit WHERE once no deployed code relies on them",
        )
