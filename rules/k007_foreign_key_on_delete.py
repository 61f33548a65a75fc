from linter.context import SchemaContext
from linter.conventions import judged_tables, model_block, prisma_relations
from linter.findings import Severity
from linter.rule import Doc, Example, Option, Rule
from linter.schema import Schema


class ForeignKeyOnDelete(Rule):
    id = "K007"
    name = "foreign-key-on-delete"
    severity = Severity.INFO
    default_on = False
    summary = "A foreign key / Prisma relation states no ON DELETE / onDelete behaviour."
    prisma = True
    options = {"exempt": Option([], "globs of table names (`audit_*`, `archive.*`) to leave alone")}
    doc = Doc(
        what="A foreign key written without `ON DELETE …` (after the whole migration set, at its definition), or a "
        "Prisma relation whose `@relation(...)` has no `onDelete:`. Prisma's implicit many-to-many tables are not "
        "judged: their behaviour is not the schema's to state.",
        why="The default (`NO ACTION`; in Prisma `Restrict` or `SetNull` depending on optionality) is rarely a "
        "decision anyone made: deleting a parent then fails in production, or orphans are expected to vanish "
        "and don't. Saying it makes the intent reviewable.",
        instead="State it: `ON DELETE CASCADE` for owned children, `RESTRICT` for references that must block the "
        "delete, `SET NULL` for optional links (Prisma: `onDelete: Cascade | Restrict | SetNull`).",
        bad=Example(
            "CREATE TABLE comments (\n  id bigint PRIMARY KEY,\n  post_id bigint NOT NULL REFERENCES posts (id)\n);\n",
            before=("CREATE TABLE posts (id bigint PRIMARY KEY);\n",),
            expect=((3, 27),),
        ),
        good=Example(
            "CREATE TABLE comments (\n  id bigint PRIMARY KEY,\n  post_id bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE\n);\n",
            before=("CREATE TABLE posts (id bigint PRIMARY KEY);\n",),
        ),
    )

    def check_schema(self, schema: Schema, ctx: SchemaContext) -> None:
        if schema.dialect not in self.dialects:
            return
        for table in judged_tables(schema, ctx):
            if model_block(table) is not None:
                for relation in prisma_relations(table):
                    if relation.attribute.argument("onDelete") is None:
                        ctx.report(
                            relation.attribute.span,
                            f'relation "{relation.field.name}" of "{table.name}" states no onDelete',
                            fix="add onDelete: Cascade, Restrict or SetNull to the @relation",
                        )
                continue
            for fk in table.foreign_keys.values():
                if fk.on_delete is None and fk.span is not None:
                    ctx.report(
                        fk.span,
                        f'foreign key "{fk.name}" on "{table.name}" states no ON DELETE',
                        fix="add ON DELETE CASCADE, RESTRICT or SET NULL to it",
                    )
