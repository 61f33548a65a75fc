"""The Prisma parser: blocks, fields, attributes and values with exact positions."""

from __future__ import annotations

from linter.findings import Span, locate
from linter.prisma import parse_prisma
from linter.prisma.ast import ArrayValue, ConstantValue, FunctionValue, NumberValue, PrismaDocument
from linter.source import SourceFile

SAMPLE = """// dbvet: ignore N001
datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

/// A person who signs in.
model User {
  id        Int      @id @default(autoincrement())
  email     String   @unique @db.VarChar(255)
  createdAt DateTime @default(now()) @map("created_at")
  posts     Post[]
  bio       String?  // free text

  @@map("users")
}

enum Role {
  USER
  ADMIN @map("admin")
}
"""


def parse(text: str, path: str = "schema.prisma") -> tuple[PrismaDocument, SourceFile]:
    file = SourceFile(path, text)
    return parse_prisma([file]), file


def where(span: Span) -> tuple[int, int, int, int]:
    return locate(span)


def test_blocks_in_order_with_header_positions():
    document, _ = parse(SAMPLE)
    assert document.errors == []
    assert [(b.kind, b.name) for b in document.blocks] == [("datasource", "db"), ("model", "User"), ("enum", "Role")]
    user = document.blocks[1]
    assert where(user.header_span) == (8, 1, 8, 11)
    assert where(user.name_span) == (8, 7, 8, 11)
    assert where(user.span) == (8, 1, 16, 2)
    assert user.doc == "A person who signs in."
    assert document.provider == "postgresql"
    assert [b.name for b in document.models] == ["User"]
    assert [b.name for b in document.enums] == ["Role"]


def test_fields_types_and_attributes_with_positions():
    document, _ = parse(SAMPLE)
    user = document.blocks[1]
    assert [(f.name, f.type.name, f.type.optional, f.type.list) for f in user.fields] == [
        ("id", "Int", False, False),
        ("email", "String", False, False),
        ("createdAt", "DateTime", False, False),
        ("posts", "Post", False, True),
        ("bio", "String", True, False),
    ]
    email = user.fields[1]
    assert where(email.span) == (10, 3, 10, 46)
    assert where(email.type.span) == (10, 13, 10, 19)
    assert [a.name for a in email.attributes] == ["unique", "db.VarChar"]
    varchar = email.attributes[1]
    assert where(varchar.span) == (10, 30, 10, 46)
    assert where(varchar.name_span) == (10, 31, 10, 41)
    assert varchar.value(None, 0).text == "255"
    assert varchar.parent is email and email.block is user
    posts = user.fields[3]
    assert where(posts.type.span) == (12, 13, 12, 19)
    # The field span stops before the trailing comment.
    assert where(user.fields[4].span) == (13, 3, 13, 20)
    block_map = user.attributes[0]
    assert (block_map.name, block_map.block, block_map.string("name", 0)) == ("map", True, "users")
    assert where(block_map.span) == (15, 3, 15, 17)


def test_enum_values_and_config_entries():
    document, _ = parse(SAMPLE)
    datasource, _, role = document.blocks
    assert [(e.key, where(e.span)) for e in datasource.entries] == [
        ("provider", (3, 3, 3, 26)),
        ("url", (4, 3, 4, 33)),
    ]
    url = datasource.entries[1].value
    assert isinstance(url, FunctionValue) and url.name == "env"
    assert url.argument(None, 0).value.value == "DATABASE_URL"
    assert [(v.name, where(v.span)) for v in role.values] == [("USER", (19, 3, 19, 7)), ("ADMIN", (20, 3, 20, 22))]
    assert role.values[1].attribute("map").string("name", 0) == "admin"


def test_every_comment_is_kept_with_its_span():
    document, _ = parse(SAMPLE)
    assert [(where(span), text) for span, text in document.comments] == [
        ((1, 1, 1, 22), "// dbvet: ignore N001"),
        ((7, 1, 7, 27), "/// A person who signs in."),
        ((13, 22, 13, 34), "// free text"),
    ]


def test_argument_values_of_every_kind():
    text = (
        "model Post {\n"
        '  title  String  @default("say \\"hi\\"\\\\\\n\\u00e9\\ud83d\\ude00")\n'
        "  score  Float   @default(-1.5)\n"
        "  on     Boolean @default(true)\n"
        '  tags   String[] @default(["a", "b"])\n'
        '  id     String  @id @default(dbgenerated("gen_random_uuid()")) @db.Uuid\n'
        "\n"
        '  @@index([title(sort: Desc, length: 10), score], type: Hash, map: "post_idx")\n'
        '  @@unique(fields: [title, score], name: "titleScore")\n'
        "}\n"
    )
    document, _ = parse(text)
    assert document.errors == []
    post = document.blocks[0]
    title, score, on, tags, ident = post.fields
    assert title.attribute("default").string("value", 0) == 'say "hi"\\\né\U0001f600'
    value = score.attribute("default").value(None, 0)
    assert isinstance(value, NumberValue) and (value.text, value.is_integer) == ("-1.5", False)
    boolean = on.attribute("default").value(None, 0)
    assert isinstance(boolean, ConstantValue) and boolean.name == "true"
    array = tags.attribute("default").value(None, 0)
    assert isinstance(array, ArrayValue) and [item.value for item in array.items] == ["a", "b"]
    generated = ident.attribute("default").value(None, 0)
    assert isinstance(generated, FunctionValue) and generated.name == "dbgenerated"
    assert generated.argument(None, 0).value.value == "gen_random_uuid()"
    index, unique = post.attributes
    fields = index.value("fields", 0)
    assert isinstance(fields, ArrayValue)
    first = fields.items[0]
    assert isinstance(first, FunctionValue) and first.name == "title"
    assert [(a.name, getattr(a.value, "name", getattr(a.value, "text", None))) for a in first.arguments] == [
        ("sort", "Desc"),
        ("length", "10"),
    ]
    assert index.value("type").name == "Hash"
    assert index.string("map") == "post_idx"
    assert [a.name for a in index.arguments] == [None, "type", "map"]
    assert where(index.argument("map").span) == (8, 63, 8, 78)
    assert where(index.argument("map").name_span) == (8, 63, 8, 66)
    assert unique.string("name") == "titleScore"
    assert [item.name for item in unique.value("fields", 0).items] == ["title", "score"]


def test_unsupported_type_and_dotted_constants():
    document, _ = parse('model Doc {\n  search Unsupported("tsvector")?\n  kind   Kind @default(Kind.A)\n}\n')
    assert document.errors == []
    search, kind = document.blocks[0].fields
    assert (search.type.name, search.type.unsupported, search.type.optional) == ("tsvector", True, True)
    assert where(search.type.span) == (2, 10, 2, 34)
    assert kind.attribute("default").value(None, 0).name == "Kind.A"


def test_doc_comments_follow_prisma():
    text = (
        "/// Detached by a blank line.\n"
        "\n"
        "/// First line.\n"
        "///   Second line keeps trailing text.\n"
        "model A {\n"
        "  /// The key.\n"
        "\n"
        "  id Int @id /// and more\n"
        "  /// Replaced by the plain comment run below.\n"
        "  @@index([id])\n"
        "  // plain\n"
        "  name String\n"
        "  /* block\n"
        "     comment */\n"
        "  note String\n"
        "}\n"
        "/// The values.\n"
        "enum E {\n"
        "  /// First value.\n"
        "  X\n"
        "  Y /// trailing\n"
        "}\n"
    )
    document, _ = parse(text)
    assert document.errors == []
    model, enum = document.blocks
    assert model.doc == "First line.\nSecond line keeps trailing text."
    assert [(f.name, f.doc) for f in model.fields] == [
        ("id", "The key.\nand more"),
        ("name", None),
        ("note", "block\n     comment"),
    ]
    assert enum.doc == "The values."
    assert [(v.name, v.doc) for v in enum.values] == [("X", "First value."), ("Y", "trailing")]


def test_crlf_and_cr_line_breaks_give_the_same_positions():
    for line_break in ("\r\n", "\r"):
        document, _ = parse(SAMPLE.replace("\n", line_break))
        assert document.errors == []
        user = document.blocks[1]
        assert where(user.header_span) == (8, 1, 8, 11)
        assert where(user.fields[1].attributes[1].span) == (10, 30, 10, 46)
        assert where(user.span) == (8, 1, 16, 2)
        assert user.doc == "A person who signs in."
        assert [(where(span), text) for span, text in document.comments][2] == ((13, 22, 13, 34), "// free text")


def test_non_ascii_text_counts_characters():
    text = 'model Cafe {\n  id   Int    @id\n  name String @default("naïve ☕ 😀") @map("näme") // ü\n}\n'
    document, _ = parse(text)
    assert [e.message for e in document.errors] == []
    assert document.blocks[0].name == "Cafe"
    name = document.blocks[0].fields[1]
    assert name.attribute("default").string(None, 0) == "naïve ☕ 😀"
    assert where(name.attribute("map").span) == (3, 37, 3, 49)
    assert where(document.comments[0][0]) == (3, 50, 3, 54)


def test_multi_file_schema_keeps_each_node_in_its_file():
    first = SourceFile("schema/a.prisma", 'datasource db {\n  provider = "mysql"\n}\nmodel A {\n  id Int @id\n}\n')
    second = SourceFile("schema/b.prisma", "// b\nmodel B {\n  id Int @id\n}\n")
    document = parse_prisma([first, second])
    assert document.files == [first, second]
    assert [(b.name, b.file.path) for b in document.blocks] == [
        ("db", "schema/a.prisma"),
        ("A", "schema/a.prisma"),
        ("B", "schema/b.prisma"),
    ]
    assert document.blocks[2].fields[0].span.file is second
    assert [(span.file.path, text) for span, text in document.comments] == [("schema/b.prisma", "// b")]
    assert document.provider == "mysql"


def test_view_and_composite_type_blocks():
    document, _ = parse("view Stats {\n  id Int @unique\n  total Int\n}\ntype Address {\n  street String\n}\n")
    assert document.errors == []
    assert [(b.kind, b.name, [f.name for f in b.fields]) for b in document.blocks] == [
        ("view", "Stats", ["id", "total"]),
        ("type", "Address", ["street"]),
    ]
    assert [b.name for b in document.views] == ["Stats"]
    assert [b.name for b in document.composite_types] == ["Address"]


def test_braces_on_one_line_and_trailing_comma_are_reported_but_read():
    document, _ = parse('model A {}\ngenerator client {\n  previewFeatures = ["views",]\n}\n')
    assert [(e.message, where(e.span)[:2]) for e in document.errors] == [
        ("expected a line break between `{` and `}` of model `A`", (1, 10)),
        ("expected a value, found `]`", (3, 30)),
    ]
    assert [(b.kind, b.name) for b in document.blocks] == [("model", "A"), ("generator", "client")]
    assert where(document.blocks[0].span) == (1, 1, 1, 11)
