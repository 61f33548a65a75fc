from linter.actions import CreateEnum, DropType, RenameType
from linter.context import StatementContext
from linter.findings import Severity
from linter.keywords import sql_table
from linter.replay_tables import split_type
from linter.rule import Doc, Example, Rule
from linter.schema import Enum, Name


class DropEnumValueOrTypeRule(Rule):
    id = "D009"
    name = "drop-enum-value-or-type"
    severity = Severity.ERROR
    summary = "Dropping a type columns still use, or recreating an enum without a value it had."
    actions = (DropType,)
    doc = Doc(
        what="`DROP TYPE` of a type that a column of an existing table still uses, and the recreation of an enum "
        "without one of its values: `DROP TYPE x` followed by `CREATE TYPE x AS ENUM (…)` in the same migration, "
        "or Prisma's swap (`CREATE TYPE \"X_new\" …; ALTER TABLE … TYPE \"X_new\" USING …; ALTER TYPE \"X\" "
        "RENAME TO \"X_old\"; ALTER TYPE \"X_new\" RENAME TO \"X\"; DROP TYPE \"X_old\"`, or the variant that "
        "renames the old type aside first), where the old value list is compared with the new one. Types created "
        "in the same migration or change are exempt, and so are columns of tables created there. Only "
        "PostgreSQL has separate types; a MySQL `ENUM(…)` column that loses a value is a type change (D008).",
        why="Rows holding a removed value make the `USING` cast fail (the migration aborts half-way on a "
        "non-transactional tool) or, with a cast that maps them away, silently lose what they said; deployed code "
        "that still writes the value gets errors. `DROP TYPE … CASCADE` drops every column of the type.",
        instead="Remove a value in phases: stop writing it, migrate the rows that hold it to another value with an "
        "UPDATE, release, then swap the type in a later migration. Drop a type only after no column uses it.",
        bad=Example(
            "DROP TYPE mood;\nCREATE TYPE mood AS ENUM ('happy', 'sad');\n",
            before=("CREATE TYPE mood AS ENUM ('happy', 'ok', 'sad');\n",),
            expect=((1, 1),),
        ),
        good=Example(
            "DROP TYPE mood;\nCREATE TYPE mood AS ENUM ('happy', 'ok', 'sad', 'angry');\n",
            before=("CREATE TYPE mood AS ENUM ('happy', 'ok', 'sad');\n",),
        ),
    )

    def check_action(self, action: DropType, ctx: StatementContext) -> None:
        for ref in action.types:
            enum = ctx.schema.enum(ref)
            if enum is not None and ctx.is_new(enum):
                continue
            spelled = enum.spelled if enum is not None else str(ref)
            users = _users(spelled, ctx)
            if users:
                ctx.report(
                    action.span,
                    f'DROP TYPE "{spelled}" while {", ".join(users)} still use{"s" if len(users) == 1 else ""} it',
                    fix=f"first move {', '.join(users)} to another type (or drop them in their own reviewed, "
                    f"two-phase change), release, then drop the type without CASCADE:\n"
                    f"DROP TYPE {_sql(enum, ref, ctx.dialect)};",
                )
                return
            if enum is None:
                continue
            original = _name_at_start(enum, ctx)
            values = _successor_values(enum, original, ctx)
            lost = [value for value in enum.values if values is not None and value not in values]
            if lost:
                listed = ", ".join(f"'{value}'" for value in lost)
                ctx.report(
                    action.span,
                    f'enum "{original}" is recreated without value{"s" if len(lost) > 1 else ""} {listed}',
                    fix=f"remove {listed} in phases: stop writing {'them' if len(lost) > 1 else 'it'}, move the rows "
                    f"that hold {'them' if len(lost) > 1 else 'it'} to another value with an UPDATE, release, then "
                    f'recreate "{original}" without {listed} in a later migration',
                )
                return


def _sql(enum: Enum | None, ref: Name, dialect: str | None) -> str:
    """The type as the suggested statement must write it."""
    if enum is None:
        return sql_table(ref.name, ref.schema, dialect)
    return sql_table(enum.name, None if enum.schema in (None, "public") else enum.schema, dialect)


def _users(spelled: str, ctx: StatementContext) -> list[str]:
    """`table.column` of each column of an existing table whose type (or array element type) is this one."""
    found: list[str] = []
    for table in ctx.schema.tables.values():
        if ctx.is_new(table):
            continue
        for column in table.columns.values():
            if split_type(column.type)[0] == spelled and not ctx.is_new(column):
                found.append(f"{table.name}.{column.name}")
    return found


def _name_at_start(enum: Enum, ctx: StatementContext) -> str:
    """The name the enum had before this migration renamed it (`X_old` -> `X`)."""
    name = enum.name
    for statement in reversed(ctx.earlier_statements):
        for action in reversed(statement.actions):
            if isinstance(action, RenameType) and action.new_name == name:
                name = action.type.name
    return name


def _successor_values(enum: Enum, original: str, ctx: StatementContext) -> list[str] | None:
    """The values of the enum that takes this one's place: the one holding its original name now
    (created in this migration), else one created under its name later in the file."""
    if original != enum.name:
        successor = ctx.schema.enum(Name(original, enum.schema))
        if successor is not None and successor is not enum and ctx.is_new(successor):
            return successor.values
    for statement in ctx.later_statements:
        for action in statement.actions:
            if isinstance(action, CreateEnum) and action.enum.name == enum.name:
                return list(action.values)
    return None
