from __future__ import annotations

import re

from linter.context import SchemaContext
from linter.findings import Severity
from linter.rule import Doc, Example, Rule
from linter.schema import Schema

PASCAL_CASE = re.compile(r"[A-Z][A-Za-z0-9]*")
CAMEL_CASE = re.compile(r"[a-z][A-Za-z0-9]*")
_WORDS = re.compile(r"[A-Za-z0-9]+")
_KINDS = {"model": "model", "view": "view", "type": "composite type", "enum": "enum"}


def _words(name: str) -> list[str]:
    return _WORDS.findall(name)


def to_pascal_case(name: str) -> str:
    """`user_account` → `UserAccount`, `userAccount` → `UserAccount` (inner capitals kept)."""
    return "".join(word[:1].upper() + word[1:] for word in _words(name)) or "X"


def to_camel_case(name: str) -> str:
    """`created_at` → `createdAt`, `UserId` → `userId`, `URL` → `url`."""
    pascal = to_pascal_case(name)
    if pascal.isupper():
        return pascal.lower()
    return pascal[:1].lower() + pascal[1:]


class PrismaModelCase(Rule):
    id = "N003"
    name = "prisma-model-case"
    severity = Severity.WARNING
    summary = "A Prisma model, enum, view or composite type is not PascalCase, or a field is not camelCase."
    dialects = frozenset()
    prisma = True
    doc = Doc(
        what="In a Prisma schema, a model, view, enum or composite type whose name is not PascalCase "
        "(`^[A-Z][A-Za-z0-9]*$`), or a field of a model, view or composite type that is not camelCase "
        "(`^[a-z][A-Za-z0-9]*$`). Enum values are not judged (SCREAMING_CASE is common and fine).",
        why="Prisma Client exposes these names as TypeScript types and properties: `prisma.user_account` "
        "and `post.created_at` read as foreign in TypeScript code, and mixing styles makes every name a guess. "
        "The database names are a separate choice, made with `@@map`/`@map`.",
        instead='Use the Prisma convention and map to the database names: `model UserAccount { createdAt '
        'DateTime @map("created_at") @@map("user_accounts") }`.',
        bad=Example(
            'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\n'
            "model user_account {\n  id         Int      @id\n  created_at DateTime @default(now())\n}\n",
            kind="prisma",
            expect=((6, 7), (8, 3)),
        ),
        good=Example(
            'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n\n'
            "model UserAccount {\n  id        Int      @id\n"
            '  createdAt DateTime @default(now()) @map("created_at")\n\n  @@map("user_accounts")\n}\n',
            kind="prisma",
        ),
    )

    def check_schema(self, schema: Schema, ctx: SchemaContext) -> None:
        document = ctx.prisma_document
        if not ctx.from_prisma or document is None:
            return
        for block in document.blocks:
            kind = _KINDS.get(block.kind)
            if kind is None:
                continue
            if not PASCAL_CASE.fullmatch(block.name):
                suggestion = to_pascal_case(block.name)
                keep = "" if block.attribute("map") is not None else f' and add @@map("{block.name}") to keep the database name'
                if block.kind == "type":
                    keep = ""  # composite types (MongoDB) have no table of their own
                ctx.report(
                    block.name_span,
                    f'{kind} "{block.name}" is not PascalCase; use "{suggestion}"',
                    fix=f"rename it to {suggestion}{keep}",
                )
            if block.kind == "enum":
                continue
            for item in block.fields:
                if CAMEL_CASE.fullmatch(item.name):
                    continue
                suggestion = to_camel_case(item.name)
                is_column = block.kind != "type" and item.attribute("map") is None and not _is_relation(item, document)
                keep = f' and add @map("{item.name}") to keep the column name' if is_column else ""
                ctx.report(
                    item.name_span,
                    f'field "{block.name}.{item.name}" is not camelCase; use "{suggestion}"',
                    fix=f"rename it to {suggestion}{keep}",
                )


def _is_relation(item, document) -> bool:
    """A relation field has no column, so it needs no @map to keep one."""
    if item.type is None:
        return False
    return any(block.name == item.type.name and block.kind in ("model", "view", "type") for block in document.blocks)
