"""From a Prisma schema to the neutral Schema on MySQL, SQLite and the other providers, and
the names Prisma derives (truncated to the identifier limit as Prisma does)."""

from __future__ import annotations

from linter.prisma import parse_prisma, to_schema
from linter.prisma.names import pg_object_name
from linter.schema import Schema, Table
from linter.source import SourceFile

MYSQL = """datasource db {
  provider     = "mysql"
  url          = env("DATABASE_URL")
  relationMode = "prisma"
}

model Link {
  id        String    @id @default(cuid())
  url       String    @db.Text
  clicks    Int       @default(0) @db.UnsignedInt
  archived  Boolean   @default(false)
  price     Decimal   @db.Decimal(10, 2)
  status    Status    @default(ACTIVE)
  createdAt DateTime  @default(now())
  seenAt    DateTime? @default(now()) @db.Timestamp(0)
  title     String    @default("it's")
  userId    Int?
  user      User?     @relation(fields: [userId], references: [id])

  @@index([userId])
  @@fulltext([url, title])
}

model User {
  id    Int    @id @default(autoincrement())
  big   BigInt
  ratio Float
  meta  Json
  blob  Bytes
  links Link[]
}

enum Status {
  ACTIVE
  PAUSED @map("paused")
}
"""

SQLITE = """datasource db {
  provider = "sqlite"
  url      = "file:dev.db"
}

model Note {
  id      Int      @id @default(autoincrement())
  body    String   @default("")
  done    Boolean  @default(true)
  at      DateTime @default(now())
  ratio   Float?
  ownerId String
  owner   Person   @relation(fields: [ownerId], references: [id], onDelete: Cascade)
}

model Person {
  id     String   @id
  notes  Note[]
  groups Group[]
}

model Group {
  id      String   @id
  members Person[]
}
"""


def convert(text: str, provider: str | None = None) -> Schema:
    document = parse_prisma([SourceFile("schema.prisma", text)])
    assert document.errors == []
    return to_schema(document, provider)


def columns(table: Table) -> list[tuple[str, str, bool, str | None]]:
    return [(c.name, c.type, c.nullable, c.default) for c in table.columns.values()]


def indexes(table: Table) -> list[tuple]:
    return [(i.name, i.columns, i.unique, i.method) for i in table.indexes.values()]


def foreign_keys(table: Table) -> list[tuple]:
    return [
        (f.name, f.columns, str(f.ref_table), f.ref_columns, f.on_delete, f.on_update)
        for f in table.foreign_keys.values()
    ]


def test_mysql_types_defaults_and_no_foreign_keys_under_relation_mode_prisma():
    schema = convert(MYSQL)
    assert schema.dialect == "mysql"
    assert list(schema.tables) == ["link", "user"]
    assert schema.enums == {}
    link, user = schema.tables["link"], schema.tables["user"]
    assert (link.name, link.schema, link.primary_key.name, link.primary_key.columns) == (
        "Link",
        None,
        "PRIMARY",
        ["id"],
    )
    assert columns(link) == [
        ("id", "varchar(191)", False, None),
        ("url", "text", False, None),
        ("clicks", "int unsigned", False, "0"),
        ("archived", "tinyint(1)", False, "false"),
        ("price", "decimal(10,2)", False, None),
        ("status", "enum('ACTIVE','paused')", False, "'ACTIVE'"),
        ("createdAt", "datetime(3)", False, "CURRENT_TIMESTAMP(3)"),
        ("seenAt", "timestamp(0)", True, "CURRENT_TIMESTAMP(0)"),
        ("title", "varchar(191)", False, "'it''s'"),
        ("userId", "int", True, None),
    ]
    assert indexes(link) == [
        ("Link_userId_idx", ["userId"], False, "btree"),
        ("Link_url_title_idx", ["url", "title"], False, "fulltext"),
    ]
    assert link.foreign_keys == {}
    assert columns(user) == [
        ("id", "int", False, None),
        ("big", "bigint", False, None),
        ("ratio", "double", False, None),
        ("meta", "json", False, None),
        ("blob", "longblob", False, None),
    ]


def test_mysql_foreign_keys_with_the_default_relation_mode():
    schema = convert(MYSQL.replace('  relationMode = "prisma"\n', ""))
    # userId is optional and so is the relation field: Prisma's default is SET NULL.
    assert foreign_keys(schema.tables["link"]) == [
        ("Link_userId_fkey", ["userId"], "User", ["id"], "set null", "cascade")
    ]


def test_sqlite_types_defaults_keys_and_join_table():
    schema = convert(SQLITE)
    assert schema.dialect == "sqlite"
    assert list(schema.tables) == ["note", "person", "group", "_grouptoperson"]
    note, join = schema.tables["note"], schema.tables["_grouptoperson"]
    assert columns(note) == [
        ("id", "integer", False, None),
        ("body", "text", False, "''"),
        ("done", "boolean", False, "true"),
        ("at", "datetime", False, "CURRENT_TIMESTAMP"),
        ("ratio", "real", True, None),
        ("ownerId", "text", False, None),
    ]
    assert (note.primary_key.name, note.primary_key.columns) == ("sqlite_autoindex_Note_pk", ["id"])
    assert foreign_keys(note) == [("Note_ownerId_fkey", ["ownerId"], "Person", ["id"], "cascade", "cascade")]
    assert (join.name, join.primary_key) == ("_GroupToPerson", None)
    assert columns(join) == [("A", "text", False, None), ("B", "text", False, None)]
    assert indexes(join) == [
        ("_GroupToPerson_AB_unique", ["A", "B"], True, "btree"),
        ("_GroupToPerson_B_index", ["B"], False, "btree"),
    ]
    assert foreign_keys(join) == [
        ("_GroupToPerson_A_fkey", ["A"], "Group", ["id"], "cascade", "cascade"),
        ("_GroupToPerson_B_fkey", ["B"], "Person", ["id"], "cascade", "cascade"),
    ]


def test_provider_argument_overrides_the_datasource():
    schema = convert(SQLITE, "postgres")
    assert schema.dialect == "postgresql"
    note = schema.tables["public.Note"]
    assert columns(note)[:4] == [
        ("id", "integer", False, "nextval('\"Note_id_seq\"'::regclass)"),
        ("body", "text", False, "''::text"),
        ("done", "boolean", False, "true"),
        ("at", "timestamp(3) without time zone", False, "CURRENT_TIMESTAMP"),
    ]
    assert schema.tables["public._GroupToPerson"].primary_key.name == "_GroupToPerson_AB_pkey"


def test_no_datasource_means_postgresql_and_cockroachdb_speaks_postgresql():
    assert convert("model A {\n  id Int @id\n}\n").dialect == "postgresql"
    cockroach = convert(
        'datasource db {\n  provider = "cockroachdb"\n}\nmodel A {\n  id BigInt @id @default(autoincrement())\n  s String @db.String(40)\n}\n'
    )
    assert cockroach.dialect == "postgresql"
    assert columns(cockroach.tables["public.A"]) == [
        ("id", "bigint", False, "unique_rowid()"),
        ("s", "character varying(40)", False, None),
    ]


def test_default_on_delete_follows_the_referential_arity():
    schema = convert(
        'model Parent {\n  id Int @id\n  a Child[] @relation("a")\n  b Child[] @relation("b")\n  c Child[] @relation("c")\n}\n'
        "model Child {\n  id Int @id\n"
        '  aId Int\n  a Parent @relation("a", fields: [aId], references: [id])\n'
        '  bId Int\n  b Parent? @relation("b", fields: [bId], references: [id], onUpdate: NoAction)\n'
        '  cId Int?\n  c Parent? @relation("c", fields: [cId], references: [id], onDelete: SetDefault)\n}\n'
    )
    assert foreign_keys(schema.tables["public.Child"]) == [
        ("Child_aId_fkey", ["aId"], "public.Parent", ["id"], "restrict", "cascade"),
        # The relation field is optional but its scalar field is required: still RESTRICT.
        ("Child_bId_fkey", ["bId"], "public.Parent", ["id"], "restrict", "no action"),
        ("Child_cId_fkey", ["cId"], "public.Parent", ["id"], "set default", "cascade"),
    ]
    # SQL Server has no RESTRICT: Prisma's default there is NO ACTION.
    sqlserver = convert(
        "model P {\n  id Int @id\n  c C[]\n}\nmodel C {\n  id Int @id\n  pId Int\n  p P @relation(fields: [pId], references: [id])\n}\n",
        "sqlserver",
    )
    assert sqlserver.dialect == "sqlserver"
    assert foreign_keys(sqlserver.tables["C"]) == [("C_pId_fkey", ["pId"], "P", ["id"], "no action", "cascade")]


def test_long_names_are_cut_as_prisma_cuts_them():
    table = "t" * 60
    schema = convert(
        f'model {table} {{\n  id Int @id @default(autoincrement())\n  email String @unique\n  ownerId Int\n  owner {table} @relation("own", fields: [ownerId], references: [id])\n  owned {table}[] @relation("own")\n\n  @@index([ownerId, email])\n}}\n'
    )
    t = schema.tables[f"public.{table}"]
    assert t.primary_key.name == "t" * 58 + "_pkey"
    # `{table}_{columns}` is cut to 63 bytes minus the suffix, then the suffix is added.
    assert list(t.indexes) == ["t" * 59 + "_key", "t" * 59 + "_idx"]
    assert list(t.foreign_keys) == ["t" * 58 + "_fkey"]
    assert t.columns["id"].default == "nextval('" + "t" * 56 + "_id_seq'::regclass)"
    assert all(len(name.encode()) == 63 for name in [t.primary_key.name, *t.indexes, *t.foreign_keys])


def test_truncation_counts_bytes_and_keeps_characters_whole():
    assert pg_object_name("é" * 40, "id", "seq") == "é" * 28 + "_id_seq"
    schema = convert("model " + "M" * 3 + ' {\n  id Int @id @map("' + "é" * 40 + '")\n}\n')
    assert schema.tables["public.MMM"].primary_key.name == "MMM_pkey"
    schema = convert('model M {\n  id Int @id\n  @@map("' + "é" * 40 + '")\n}\n')
    assert schema.tables["public." + "é" * 40].primary_key.name == "é" * 29 + "_pkey"


def test_long_implicit_many_to_many_names():
    relation = "R" * 70
    schema = convert(
        f'model A {{\n  id Int @id\n  bs B[] @relation("{relation}")\n}}\nmodel B {{\n  id Int @id\n  as A[] @relation("{relation}")\n}}\n'
    )
    table_name = ("_" + relation)[:63]
    join = schema.tables[f"public.{table_name}"]
    assert join.primary_key.name == table_name[:55] + "_AB_pkey"
    assert list(join.indexes) == [table_name[:55] + "_B_index"]
    assert list(join.foreign_keys) == [table_name[:56] + "_A_fkey", table_name[:56] + "_B_fkey"]


def test_multi_schema_ignored_models_and_composite_types():
    schema = convert(
        'datasource db {\n  provider = "postgresql"\n  schemas = ["base", "auth"]\n}\n'
        'model User {\n  id Int @id\n  secret String @ignore\n  address Address\n  @@schema("auth")\n}\n'
        "model Legacy {\n  id Int @id\n  @@ignore\n}\n"
        'enum Kind {\n  A\n  @@schema("auth")\n}\n'
        "type Address {\n  street String\n}\n"
    )
    assert schema.schemas == {"public", "base", "auth"}
    # Prisma Migrate still creates what @ignore / @@ignore hide from the client.
    assert list(schema.tables) == ["auth.User", "public.Legacy"]
    assert list(schema.tables["auth.User"].columns) == ["id", "secret"]
    assert list(schema.enums) == ["auth.Kind"]
