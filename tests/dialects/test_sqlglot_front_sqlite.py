"""SQLite statements to their exact neutral actions (spans as `line:column text`)."""

from __future__ import annotations

from test_sqlglot_front import actions, errors


def test_prisma_style_create_table():
    sql = (
        'CREATE TABLE "User" (\n'
        '    "id" TEXT NOT NULL PRIMARY KEY,\n'
        '    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,\n'
        '    "isAdmin" BOOLEAN NOT NULL DEFAULT false,\n'
        '    "orgId" TEXT,\n'
        '    CONSTRAINT "User_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Org" ("id") ON DELETE SET NULL ON UPDATE CASCADE\n'
        ");"
    )
    [create] = actions(sql, "sqlite")
    assert create["columns"] == [
        {
            "class": "Column",
            "name": "id",
            "type": "text",
            "nullable": False,
            "span": '2:5 "id" TEXT NOT NULL PRIMARY KEY',
        },
        {
            "class": "Column",
            "name": "createdAt",
            "type": "datetime",
            "nullable": False,
            "default": "CURRENT_TIMESTAMP",
            "span": '3:5 "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP',
        },
        {
            "class": "Column",
            "name": "isAdmin",
            "type": "boolean",
            "nullable": False,
            "default": "false",
            "span": '4:5 "isAdmin" BOOLEAN NOT NULL DEFAULT false',
        },
        {"class": "Column", "name": "orgId", "type": "text", "span": '5:5 "orgId" TEXT'},
    ]
    assert create["constraints"] == [
        {"class": "PrimaryKey", "name": None, "columns": ["id"], "span": "2:24 PRIMARY KEY"},
        {
            "class": "ForeignKey",
            "name": "User_orgId_fkey",
            "columns": ["orgId"],
            "ref_table": "Org",
            "ref_columns": ["id"],
            "on_delete": "set null",
            "on_update": "cascade",
            "span": '6:5 CONSTRAINT "User_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "Org" ("id") ON DELETE SET NULL ON UPDATE CASCADE',
        },
    ]


def test_free_form_types_untyped_columns_and_constraints_without_commas():
    # SQLite's grammar lets table constraints follow each other without a comma (harness relies on it).
    sql = (
        "CREATE TABLE IF NOT EXISTS jobs (\n"
        "    job_id INTEGER PRIMARY KEY AUTOINCREMENT,\n"
        "    job_name VARYING CHARACTER(255) COLLATE NOCASE UNIQUE,\n"
        "    job_data,\n"
        "    job_created BIGINT DEFAULT (strftime('%s', 'now') * 1000),\n"
        "    job_parent INTEGER REFERENCES jobs DEFERRABLE INITIALLY DEFERRED,\n"
        "    job_price DOUBLE PRECISION CONSTRAINT positive CHECK (job_price >= 0),\n"
        "    CONSTRAINT fk_a FOREIGN KEY (job_parent) REFERENCES jobs (job_id) MATCH SIMPLE ON DELETE CASCADE\n"
        "    UNIQUE (job_name, job_data) ON CONFLICT REPLACE\n"
        "    CHECK (job_id > 0)\n"
        ") WITHOUT ROWID, STRICT;"
    )
    [create] = actions(sql, "sqlite")
    assert [(c["name"], c["type"], c.get("default"), c.get("identity")) for c in create["columns"]] == [
        ("job_id", "integer", None, "by default"),
        ("job_name", "varying character(255)", None, None),
        ("job_data", "", None, None),
        ("job_created", "bigint", "(strftime('%s', 'now') * 1000)", None),
        ("job_parent", "integer", None, None),
        ("job_price", "double precision", None, None),
    ]
    assert create["constraints"] == [
        {"class": "PrimaryKey", "name": None, "columns": ["job_id"], "span": "2:20 PRIMARY KEY AUTOINCREMENT"},
        {
            "class": "Index",
            "name": None,
            "table": "jobs",
            "elements": [{"class": "IndexElement", "text": "job_name"}],
            "unique": True,
            "constraint": "unique",
            "span": "3:52 UNIQUE",
        },
        {
            "class": "ForeignKey",
            "name": None,
            "columns": ["job_parent"],
            "ref_table": "jobs",
            "ref_columns": [],
            "deferrable": True,
            "span": "6:24 REFERENCES jobs DEFERRABLE INITIALLY DEFERRED",
        },
        {
            "class": "Check",
            "name": "positive",
            "expression": "job_price >= 0",
            "columns": ["job_price"],
            "span": "7:32 CONSTRAINT positive CHECK (job_price >= 0)",
        },
        {
            "class": "ForeignKey",
            "name": "fk_a",
            "columns": ["job_parent"],
            "ref_table": "jobs",
            "ref_columns": ["job_id"],
            "on_delete": "cascade",
            "span": "8:5 CONSTRAINT fk_a FOREIGN KEY (job_parent) REFERENCES jobs (job_id) MATCH SIMPLE ON DELETE CASCADE",
        },
        {
            "class": "Index",
            "name": None,
            "table": "jobs",
            "elements": [{"class": "IndexElement", "text": "job_name"}, {"class": "IndexElement", "text": "job_data"}],
            "unique": True,
            "constraint": "unique",
            "span": "9:5 UNIQUE (job_name, job_data) ON CONFLICT REPLACE",
        },
        {
            "class": "Check",
            "name": None,
            "expression": "job_id > 0",
            "columns": ["job_id"],
            "span": "10:5 CHECK (job_id > 0)",
        },
    ]
    assert create["if_not_exists"] is True


def test_sqlite_type_names_are_words_then_one_size():
    # As sqlite3 itself: `a int b int` declares type "int b int"; nothing may follow a size.
    [create] = actions("CREATE TABLE t (a int b int);", "sqlite")
    assert [(c["name"], c["type"]) for c in create["columns"]] == [("a", "int b int")]
    assert errors("CREATE TABLE t (a int(1) b);", "sqlite") == [
        ("1:26 b", "syntax error at or near \"b\" in the definition of column 'a'")
    ]
    assert errors("CREATE TABLE t (a int) WITHOUT;", "sqlite") == [
        ("1:31 ", "syntax error at end of statement: expected ROWID")
    ]


def test_the_four_alter_table_forms():
    assert actions(
        'ALTER TABLE "User" ADD COLUMN "name" TEXT NOT NULL DEFAULT \'\';\n'
        "ALTER TABLE t ADD c INTEGER REFERENCES u (id);\n"
        "ALTER TABLE t RENAME TO t_old;\n"
        "ALTER TABLE main.t RENAME COLUMN a TO b;\n"
        "ALTER TABLE t RENAME a TO b;\n"
        "ALTER TABLE t DROP COLUMN c;\n"
        "ALTER TABLE t DROP d;",
        "sqlite",
    ) == [
        {
            "class": "AddColumn",
            "span": "1:20 ADD COLUMN \"name\" TEXT NOT NULL DEFAULT ''",
            "table": "User",
            "column": {
                "class": "Column",
                "name": "name",
                "type": "text",
                "nullable": False,
                "default": "''",
                "span": "1:31 \"name\" TEXT NOT NULL DEFAULT ''",
            },
        },
        {
            "class": "AddColumn",
            "span": "2:15 ADD c INTEGER REFERENCES u (id)",
            "table": "t",
            "column": {"class": "Column", "name": "c", "type": "integer", "span": "2:19 c INTEGER REFERENCES u (id)"},
            "constraints": [
                {
                    "class": "ForeignKey",
                    "name": None,
                    "columns": ["c"],
                    "ref_table": "u",
                    "ref_columns": ["id"],
                    "span": "2:29 REFERENCES u (id)",
                }
            ],
        },
        {"class": "RenameTable", "span": "3:15 RENAME TO t_old", "table": "t", "new_name": "t_old"},
        {"class": "RenameColumn", "span": "4:20 RENAME COLUMN a TO b", "table": "t", "column": "a", "new_name": "b"},
        {"class": "RenameColumn", "span": "5:15 RENAME a TO b", "table": "t", "column": "a", "new_name": "b"},
        {"class": "DropColumn", "span": "6:15 DROP COLUMN c", "table": "t", "column": "c"},
        {"class": "DropColumn", "span": "7:15 DROP d", "table": "t", "column": "d"},
    ]


def test_sqlite_has_no_mysql_alter_clauses():
    assert errors("ALTER TABLE t MODIFY a int;\nALTER TABLE t ADD CONSTRAINT u UNIQUE (a);", "sqlite") == [
        ("1:15 M", 'syntax error at or near "MODIFY": expected RENAME, ADD or DROP'),
        ("2:19 C", 'syntax error at or near "CONSTRAINT": expected COLUMN or a column definition'),
    ]


def test_indexes():
    assert actions(
        'CREATE UNIQUE INDEX IF NOT EXISTS "k" ON "User"("email" COLLATE NOCASE DESC, lower(name));\n'
        "CREATE INDEX main.i ON t (a) WHERE deleted_at IS NULL;\n"
        'DROP INDEX IF EXISTS "k";\nDROP INDEX main.i;',
        "sqlite",
    ) == [
        {
            "class": "CreateIndex",
            "span": '1:1 CREATE UNIQUE INDEX IF NOT EXISTS "k" ON "User"("email" COLLATE NOCASE DESC, lower(name))',
            "index": {
                "class": "Index",
                "name": "k",
                "table": "User",
                "elements": [
                    {"class": "IndexElement", "text": "email", "descending": True},
                    {"class": "IndexElement", "text": "lower(name)", "is_expression": True},
                ],
                "unique": True,
                "span": '1:1 CREATE UNIQUE INDEX IF NOT EXISTS "k" ON "User"("email" COLLATE NOCASE DESC, lower(name))',
            },
            "if_not_exists": True,
        },
        {
            "class": "CreateIndex",
            "span": "2:1 CREATE INDEX main.i ON t (a) WHERE deleted_at IS NULL",
            "index": {
                "class": "Index",
                "name": "i",
                "table": "t",
                "elements": [{"class": "IndexElement", "text": "a"}],
                "predicate": "deleted_at IS NULL",
                "span": "2:1 CREATE INDEX main.i ON t (a) WHERE deleted_at IS NULL",
            },
        },
        {"class": "DropIndex", "span": '3:1 DROP INDEX IF EXISTS "k"', "indexes": ["k"], "if_exists": True},
        {"class": "DropIndex", "span": "4:1 DROP INDEX main.i", "indexes": ["i"]},
    ]


def test_the_table_rebuild_pattern_and_other_statements():
    assert actions(
        "PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n"
        'CREATE TABLE "new_U" ("id" TEXT NOT NULL);\n'
        'INSERT INTO "new_U" ("id") SELECT "id" FROM "U";\n'
        'DROP TABLE "U";\nALTER TABLE "new_U" RENAME TO "U";\n'
        "END TRANSACTION;\nPRAGMA foreign_keys=ON;\n"
        "INSERT OR REPLACE INTO t VALUES (1);\nREPLACE INTO t VALUES (2);\nUPDATE t SET a = 1 FROM u WHERE t.b = u.b;\nDELETE FROM t;\n"
        "SAVEPOINT sp;\nRELEASE sp;\nROLLBACK TO sp;\nVACUUM;\nANALYZE;\n"
        "CREATE VIEW IF NOT EXISTS v AS SELECT 1;\nDROP VIEW v;\nCREATE VIRTUAL TABLE d USING fts5(body);\nDROP TRIGGER IF EXISTS tr;",
        "sqlite",
    ) == [
        {"class": "Opaque", "span": "1:1 PRAGMA foreign_keys=OFF", "what": "pragma"},
        {"class": "Transaction", "span": "2:1 BEGIN TRANSACTION", "op": "begin"},
        {
            "class": "CreateTable",
            "span": '3:1 CREATE TABLE "new_U" ("id" TEXT NOT NULL)',
            "table": "new_U",
            "columns": [
                {"class": "Column", "name": "id", "type": "text", "nullable": False, "span": '3:23 "id" TEXT NOT NULL'}
            ],
        },
        {
            "class": "DataChange",
            "span": '4:1 INSERT INTO "new_U" ("id") SELECT "id" FROM "U"',
            "op": "insert",
            "table": "new_U",
            "from_query": True,
        },
        {"class": "DropTable", "span": '5:1 DROP TABLE "U"', "tables": ["U"]},
        {"class": "RenameTable", "span": '6:21 RENAME TO "U"', "table": "new_U", "new_name": "U"},
        {"class": "Transaction", "span": "7:1 END TRANSACTION", "op": "commit"},
        {"class": "Opaque", "span": "8:1 PRAGMA foreign_keys=ON", "what": "pragma"},
        {"class": "DataChange", "span": "9:1 INSERT OR REPLACE INTO t VALUES (1)", "op": "insert", "table": "t"},
        {"class": "DataChange", "span": "10:1 REPLACE INTO t VALUES (2)", "op": "insert", "table": "t"},
        {
            "class": "DataChange",
            "span": "11:1 UPDATE t SET a = 1 FROM u WHERE t.b = u.b",
            "op": "update",
            "table": "t",
            "from_query": True,
        },
        {"class": "DataChange", "span": "12:1 DELETE FROM t", "op": "delete", "table": "t", "has_where": False},
        {"class": "Transaction", "span": "13:1 SAVEPOINT sp", "op": "savepoint"},
        {"class": "Transaction", "span": "14:1 RELEASE sp", "op": "release"},
        {"class": "Transaction", "span": "15:1 ROLLBACK TO sp", "op": "rollback to"},
        {"class": "Maintenance", "span": "16:1 VACUUM", "op": "vacuum"},
        {"class": "Maintenance", "span": "17:1 ANALYZE", "op": "analyze"},
        {"class": "CreateView", "span": "18:1 CREATE VIEW IF NOT EXISTS v AS SELECT 1", "view": "v"},
        {"class": "DropView", "span": "19:1 DROP VIEW v", "views": ["v"]},
        {"class": "Opaque", "span": "20:1 CREATE VIRTUAL TABLE d USING fts5(body)", "what": "create virtual table"},
        {"class": "Opaque", "span": "21:1 DROP TRIGGER IF EXISTS tr", "what": "drop trigger"},
    ]


def test_mysql_only_statements_are_errors_in_sqlite():
    assert errors("TRUNCATE t;\nSET a = 1;\nRENAME TABLE a TO b;", "sqlite") == [
        ("1:1 T", 'syntax error at or near "TRUNCATE": not a statement'),
        ("2:1 S", 'syntax error at or near "SET": not a statement'),
        ("3:1 R", 'syntax error at or near "RENAME": not a statement'),
    ]
