"""R005 schema-drift: a Prisma schema against the schema its migrations replay to.

Each case writes a Prisma project (schema + migrations) to a temporary folder and runs
`dbvet check` with R005 (and E001) selected; the findings are compared exactly. The
comparison itself (`linter.drift.compare`) is also tested directly at the end.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import run_tree, write_tree

from linter.drift import Kind, Migrated, compare
from linter.prisma import parse_prisma, to_schema
from linter.source import SourceFile

SCHEMA = "prisma/schema.prisma"


def datasource(provider: str, extra: str = "") -> str:
    return f'datasource db {{\n  provider = "{provider}"\n  url      = env("DATABASE_URL"){extra}\n}}\n\n'


def migration(number: int) -> str:
    return f"prisma/migrations/2024010100000{number}_m{number}/migration.sql"


def drift(root: Path, schema: str, *migrations: str) -> list[tuple[str, int, int, str]]:
    files = {SCHEMA: schema} | {migration(n): sql for n, sql in enumerate(migrations, start=1)}
    write_tree(root, files)
    return [(f.path, f.line, f.column, f.message) for f in run_tree(root, {"select": ["R005", "E001"]})]


def where(findings) -> list[tuple[str, int, int]]:
    return [(path, line, column) for path, line, column, _ in findings]


# --- PostgreSQL ---------------------------------------------------------------------------------
PG = datasource("postgresql")
PG_USER = """CREATE TABLE "User" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "User_email_key" ON "User"("email");
"""
PG_USER_MODEL = """model User {
  id        Int      @id @default(autoincrement())
  email     String   @unique
  name      String?
  createdAt DateTime @default(now())
}
"""


def test_pg_in_step_is_silent(tmp_path):
    assert drift(tmp_path, PG + PG_USER_MODEL, PG_USER) == []


def test_pg_field_no_migration_adds_is_reported_at_the_field(tmp_path):
    schema = PG + PG_USER_MODEL.replace("  name      String?\n", "  name      String?\n  bio       String?\n")
    found = drift(tmp_path, schema, PG_USER)
    assert where(found) == [(SCHEMA, 10, 3)]
    assert found[0][3] == (
        'field "bio" of model "User" is in schema.prisma but no migration creates column "User"."bio": '
        "a migration is missing"
    )


def test_pg_column_only_a_migration_adds_is_reported_at_the_migration(tmp_path):
    found = drift(tmp_path, PG + PG_USER_MODEL, PG_USER, 'ALTER TABLE "User" ADD COLUMN "nickname" TEXT;\n')
    assert where(found) == [(migration(2), 1, 31)]
    assert found[0][3].startswith(
        'column "User"."nickname" is created by migration 20240101000002 but not described in schema.prisma '
        '(model "User" has no field for it)'
    )


def test_pg_nullability_differs(tmp_path):
    schema = PG + PG_USER_MODEL.replace("email     String   @unique", "email     String?  @unique")
    found = drift(tmp_path, schema, PG_USER)
    assert where(found) == [(SCHEMA, 8, 3)]
    assert found[0][3].startswith(
        'field "email" of model "User" is String? (nullable) in schema.prisma but NOT NULL after the migrations '
        "(last changed by migration 20240101000001)"
    )


def test_pg_type_differs_and_names_the_migration_that_changed_it(tmp_path):
    schema = PG + PG_USER_MODEL.replace("name      String?", "name      String? @db.VarChar(100)")
    found = drift(tmp_path, schema, PG_USER, 'ALTER TABLE "User" ALTER COLUMN "name" TYPE VARCHAR(50);\n')
    assert where(found) == [(SCHEMA, 9, 3)]
    assert found[0][3].startswith(
        'field "name" of model "User" is String? @db.VarChar(100) (character varying(100)) in schema.prisma '
        "but character varying(50) after the migrations (last changed by migration 20240101000002)"
    )


def test_pg_model_no_migration_creates_is_reported_at_the_model(tmp_path):
    schema = PG + PG_USER_MODEL + "\nmodel Post {\n  id Int @id\n}\n"
    found = drift(tmp_path, schema, PG_USER)
    assert found == [
        (
            SCHEMA,
            13,
            1,
            'model "Post" is in schema.prisma but no migration creates table "Post": a migration is missing',
        )
    ]


def test_pg_table_only_a_migration_creates_is_reported_at_its_create(tmp_path):
    found = drift(tmp_path, PG + PG_USER_MODEL, PG_USER, '\nCREATE TABLE "Audit" ("id" INTEGER PRIMARY KEY);\n')
    assert where(found) == [(migration(2), 2, 1)]
    assert found[0][3].startswith('table "Audit" is created by migration 20240101000002 but not described')


ENUM_SQL = """CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');
CREATE TABLE "Account" ("id" TEXT NOT NULL, "role" "Role" NOT NULL DEFAULT 'USER', CONSTRAINT "Account_pkey" PRIMARY KEY ("id"));
"""
ENUM_MODEL = """enum Role {
  USER
  ADMIN
}

model Account {
  id   String @id @default(uuid())
  role Role   @default(USER)
}
"""


def test_pg_enum_in_step_is_silent(tmp_path):
    assert drift(tmp_path, PG + ENUM_MODEL, ENUM_SQL) == []


def test_pg_enum_value_only_in_the_schema(tmp_path):
    schema = PG + ENUM_MODEL.replace("  ADMIN\n", "  ADMIN\n  OWNER\n")
    found = drift(tmp_path, schema, ENUM_SQL)
    assert found == [
        (
            SCHEMA,
            9,
            3,
            'value "OWNER" of enum "Role" is in schema.prisma but no migration creates value "OWNER" of enum "Role": '
            "a migration is missing",
        )
    ]


def test_pg_enum_value_only_in_the_migrations_is_reported_where_it_was_added(tmp_path):
    found = drift(tmp_path, PG + ENUM_MODEL, ENUM_SQL, "ALTER TYPE \"Role\" ADD VALUE 'OWNER';\n")
    assert where(found) == [(migration(2), 1, 1)]
    assert found[0][3].startswith('value "OWNER" of enum "Role" is created by migration 20240101000002')


POST_SQL = """CREATE TABLE "Post" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "authorId" INTEGER NOT NULL,
    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "Post_title_idx" ON "Post"("title");
ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
"""
POST_MODEL = """
model Post {
  id       Int    @id @default(autoincrement())
  title    String
  authorId Int
  author   User   @relation(fields: [authorId], references: [id])

  @@index([title])
}
"""
USER_WITH_POSTS = PG_USER_MODEL.replace(
    "  createdAt DateTime @default(now())\n", "  createdAt DateTime @default(now())\n  posts     Post[]\n"
)


def test_pg_relation_and_index_in_step_is_silent(tmp_path):
    assert drift(tmp_path, PG + USER_WITH_POSTS + POST_MODEL, PG_USER, POST_SQL) == []


def test_pg_index_only_in_the_schema(tmp_path):
    schema = (
        PG + USER_WITH_POSTS + POST_MODEL.replace("  @@index([title])\n", "  @@index([title])\n  @@index([authorId])\n")
    )
    found = drift(tmp_path, schema, PG_USER, POST_SQL)
    assert found == [
        (
            SCHEMA,
            21,
            3,
            '@@index([authorId]) of model "Post" is in schema.prisma but no migration creates index "Post_authorId_idx" '
            'on "Post" (authorId): a migration is missing',
        )
    ]


def test_pg_index_only_in_the_migrations(tmp_path):
    schema = PG + USER_WITH_POSTS + POST_MODEL.replace("  @@index([title])\n", "")
    found = drift(tmp_path, schema, PG_USER, POST_SQL)
    assert where(found) == [(migration(2), 7, 1)]
    assert found[0][3].startswith('index "Post_title_idx" on "Post" (title) is created by migration 20240101000002')


def test_pg_foreign_key_on_delete_differs(tmp_path):
    schema = PG + USER_WITH_POSTS + POST_MODEL.replace("references: [id])", "references: [id], onDelete: Cascade)")
    found = drift(tmp_path, schema, PG_USER, POST_SQL)
    assert where(found) == [(SCHEMA, 18, 19)]
    assert found[0][3].startswith(
        'relation field "author" of model "Post" has on delete cascade in schema.prisma but on delete restrict '
        "after the migrations (last changed by migration 20240101000002)"
    )


def test_pg_relation_mode_prisma_has_no_foreign_keys_to_compare(tmp_path):
    schema = datasource("postgresql", '\n  relationMode = "prisma"') + USER_WITH_POSTS + POST_MODEL
    without_fk = POST_SQL.split("ALTER TABLE")[0]
    assert drift(tmp_path, schema, PG_USER, without_fk) == []
    # A foreign key the migrations made anyway is not Prisma's concern either.
    assert drift(tmp_path, schema, PG_USER, POST_SQL) == []


def test_pg_map_names(tmp_path):
    schema = PG + (
        "model User {\n"
        '  id        Int    @id @default(autoincrement()) @map("user_id")\n'
        '  fullName  String @map("full_name")\n\n'
        '  @@index([fullName], map: "users_name")\n'
        '  @@map("users")\n'
        "}\n"
    )
    sql = (
        'CREATE TABLE "users" ("user_id" SERIAL NOT NULL, "full_name" TEXT NOT NULL, '
        'CONSTRAINT "users_pkey" PRIMARY KEY ("user_id"));\n'
        'CREATE INDEX "users_name" ON "users"("full_name");\n'
    )
    assert drift(tmp_path, schema, sql) == []
    renamed = sql.replace('INDEX "users_name"', 'INDEX "users_full_name_idx"')
    found = drift(tmp_path, schema, renamed)
    assert where(found) == [(SCHEMA, 10, 3)]
    assert found[0][3].startswith(
        '@@index([fullName], map: "users_name") of model "User" is named "users_name" in schema.prisma but named '
        '"users_full_name_idx" after the migrations'
    )


M2M_MODEL = """model Post {
  id   Int   @id
  tags Tag[]
}

model Tag {
  id    Int    @id
  posts Post[]
}
"""
M2M_TABLES = """CREATE TABLE "Post" ("id" INTEGER NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));
CREATE TABLE "Tag" ("id" INTEGER NOT NULL, CONSTRAINT "Tag_pkey" PRIMARY KEY ("id"));
"""
M2M_FKS = """ALTER TABLE "_PostToTag" ADD CONSTRAINT "_PostToTag_A_fkey" FOREIGN KEY ("A") REFERENCES "Post"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "_PostToTag" ADD CONSTRAINT "_PostToTag_B_fkey" FOREIGN KEY ("B") REFERENCES "Tag"("id") ON DELETE CASCADE ON UPDATE CASCADE;
"""


def test_pg_implicit_many_to_many_prisma_6_and_prisma_5_tables(tmp_path):
    prisma_6 = (
        'CREATE TABLE "_PostToTag" ("A" INTEGER NOT NULL, "B" INTEGER NOT NULL, '
        'CONSTRAINT "_PostToTag_AB_pkey" PRIMARY KEY ("A","B"));\n'
        'CREATE INDEX "_PostToTag_B_index" ON "_PostToTag"("B");\n'
    )
    prisma_5 = (
        'CREATE TABLE "_PostToTag" ("A" INTEGER NOT NULL, "B" INTEGER NOT NULL);\n'
        'CREATE UNIQUE INDEX "_PostToTag_AB_unique" ON "_PostToTag"("A", "B");\n'
        'CREATE INDEX "_PostToTag_B_index" ON "_PostToTag"("B");\n'
    )
    assert drift(tmp_path / "6", PG + M2M_MODEL, M2M_TABLES, prisma_6 + M2M_FKS) == []
    assert drift(tmp_path / "5", PG + M2M_MODEL, M2M_TABLES, prisma_5 + M2M_FKS) == []
    found = drift(tmp_path / "missing", PG + M2M_MODEL, M2M_TABLES)
    assert where(found) == [(SCHEMA, 8, 3)]
    assert found[0][3].startswith(
        'the implicit many-to-many table of field "tags" of model "Post" is in schema.prisma but no migration '
        'creates table "_PostToTag"'
    )


def test_pg_equivalent_spellings_are_silent(tmp_path):
    schema = PG + (
        "model Item {\n"
        "  id        String   @id @default(uuid()) @db.Uuid\n"
        "  n         BigInt   @default(autoincrement())\n"
        "  tags      String[]\n"
        "  empty     String[] @default([])\n"
        '  settings  Json     @default("{\\"a\\":1,\\"b\\":[true]}")\n'
        "  price     Decimal  @default(0) @db.Decimal(10, 2)\n"
        "  active    Boolean  @default(true)\n"
        "  updatedAt DateTime @updatedAt\n"
        "  at        DateTime @default(now()) @db.Timestamptz(6)\n\n"
        "  @@unique([n])\n"
        "}\n"
    )
    sql = (
        'CREATE TABLE "Item" (\n'
        '    "id" UUID NOT NULL DEFAULT gen_random_uuid(),\n'
        '    "n" BIGINT GENERATED BY DEFAULT AS IDENTITY,\n'
        '    "tags" TEXT[] NOT NULL,\n'
        "    \"empty\" TEXT[] DEFAULT '{}'::text[],\n"
        '    "settings" JSONB NOT NULL DEFAULT \'{"b": [true], "a": 1}\',\n'
        '    "price" NUMERIC(10,2) NOT NULL DEFAULT 0,\n'
        '    "active" BOOLEAN NOT NULL DEFAULT TRUE,\n'
        '    "updatedAt" TIMESTAMP(3) NOT NULL,\n'
        '    "at" TIMESTAMPTZ(6) NOT NULL DEFAULT now(),\n'
        '    CONSTRAINT "Item_pkey" PRIMARY KEY ("id"),\n'
        '    CONSTRAINT "Item_n_key" UNIQUE ("n")\n'
        ");\n"
    )
    assert drift(tmp_path, schema, sql) == []


def test_pg_what_prisma_cannot_express_is_silent(tmp_path):
    sql = (
        PG_USER
        + 'CREATE INDEX "User_name_partial" ON "User"("name") WHERE "name" IS NOT NULL;\n'
        + 'CREATE INDEX "User_lower_email" ON "User"(lower("email"));\n'
        + 'CREATE INDEX "User_name_trgm" ON "User" USING gin ("name" gin_trgm_ops);\n'
        + 'ALTER TABLE "User" ADD CONSTRAINT "User_email_check" CHECK (length("email") > 3);\n'
        + 'CREATE VIEW "user_names" AS SELECT "name" FROM "User";\n'
        + 'CREATE TABLE "_prisma_migrations" ("id" VARCHAR(36) PRIMARY KEY);\n'
        + 'CREATE SCHEMA "audit";\nCREATE TABLE "audit"."log" ("id" INTEGER);\n'
        + "CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN RETURN NEW; END $$ LANGUAGE plpgsql;\n"
    )
    assert drift(tmp_path, PG + PG_USER_MODEL, sql) == []


def test_pg_what_a_do_block_may_have_made_is_not_reported(tmp_path):
    schema = PG + PG_USER_MODEL.replace("  name      String?\n", "  name      String?\n  bio       String?\n")
    guarded = (
        'DO $$ BEGIN\n  ALTER TABLE "User" ADD COLUMN "bio" TEXT;\n'
        "EXCEPTION WHEN duplicate_column THEN NULL;\nEND $$;\n"
    )
    assert drift(tmp_path, schema, PG_USER, guarded) == []


def test_pg_a_migration_that_does_not_parse_leaves_r005_silent(tmp_path):
    schema = PG + PG_USER_MODEL.replace("  name      String?\n", "  name      String?\n  bio       String?\n")
    found = drift(tmp_path, schema, PG_USER, 'ALTER TABLE "User" ADD COLUMN "bio" TEXT TEXT TEXT;\n')
    assert [f[:3] for f in found] == [(migration(2), 1, 42)]  # E001 only


def test_pg_multi_schema_only_compares_the_datasource_schemas(tmp_path):
    schema = datasource("postgresql", '\n  schemas  = ["app"]') + (
        'model Thing {\n  id Int @id\n\n  @@schema("app")\n}\n'
    )
    sql = (
        'CREATE SCHEMA "app";\nCREATE TABLE "app"."Thing" ("id" INTEGER NOT NULL, CONSTRAINT "Thing_pkey" PRIMARY KEY ("id"));\n'
        'CREATE TABLE "public"."other" ("id" INTEGER);\n'
    )
    assert drift(tmp_path, schema, sql) == []
    found = drift(tmp_path / "b", schema, sql + 'CREATE TABLE "app"."extra" ("id" INTEGER);\n')
    assert [f[:3] for f in found] == [(migration(1), 4, 1)]
    assert found[0][3].startswith('table "app"."extra" is created by migration 20240101000001')


# --- MySQL --------------------------------------------------------------------------------------
MY = datasource("mysql")
MY_MODEL = """enum Status {
  DRAFT
  LIVE
}

model Page {
  id        Int      @id @default(autoincrement())
  slug      String   @unique
  title     String   @db.VarChar(200)
  views     Int      @default(0) @db.UnsignedInt
  live      Boolean  @default(false)
  status    Status   @default(DRAFT)
  createdAt DateTime @default(now())
  ref       String   @default(cuid())
}
"""
MY_SQL = """CREATE TABLE `Page` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `slug` VARCHAR(191) NOT NULL,
    `title` VARCHAR(200) NOT NULL,
    `views` INT UNSIGNED NOT NULL DEFAULT 0,
    `live` BOOLEAN NOT NULL DEFAULT false,
    `status` ENUM('DRAFT', 'LIVE') NOT NULL DEFAULT 'DRAFT',
    `createdAt` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
    `ref` VARCHAR(191) NOT NULL,

    UNIQUE INDEX `Page_slug_key`(`slug`),
    PRIMARY KEY (`id`)
) DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
"""


def test_mysql_in_step_is_silent(tmp_path):
    assert drift(tmp_path, MY + MY_MODEL, MY_SQL) == []


def test_mysql_type_and_enum_drift(tmp_path):
    sql = (
        MY_SQL
        + "ALTER TABLE `Page` MODIFY `title` TEXT NOT NULL;\n"
        + ("ALTER TABLE `Page` MODIFY `status` ENUM('DRAFT', 'LIVE', 'GONE') NOT NULL DEFAULT 'DRAFT';\n")
    )
    found = drift(tmp_path, MY + MY_MODEL, sql)
    assert where(found) == [(SCHEMA, 14, 3), (SCHEMA, 17, 3)]
    assert found[0][3].startswith(
        'field "title" of model "Page" is String @db.VarChar(200) (varchar(200)) in schema.prisma but text '
        "after the migrations (last changed by migration 20240101000001)"
    )
    assert found[1][3].startswith(
        "field \"status\" of model \"Page\" is Status (enum('DRAFT','LIVE')) in schema.prisma but "
        "enum('DRAFT','LIVE','GONE') after the migrations"
    )


# --- SQLite -------------------------------------------------------------------------------------
SQ = datasource("sqlite")
SQ_MODEL = """model Note {
  id        Int      @id @default(autoincrement())
  code      String   @id_placeholder
  body      String
  createdAt DateTime @default(now())
  ownerId   String

  @@index([ownerId])
}
""".replace("  code      String   @id_placeholder\n", "")
SQ_SQL = """CREATE TABLE "Note" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "body" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "ownerId" TEXT NOT NULL
);
CREATE INDEX "Note_ownerId_idx" ON "Note"("ownerId");
"""


def test_sqlite_in_step_is_silent(tmp_path):
    assert drift(tmp_path, SQ + SQ_MODEL, SQ_SQL) == []


def test_sqlite_text_primary_key_names_are_not_compared(tmp_path):
    schema = SQ + "model Session {\n  id String @id\n}\n"
    sql = 'CREATE TABLE "Session" ("id" TEXT NOT NULL PRIMARY KEY);\n'
    assert drift(tmp_path, schema, sql) == []


def test_sqlite_declared_types_compare_by_family(tmp_path):
    schema = SQ + "model T {\n  id Int @id\n  name String\n  n BigInt\n}\n"
    sql = 'CREATE TABLE "T" ("id" INT NOT NULL PRIMARY KEY, "name" VARCHAR(20) NOT NULL, "n" BIGINT NOT NULL);\n'
    assert drift(tmp_path, schema, sql) == []


def test_sqlite_index_missing_from_the_migrations(tmp_path):
    found = drift(
        tmp_path, SQ + SQ_MODEL, SQ_SQL.replace('CREATE INDEX "Note_ownerId_idx" ON "Note"("ownerId");\n', "")
    )
    assert where(found) == [(SCHEMA, 12, 3)]


# --- the comparison on its own ------------------------------------------------------------------
def _prisma(text: str):
    document = parse_prisma([SourceFile("schema.prisma", text)])
    assert not document.errors
    return to_schema(document)


def test_compare_reports_each_kind_with_both_sides():
    wanted = _prisma(PG + "model A {\n  id Int @id\n  x  String\n}\n")
    have = _prisma(PG + "model A {\n  id Int @id\n  x  String?\n  y Int\n}\n\nmodel B {\n  id Int @id\n}\n")
    found = compare(wanted, Migrated(have))
    assert [(d.kind, d.object, d.prisma, d.migrations) for d in found] == [
        (Kind.DIFFERS, 'column "A"."x"', 'field "x" of model "A" is String (required)', "nullable"),
        (Kind.NOT_IN_SCHEMA, 'column "A"."y"', 'model "A" has no field for it', "the migrations"),
        (Kind.NOT_IN_SCHEMA, 'table "B"', "no model maps to it", "the migrations"),
    ]


def test_compare_drops_what_a_do_block_names():
    wanted = _prisma(PG + "model A {\n  id Int @id\n  x  String\n}\n")
    have = _prisma(PG + "model A {\n  id Int @id\n}\n")
    assert [d.object for d in compare(wanted, Migrated(have))] == ['column "A"."x"']
    assert compare(wanted, Migrated(have, hidden=('DO $$ BEGIN ALTER TABLE "A" ADD COLUMN "x" TEXT; END $$',))) == []
    # Naming only the table is not enough to hide a column.
    assert len(compare(wanted, Migrated(have, hidden=('DO $$ BEGIN PERFORM 1 FROM "A"; END $$',)))) == 1


# Not MySQL: there the Prisma reader leaves `autoincrement()` to the field (no DB default), while
# the replay marks an AUTO_INCREMENT column; the comparison reads the field, so a Prisma schema
# is not a stand-in for a replayed one.
@pytest.mark.parametrize("provider", ["postgresql", "sqlite"])
def test_compare_a_schema_with_itself_is_empty(provider):
    text = datasource(provider) + USER_WITH_POSTS + POST_MODEL
    assert compare(_prisma(text), Migrated(_prisma(text))) == []


def test_explain_renders(capsys):
    from linter.cli import main

    assert main(["explain", "R005"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("R005 schema-drift\n")
    assert "prisma migrate dev --create-only" in out
