"""From a Prisma schema to the neutral Schema, as Prisma Migrate would create it on PostgreSQL."""

from __future__ import annotations

from linter.findings import locate
from linter.prisma import parse_prisma, to_schema
from linter.prisma.ast import Attribute, Block, Field
from linter.schema import Schema, Table
from linter.source import SourceFile

POSTGRES = """datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}

/// People who sign in.
model User {
  id        Int      @id @default(autoincrement())
  uuid      String   @unique @default(uuid()) @db.Uuid
  email     String   @db.VarChar(255)
  name      String?
  role      Role     @default(USER)
  roles     Role[]   @default([ADMIN])
  tags      String[] @default([])
  score     Float    @default(-1.5)
  balance   Decimal  @default(0) @db.Decimal(19, 4)
  big       BigInt   @default(-1)
  active    Boolean  @default(false)
  payload   Json     @default("{}")
  avatar    Bytes?
  nick      String   @default("o'neil") @map("nick_name") @db.Char(8)
  /// When the row was made.
  createdAt DateTime @default(now()) @map("created_at") @db.Timestamptz(6)
  updatedAt DateTime @updatedAt @map("updated_at")
  search    Unsupported("tsvector")?
  token     String   @default(dbgenerated("gen_random_uuid()")) @db.Uuid
  posts     Post[]
  edited    Post[]   @relation("edits")

  @@index([email(sort: Desc), name], type: Hash)
  @@unique([email, name], map: "user_email_name")
  @@map("users")
}

model Post {
  id       BigInt  @id @default(autoincrement())
  authorId Int     @map("author_id")
  editorId Int?
  author   User    @relation(fields: [authorId], references: [id])
  editor   User?   @relation("edits", fields: [editorId], references: [id], onDelete: Cascade, map: "post_editor")
  tags     Tag[]

  @@index([authorId])
}

model Tag {
  name  String @id
  posts Post[]
}

enum Role {
  USER
  ADMIN @map("admin")

  @@map("role")
}

view Totals {
  id Int @unique
}
"""


def convert(text: str, provider: str | None = None) -> Schema:
    document = parse_prisma([SourceFile("schema.prisma", text)])
    assert document.errors == []
    return to_schema(document, provider)


def columns(table: Table) -> list[tuple[str, str, bool, str | None]]:
    return [(c.name, c.type, c.nullable, c.default) for c in table.columns.values()]


def indexes(table: Table) -> list[tuple]:
    return [
        (i.name, [(e.text, e.descending) for e in i.elements], i.unique, i.method, i.constraint)
        for i in table.indexes.values()
    ]


def foreign_keys(table: Table) -> list[tuple]:
    return [
        (f.name, f.columns, str(f.ref_table), f.ref_columns, f.on_delete, f.on_update)
        for f in table.foreign_keys.values()
    ]


def test_tables_enums_and_views():
    schema = convert(POSTGRES)
    assert schema.dialect == "postgresql"
    assert list(schema.tables) == ["public.users", "public.Post", "public.Tag", "public._PostToTag"]
    assert [(e.qualified, e.values) for e in schema.enums.values()] == [("public.role", ["USER", "admin"])]
    assert list(schema.views) == ["public.Totals"]


def test_columns_types_nullability_and_defaults():
    users = convert(POSTGRES).tables["public.users"]
    assert columns(users) == [
        ("id", "integer", False, "nextval('users_id_seq'::regclass)"),
        ("uuid", "uuid", False, None),
        ("email", "character varying(255)", False, None),
        ("name", "text", True, None),
        ("role", "role", False, "'USER'::role"),
        ("roles", "role[]", True, "ARRAY['admin'::role]"),
        ("tags", "text[]", True, "ARRAY[]::text[]"),
        ("score", "double precision", False, "'-1.5'::numeric"),
        ("balance", "numeric(19,4)", False, "0"),
        ("big", "bigint", False, "'-1'::integer"),
        ("active", "boolean", False, "false"),
        ("payload", "jsonb", False, "'{}'::jsonb"),
        ("avatar", "bytea", True, None),
        ("nick_name", "character(8)", False, "'o''neil'::bpchar"),
        ("created_at", "timestamp(6) with time zone", False, "CURRENT_TIMESTAMP"),
        ("updated_at", "timestamp(3) without time zone", False, None),
        ("search", "tsvector", True, None),
        ("token", "uuid", False, "gen_random_uuid()"),
    ]
    assert users.comment == "People who sign in."
    assert users.columns["created_at"].comment == "When the row was made."
    assert users.columns["email"].comment is None


def test_keys_and_indexes_named_as_prisma_names_them():
    schema = convert(POSTGRES)
    users, post, tag, join = (
        schema.tables[k] for k in ("public.users", "public.Post", "public.Tag", "public._PostToTag")
    )
    assert (users.primary_key.name, users.primary_key.columns) == ("users_pkey", ["id"])
    assert indexes(users) == [
        ("users_uuid_key", [("uuid", False)], True, "btree", None),
        ("users_email_name_idx", [("email", True), ("name", False)], False, "hash", None),
        ("user_email_name", [("email", False), ("name", False)], True, "btree", None),
    ]
    assert (post.primary_key.name, post.primary_key.columns) == ("Post_pkey", ["id"])
    assert columns(post) == [
        ("id", "bigint", False, "nextval('\"Post_id_seq\"'::regclass)"),
        ("author_id", "integer", False, None),
        ("editorId", "integer", True, None),
    ]
    assert indexes(post) == [("Post_author_id_idx", [("author_id", False)], False, "btree", None)]
    assert foreign_keys(post) == [
        ("Post_author_id_fkey", ["author_id"], "public.users", ["id"], "restrict", "cascade"),
        ("post_editor", ["editorId"], "public.users", ["id"], "cascade", "cascade"),
    ]
    assert (tag.primary_key.name, tag.primary_key.columns, columns(tag)) == (
        "Tag_pkey",
        ["name"],
        [("name", "text", False, None)],
    )
    assert columns(join) == [("A", "bigint", False, None), ("B", "text", False, None)]
    assert (join.primary_key.name, join.primary_key.columns) == ("_PostToTag_AB_pkey", ["A", "B"])
    assert indexes(join) == [("_PostToTag_B_index", [("B", False)], False, "btree", None)]
    assert foreign_keys(join) == [
        ("_PostToTag_A_fkey", ["A"], "public.Post", ["id"], "cascade", "cascade"),
        ("_PostToTag_B_fkey", ["B"], "public.Tag", ["name"], "cascade", "cascade"),
    ]


def test_every_object_points_back_at_its_source():
    schema = convert(POSTGRES)
    users, post = schema.tables["public.users"], schema.tables["public.Post"]
    assert isinstance(users.source, Block) and users.source.name == "User"
    assert locate(users.span) == (7, 1, 7, 11)
    email = users.columns["email"]
    assert isinstance(email.source, Field) and email.source.name == "email"
    assert locate(email.span) == (10, 3, 10, 38)
    assert isinstance(users.primary_key.source, Attribute) and locate(users.primary_key.span) == (8, 22, 8, 25)
    hashed = users.indexes["users_email_name_idx"]
    assert hashed.source.name == "index" and locate(hashed.span) == (30, 3, 30, 49)
    author = post.foreign_keys["Post_author_id_fkey"]
    # The relation attribute tells whether onDelete was written.
    assert author.source.name == "relation" and author.source.argument("onDelete") is None
    assert post.foreign_keys["post_editor"].source.argument("onDelete").value.name == "Cascade"
    assert locate(author.span) == (39, 20, 39, 67)
    enum = schema.enums["public.role"]
    assert enum.source.name == "Role" and locate(enum.span) == (51, 1, 51, 10)
    join = schema.tables["public._PostToTag"]
    assert join.source.name == "tags" and locate(join.span) == (41, 3, 41, 17)
    assert schema.views["public.Totals"].span.start == schema.views["public.Totals"].span.file.text.index("view Totals")
