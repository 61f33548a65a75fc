from linter.context import SchemaContext
from linter.conventions import add_to_model, judged_tables, model_block, prisma_relations
from linter.findings import Severity
from linter.keywords import sql_name
from linter.rule import Doc, Example, Option, Rule
from linter.schema import MYSQL, POSTGRESQL, Schema, Table


def leading_columns(table: Table) -> list[list[str]]:
    """The leading plain columns of every index, unique constraint and the primary key."""
    keys = [index.column_names for index in table.indexes.values()]
    if table.primary_key is not None:
        keys.append(list(table.primary_key.columns))
    return keys


def covered(columns: list[str], keys: list[list[str]], fold_case: bool) -> bool:
    """Whether some key starts with exactly these columns, in any order (an index on (b, a)
    serves the look-ups of a foreign key on (a, b) as well)."""
    wanted = {name.lower() if fold_case else name for name in columns}
    size = len(columns)
    for key in keys:
        if len(key) >= size and {name.lower() if fold_case else name for name in key[:size]} == wanted:
            return True
    return False


class ForeignKeyWithoutIndex(Rule):
    id = "K001"
    name = "foreign-key-without-index"
    severity = Severity.ERROR
    summary = "A foreign key's columns are not the leading columns of any index, unique constraint or primary key."
    prisma = True
    options = {"exempt": Option([], "globs of table names (`audit_*`, `archive.*`) to leave alone")}
    doc = Doc(
        what="A foreign key (Prisma: the scalar fields of a relation's `fields:`) whose columns do not lead any "
        "index, unique constraint or primary key of its table, after the whole migration set is replayed — a "
        "later `CREATE INDEX` repairs it. A partial index counts. MySQL's InnoDB indexes every foreign key "
        "itself, so MySQL sets (and Prisma on MySQL, unless `relationMode = \"prisma\"`) stay silent.",
        why="PostgreSQL does not index the referencing side. Every DELETE or key UPDATE on the parent then scans "
        "the whole child table (once per row deleted, holding locks), and every join from parent to children "
        "is a sequential scan.",
        instead="Index the foreign key's columns (`CREATE INDEX CONCURRENTLY … ON child (parent_id)`; Prisma "
        "`@@index([parentId])`), or put them first in an existing composite index.",
        bad=Example(
            "CREATE TABLE comments (\n  id bigint PRIMARY KEY,\n"
            "  post_id bigint NOT NULL REFERENCES posts (id)\n);\n",
            before=("CREATE TABLE posts (id bigint PRIMARY KEY);\n",),
            expect=((3, 27),),
        ),
        good=Example(
            "CREATE TABLE comments (\n  id bigint PRIMARY KEY,\n"
            "  post_id bigint NOT NULL REFERENCES posts (id)\n);\n"
            "CREATE INDEX comments_post_id_idx ON comments (post_id);\n",
            before=("CREATE TABLE posts (id bigint PRIMARY KEY);\n",),
        ),
    )

    def check_schema(self, schema: Schema, ctx: SchemaContext) -> None:
        if schema.dialect not in self.dialects:
            return
        fold = schema.case_insensitive
        for table in judged_tables(schema, ctx):
            if ctx.from_prisma and model_block(table) is not None:
                self._prisma(schema, table, ctx)
                continue
            if not table.foreign_keys:
                continue
            keys = leading_columns(table)
            for fk in table.foreign_keys.values():
                if covered(fk.columns, keys, fold) or fk.span is None:
                    continue
                columns = ", ".join(fk.columns)
                name = sql_name(f"{table.name}_{'_'.join(fk.columns)}_idx", schema.dialect)
                concurrently = "CONCURRENTLY " if schema.dialect == POSTGRESQL else ""  # PostgreSQL's alone
                spelled = ", ".join(sql_name(column, schema.dialect) for column in fk.columns)
                ctx.report(
                    fk.span,
                    f'foreign key "{fk.name}" on "{table.name}" ({columns}) has no index starting with its columns',
                    fix=f"CREATE INDEX {concurrently}{name} ON {sql_name(table.name, schema.dialect)} ({spelled});",
                )

    def _prisma(self, schema: Schema, table: Table, ctx: SchemaContext) -> None:
        if schema.dialect == MYSQL and table.foreign_keys:
            return  # real foreign keys on InnoDB: it indexes them itself
        relations = prisma_relations(table)
        if not relations:
            return
        keys = leading_columns(table)
        block = model_block(table)
        for relation in relations:
            if covered(relation.columns, keys, schema.case_insensitive):
                continue
            attribute = f"@@index([{', '.join(relation.fields)}])"
            ctx.report(
                relation.attribute.span,
                f'relation "{relation.field.name}" of "{table.name}" ({", ".join(relation.fields)}) has no index '
                "starting with its fields",
                fix=f"add {attribute} to the model",
                edits=add_to_model(block, [attribute]),
            )
