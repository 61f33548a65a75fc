from linter.findings import Severity
from linter.rule import Doc, EngineRule, Example


class PrismaSyntaxError(EngineRule):
    id = "E002"
    name = "prisma-syntax-error"
    severity = Severity.ERROR
    summary = "A Prisma schema file does not parse; exact line and column."
    prisma = True
    doc = Doc(
        what="A Prisma schema that dbvet's Prisma parser rejects, reported where parsing stopped. The "
        "blocks after it are still read.",
        why="`prisma migrate` and `prisma generate` refuse the schema, and the convention rules cannot judge "
        "what they cannot read.",
        instead="Fix the syntax (often an unclosed block, a missing type, or an attribute without `@`).",
        bad=Example("model User {\n  id    Int    @id\n  email String @unique\n", kind="prisma", expect=((4, 1),)),
        good=Example("model User {\n  id    Int    @id\n  email String @unique\n}\n", kind="prisma"),
    )
