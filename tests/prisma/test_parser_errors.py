"""Syntax errors: exact positions, clear messages, recovery, and no exception on any input."""

from __future__ import annotations

import random

from linter.prisma import parse_prisma, to_schema
from linter.source import SourceFile

RICH = """// A schema touching every construct the parser knows.
datasource db {
  provider     = "postgresql"
  url          = env("DATABASE_URL")
  relationMode = "foreignKeys"
  schemas      = ["public", "auth"]
}

generator client {
  provider        = "prisma-client-js"
  previewFeatures = ["multiSchema", "views"]
}

/// Users.
model User {
  id        String   @id @default(uuid()) @db.Uuid
  email     String   @unique(map: "user_email") @db.VarChar(255)
  name      String?  /// shown in the UI
  role      Role     @default(USER)
  tags      String[] @default([])
  balance   Decimal  @default(0) @db.Decimal(19, 4)
  createdAt DateTime @default(now()) @map("created_at") @db.Timestamptz(6)
  updatedAt DateTime @updatedAt @map("updated_at")
  search    Unsupported("tsvector")?
  posts     Post[]

  @@index([email(sort: Desc), name], type: BTree, map: "user_lookup")
  @@map("users")
  @@schema("auth")
}

model Post {
  id       Int    @id @default(autoincrement())
  title    String @default("untitled \\"draft\\"")
  authorId String @map("author_id") @db.Uuid
  author   User   @relation(fields: [authorId], references: [id], onDelete: Cascade)

  @@unique([title, authorId], name: "titleAuthor")
  @@schema("public")
}

enum Role {
  USER
  ADMIN @map("admin")

  @@schema("auth")
}

view Totals {
  id    Int @unique
  total Int
}

type Address {
  street String
}
"""


def errors(text: str) -> list[tuple[int, int, str]]:
    file = SourceFile("schema.prisma", text)
    document = parse_prisma([file])
    positions = [file.position(problem.span.start) for problem in document.errors]
    return [(p.line, p.column, problem.message) for p, problem in zip(positions, document.errors)]


def test_rich_schema_parses_cleanly():
    assert errors(RICH) == []


def test_unclosed_block_at_end_of_file():
    assert errors("model User {\n  id    Int    @id\n  email String @unique\n") == [
        (4, 1, "expected `}` to close model `User` (opened on line 1)"),
    ]


def test_unclosed_block_recovers_at_the_next_block():
    file = SourceFile("schema.prisma", "model User {\n  id Int @id\n\nmodel Post {\n  id Int @id\n}\n")
    document = parse_prisma([file])
    assert [(file.position(e.span.start).line, e.message) for e in document.errors] == [
        (4, "expected `}` to close model `User` (opened on line 1) before this model"),
    ]
    assert [(b.name, [f.name for f in b.fields]) for b in document.blocks] == [("User", ["id"]), ("Post", ["id"])]


def test_bad_lines_inside_a_block_do_not_lose_the_others():
    file = SourceFile(
        "schema.prisma",
        "model A {\n  id Int @id @default(\n  = oops\n  name String\n}\nenum E {\n  A B\n  C\n}\n",
    )
    document = parse_prisma([file])
    assert [
        (file.position(e.span.start).line, file.position(e.span.start).column, e.message) for e in document.errors
    ] == [
        (2, 23, "expected a value before the end of the line (an attribute must be written on one line)"),
        (3, 3, "unexpected `=`: expected a field or a block attribute (`@@…`)"),
        (7, 5, "unexpected `B` after enum value `A`; expected the end of the line"),
    ]
    assert [(b.name, [f.name for f in b.fields] or [v.name for v in b.values]) for b in document.blocks] == [
        ("A", ["name"]),
        ("E", ["A", "C"]),
    ]


def test_top_level_garbage_and_blocks_without_keyword():
    assert errors('foo bar\nthing {\n  x Int\n}\nmodel A {\n  id Int @id\n}\n"open\n') == [
        (
            1,
            1,
            "unexpected `foo`: a line outside blocks must start a model, enum, view, type, datasource or generator block",
        ),
        (2, 1, "block `thing` does not start with a Prisma keyword (model, enum, view, type, datasource or generator)"),
        (8, 1, 'unterminated string (a string must end with `"` on the same line)'),
    ]


def test_block_header_problems():
    assert errors("model {\n  id Int\n}\nmodel B\nenum C { \n  X\n}\ntype Alias = String\n") == [
        (1, 7, "expected a name after `model`, found `{`"),
        (4, 8, "expected `{` after `model B`, found the end of the line"),
        (8, 1, "invalid type definition `type Alias = …`: type aliases are not supported"),
    ]


def test_legacy_and_invalid_field_forms():
    assert errors(
        'model A {\n  a String[]?\n  b [Int]\n  c Int!\n  d: Int\n  e\n  f String @default("x\\q")\n  g Int @\n  h Int @default(name:)\n}\n'
    ) == [
        (2, 13, "optional lists are not supported; use either `Type[]` or `Type?`"),
        (3, 5, "to declare a list, write `Type[]` instead of `[Type]`"),
        (4, 8, "fields are required by default; `!` is no longer needed"),
        (5, 4, "field declarations don't take a `:` (write `name Type`)"),
        (6, 4, "field `e` has no type (expected `e Type`), found the end of the line"),
        (7, 23, "unknown escape sequence; write a backslash as `\\\\` (for example in a Windows path)"),
        (8, 10, "expected an attribute name after `@`, found the end of the line"),
        (9, 18, "argument `name:` has no value"),
    ]


def test_config_block_problems():
    assert errors('datasource db {\n  provider "postgresql"\n  url =\n  @@map("x")\n}\n') == [
        (2, 12, "expected `=` after `provider` (settings are written `provider = value`), found a string"),
        (3, 8, "setting `url` has no value"),
        (4, 3, "unexpected `@@`: expected a setting"),
    ]


def test_unterminated_string_and_comment_and_stray_characters():
    assert errors('model A {\n  a String @default("oops)\n  b Int $\n}\n/* never closed\n') == [
        (2, 21, 'expected a value, found an unterminated string (a string must end with `"` on the same line)'),
        (3, 9, "unexpected character `$` after field `b`; expected the end of the line"),
        (5, 1, "comment `/*` is never closed with `*/`"),
    ]


def test_closing_brace_on_a_field_line():
    file = SourceFile("schema.prisma", "model A {\n  id Int @id }\nmodel B {\n  id Int @id\n}\n")
    document = parse_prisma([file])
    assert [(file.position(e.span.start).column, e.message) for e in document.errors] == [
        (14, "expected a line break between field `id` and `}`"),
    ]
    assert [(b.name, [f.name for f in b.fields]) for b in document.blocks] == [("A", ["id"]), ("B", ["id"])]


def test_raw_control_character_in_a_string():
    message = (
        "expected a value, found a string holding a raw control character such as a tab "
        "(write it as an escape, e.g. `\\t`)"
    )
    assert errors('model A {\n  a String @default("x\ty")\n}\n') == [(2, 21, message)]


def _check_never_raises(text: str) -> None:
    file = SourceFile("schema.prisma", text)
    document = parse_prisma([file])
    for problem in document.errors:
        assert 0 <= problem.span.start <= problem.span.end <= len(text)
        assert problem.message
    to_schema(document)
    to_schema(document, "mysql")
    to_schema(document, "sqlite")


def test_every_truncation_of_a_schema_parses_without_exception():
    for text in (RICH, RICH.replace("\n", "\r\n")):
        for end in range(len(text) + 1):
            _check_never_raises(text[:end])


def test_random_bytes_and_unbalanced_braces_never_raise():
    generator = random.Random(20240601)
    alphabet = '{}[]()@@"\\/*:=?.!,\n\r\t abcXYZ019-_é😀\x00\x1f'
    for _ in range(400):
        length = generator.randrange(0, 200)
        _check_never_raises("".join(generator.choice(alphabet) for _ in range(length)))
    for _ in range(100):
        data = bytes(generator.randrange(256) for _ in range(generator.randrange(0, 300)))
        _check_never_raises(data.decode("latin-1"))
    for text in ("}" * 50, "{" * 50, "model A {" * 20, "model A {\n" + "}\n" * 10, "@@" * 30, "[(" * 40):
        _check_never_raises(text)


def test_lines_mixing_valid_blocks_with_shuffled_lines_never_raise():
    generator = random.Random(7)
    lines = RICH.splitlines(keepends=True)
    for _ in range(200):
        generator.shuffle(lines)
        _check_never_raises("".join(lines[: generator.randrange(1, len(lines))]))
