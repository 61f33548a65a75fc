"""MySQL/MariaDB keys, indexes, tables, data and session statements to their exact actions."""

from __future__ import annotations

from test_sqlglot_front import actions, parse, where


def test_alter_table_keys():
    assert actions(
        "ALTER TABLE s ADD CONSTRAINT `s_w_fkey` FOREIGN KEY (`w`) REFERENCES `w`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE,\n"
        "  ADD PRIMARY KEY (id), ADD UNIQUE KEY uq (a, b), ADD INDEX idx (d) USING BTREE, ADD KEY (e(10)),\n"
        "  ADD FULLTEXT INDEX ft (f), ADD FOREIGN KEY (g) REFERENCES h (id), ADD CONSTRAINT ck CHECK (a > 0), ALGORITHM=INPLACE, LOCK=NONE;"
    ) == [
        {
            "class": "AddConstraint",
            "span": "1:15 ADD CONSTRAINT `s_w_fkey` FOREIGN KEY (`w`) REFERENCES `w`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE",
            "table": "s",
            "constraint": {
                "class": "ForeignKey",
                "name": "s_w_fkey",
                "columns": ["w"],
                "ref_table": "w",
                "ref_columns": ["id"],
                "on_delete": "restrict",
                "on_update": "cascade",
                "span": "1:19 CONSTRAINT `s_w_fkey` FOREIGN KEY (`w`) REFERENCES `w`(`id`) ON DELETE RESTRICT ON UPDATE CASCADE",
            },
        },
        {
            "class": "AddConstraint",
            "span": "2:3 ADD PRIMARY KEY (id)",
            "table": "s",
            "constraint": {"class": "PrimaryKey", "name": None, "columns": ["id"], "span": "2:7 PRIMARY KEY (id)"},
        },
        {
            "class": "AddConstraint",
            "span": "2:25 ADD UNIQUE KEY uq (a, b)",
            "table": "s",
            "constraint": {
                "class": "Index",
                "name": "uq",
                "table": "s",
                "elements": [{"class": "IndexElement", "text": "a"}, {"class": "IndexElement", "text": "b"}],
                "unique": True,
                "constraint": "unique",
                "span": "2:29 UNIQUE KEY uq (a, b)",
            },
        },
        {
            "class": "CreateIndex",
            "span": "2:51 ADD INDEX idx (d) USING BTREE",
            "index": {
                "class": "Index",
                "name": "idx",
                "table": "s",
                "elements": [{"class": "IndexElement", "text": "d"}],
                "span": "2:55 INDEX idx (d) USING BTREE",
            },
        },
        {
            "class": "CreateIndex",
            "span": "2:82 ADD KEY (e(10))",
            "index": {
                "class": "Index",
                "name": None,
                "table": "s",
                "elements": [{"class": "IndexElement", "text": "e"}],
                "span": "2:86 KEY (e(10))",
            },
        },
        {
            "class": "CreateIndex",
            "span": "3:3 ADD FULLTEXT INDEX ft (f)",
            "index": {
                "class": "Index",
                "name": "ft",
                "table": "s",
                "elements": [{"class": "IndexElement", "text": "f"}],
                "method": "fulltext",
                "span": "3:7 FULLTEXT INDEX ft (f)",
            },
        },
        {
            "class": "AddConstraint",
            "span": "3:30 ADD FOREIGN KEY (g) REFERENCES h (id)",
            "table": "s",
            "constraint": {
                "class": "ForeignKey",
                "name": None,
                "columns": ["g"],
                "ref_table": "h",
                "ref_columns": ["id"],
                "span": "3:34 FOREIGN KEY (g) REFERENCES h (id)",
            },
        },
        {
            "class": "AddConstraint",
            "span": "3:69 ADD CONSTRAINT ck CHECK (a > 0)",
            "table": "s",
            "constraint": {
                "class": "Check",
                "name": "ck",
                "expression": "a > 0",
                "columns": ["a"],
                "span": "3:73 CONSTRAINT ck CHECK (a > 0)",
            },
        },
    ]


def test_alter_table_drops_keys_and_sets_options():
    assert actions(
        "ALTER TABLE s DROP PRIMARY KEY, DROP FOREIGN KEY fk1, DROP INDEX i2, DROP KEY IF EXISTS i3, DROP CHECK c2, DROP CONSTRAINT c3;\n"
        "ALTER TABLE d ENGINE=InnoDB, CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci, DEFAULT CHARSET=utf8mb4 ROW_FORMAT=DYNAMIC;\n"
        "ALTER TABLE d COMMENT 'people', PARTITION BY HASH(id) PARTITIONS 4;\n"
        "ALTER TABLE d;"
    ) == [
        {
            "class": "DropConstraint",
            "span": "1:15 DROP PRIMARY KEY",
            "table": "s",
            "name": "PRIMARY",
            "kind": "primary",
        },
        {
            "class": "DropConstraint",
            "span": "1:33 DROP FOREIGN KEY fk1",
            "table": "s",
            "name": "fk1",
            "kind": "foreign",
        },
        {"class": "DropIndex", "span": "1:55 DROP INDEX i2", "indexes": ["i2"], "table": "s"},
        {
            "class": "DropIndex",
            "span": "1:70 DROP KEY IF EXISTS i3",
            "indexes": ["i3"],
            "if_exists": True,
            "table": "s",
        },
        {"class": "DropConstraint", "span": "1:93 DROP CHECK c2", "table": "s", "name": "c2", "kind": "check"},
        {"class": "DropConstraint", "span": "1:108 DROP CONSTRAINT c3", "table": "s", "name": "c3"},
        {"class": "TableOption", "span": "2:15 ENGINE=InnoDB", "table": "d", "option": "engine"},
        {
            "class": "TableOption",
            "span": "2:30 CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
            "table": "d",
            "option": "convert to character set",
        },
        {"class": "TableOption", "span": "2:91 DEFAULT CHARSET=utf8mb4", "table": "d", "option": "character set"},
        {"class": "TableOption", "span": "2:115 ROW_FORMAT=DYNAMIC", "table": "d", "option": "row_format"},
        {"class": "Comment", "span": "3:15 COMMENT 'people'", "target": "table", "object": "d", "text": "people"},
        {
            "class": "TableOption",
            "span": "3:33 PARTITION BY HASH(id) PARTITIONS 4",
            "table": "d",
            "option": "partition",
        },
    ]


def test_indexes_tables_and_views():
    assert actions(
        "CREATE UNIQUE INDEX `k` ON `user`(`email`, `org` DESC);\n"
        "CREATE FULLTEXT INDEX IF NOT EXISTS f USING BTREE ON db1.t ((lower(a)), b(20)) ALGORITHM=INPLACE LOCK=NONE;\n"
        "DROP INDEX `k` ON `user`;\n"
        "DROP TABLE IF EXISTS a, `b`;\nDROP TEMPORARY TABLE c CASCADE;\n"
        "TRUNCATE TABLE logs;\nRENAME TABLE a TO b, db.c TO d;\n"
        "CREATE OR REPLACE ALGORITHM=MERGE DEFINER=`root`@`%` SQL SECURITY DEFINER VIEW v AS SELECT 1;\n"
        "DROP VIEW IF EXISTS v, w;\nCREATE DATABASE IF NOT EXISTS app;\nDROP SCHEMA app;"
    ) == [
        {
            "class": "CreateIndex",
            "span": "1:1 CREATE UNIQUE INDEX `k` ON `user`(`email`, `org` DESC)",
            "index": {
                "class": "Index",
                "name": "k",
                "table": "user",
                "elements": [
                    {"class": "IndexElement", "text": "email"},
                    {"class": "IndexElement", "text": "org", "descending": True},
                ],
                "unique": True,
                "span": "1:1 CREATE UNIQUE INDEX `k` ON `user`(`email`, `org` DESC)",
            },
        },
        {
            "class": "CreateIndex",
            "span": "2:1 CREATE FULLTEXT INDEX IF NOT EXISTS f USING BTREE ON db1.t ((lower(a)), b(20)) ALGORITHM=INPLACE LOCK=NONE",
            "index": {
                "class": "Index",
                "name": "f",
                "table": "db1.t",
                "elements": [
                    {"class": "IndexElement", "text": "lower(a)", "is_expression": True},
                    {"class": "IndexElement", "text": "b"},
                ],
                "span": "2:1 CREATE FULLTEXT INDEX IF NOT EXISTS f USING BTREE ON db1.t ((lower(a)), b(20)) ALGORITHM=INPLACE LOCK=NONE",
            },
            "if_not_exists": True,
        },
        {"class": "DropIndex", "span": "3:1 DROP INDEX `k` ON `user`", "indexes": ["k"], "table": "user"},
        {"class": "DropTable", "span": "4:1 DROP TABLE IF EXISTS a, `b`", "tables": ["a", "b"], "if_exists": True},
        {"class": "DropTable", "span": "5:1 DROP TEMPORARY TABLE c CASCADE", "tables": ["c"], "cascade": True},
        {"class": "Truncate", "span": "6:1 TRUNCATE TABLE logs", "tables": ["logs"]},
        {"class": "RenameTable", "span": "7:1 RENAME TABLE a TO b, db.c TO d", "table": "a", "new_name": "b"},
        {"class": "RenameTable", "span": "7:1 RENAME TABLE a TO b, db.c TO d", "table": "db.c", "new_name": "d"},
        {
            "class": "CreateView",
            "span": "8:1 CREATE OR REPLACE ALGORITHM=MERGE DEFINER=`root`@`%` SQL SECURITY DEFINER VIEW v AS SELECT 1",
            "view": "v",
            "or_replace": True,
        },
        {"class": "DropView", "span": "9:1 DROP VIEW IF EXISTS v, w", "views": ["v", "w"], "if_exists": True},
        {
            "class": "CreateSchema",
            "span": "10:1 CREATE DATABASE IF NOT EXISTS app",
            "schema": "app",
            "if_not_exists": True,
        },
        {"class": "DropSchema", "span": "11:1 DROP SCHEMA app", "schemas": ["app"]},
    ]


def test_data_changes():
    assert actions(
        "INSERT INTO t (a) VALUES (1), (2);\nINSERT IGNORE INTO db.t SELECT * FROM u;\n"
        "REPLACE INTO t (a) VALUES (1);\nREPLACE t SELECT a FROM u;\n"
        "UPDATE t SET a = 1;\nUPDATE `e` we JOIN `s` ON s.id = we.sid SET we.h = s.h WHERE we.h IS NULL;\n"
        "DELETE FROM t;\nDELETE t FROM t JOIN u ON t.a = u.a WHERE u.b = 2;\nSELECT 1;"
    ) == [
        {"class": "DataChange", "span": "1:1 INSERT INTO t (a) VALUES (1), (2)", "op": "insert", "table": "t"},
        {
            "class": "DataChange",
            "span": "2:1 INSERT IGNORE INTO db.t SELECT * FROM u",
            "op": "insert",
            "table": "db.t",
            "from_query": True,
        },
        {"class": "DataChange", "span": "3:1 REPLACE INTO t (a) VALUES (1)", "op": "insert", "table": "t"},
        {
            "class": "DataChange",
            "span": "4:1 REPLACE t SELECT a FROM u",
            "op": "insert",
            "table": "t",
            "from_query": True,
        },
        {"class": "DataChange", "span": "5:1 UPDATE t SET a = 1", "op": "update", "table": "t", "has_where": False},
        {
            "class": "DataChange",
            "span": "6:1 UPDATE `e` we JOIN `s` ON s.id = we.sid SET we.h = s.h WHERE we.h IS NULL",
            "op": "update",
            "table": "e",
            "from_query": True,
        },
        {"class": "DataChange", "span": "7:1 DELETE FROM t", "op": "delete", "table": "t", "has_where": False},
        {
            "class": "DataChange",
            "span": "8:1 DELETE t FROM t JOIN u ON t.a = u.a WHERE u.b = 2",
            "op": "delete",
            "table": "t",
            "from_query": True,
        },
        {"class": "Opaque", "span": "9:1 SELECT 1", "what": "select"},
    ]


def test_large_insert_is_read_without_a_tree():
    rows = ", ".join(f"({n}, 'v{n}')" for n in range(1000))
    [statement] = parse(f"INSERT INTO seed (id, v) VALUES {rows};").statements
    assert (statement.kind, statement.node) == ("insert", None)
    assert [(a.op, str(a.table), a.from_query) for a in statement.actions] == [("insert", "seed", False)]


def test_transactions_session_and_opaque_statements():
    parsed = parse(
        "START TRANSACTION;\nBEGIN WORK;\nCOMMIT;\nROLLBACK TO SAVEPOINT s1;\nSAVEPOINT s1;\nRELEASE SAVEPOINT s1;\n"
        "SET FOREIGN_KEY_CHECKS = 0;\nSET @q = CONCAT('a', 'b'), SESSION sql_mode = 'ANSI', @@global.max_connections := 100;\n"
        "SET NAMES utf8mb4;\nSET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED, READ WRITE;\nSET ROLE a, b;\n"
        "START REPLICA;\n"
        "CALL proc('a');\nLOCK TABLES t WRITE;\nCREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1;\n"
        "DROP PROCEDURE IF EXISTS p;\nALTER VIEW v AS SELECT 2;\nANALYZE TABLE t, u;\nOPTIMIZE TABLE t;"
    )
    assert parsed.errors == []
    described = [
        (
            statement.kind,
            type(action).__name__,
            {k: getattr(action, k) for k in ("op", "name", "value", "what", "tables") if hasattr(action, k)},
        )
        for statement in parsed.statements
        for action in statement.actions
    ]
    assert [(kind, cls, str(fields)) for kind, cls, fields in described] == [
        ("begin", "Transaction", "{'op': 'begin'}"),
        ("begin", "Transaction", "{'op': 'begin'}"),
        ("commit", "Transaction", "{'op': 'commit'}"),
        ("rollback to", "Transaction", "{'op': 'rollback to'}"),
        ("savepoint", "Transaction", "{'op': 'savepoint'}"),
        ("release", "Transaction", "{'op': 'release'}"),
        ("set", "SetVariable", "{'name': 'foreign_key_checks', 'value': '0'}"),
        ("set", "SetVariable", "{'name': '@q', 'value': \"CONCAT('a', 'b')\"}"),
        ("set", "SetVariable", "{'name': 'sql_mode', 'value': 'ANSI'}"),
        ("set", "SetVariable", "{'name': 'max_connections', 'value': '100'}"),
        ("set", "SetVariable", "{'name': 'names', 'value': 'utf8mb4'}"),
        ("set", "SetVariable", "{'name': 'transaction', 'value': 'ISOLATION LEVEL READ COMMITTED, READ WRITE'}"),
        ("set", "SetVariable", "{'name': 'role', 'value': 'a, b'}"),
        ("start", "Opaque", "{'what': 'start', 'tables': ()}"),
        ("call", "Opaque", "{'what': 'call', 'tables': ()}"),
        ("lock", "Opaque", "{'what': 'lock', 'tables': ()}"),
        ("create trigger", "Opaque", "{'what': 'create trigger', 'tables': ()}"),
        ("drop procedure", "Opaque", "{'what': 'drop procedure', 'tables': ()}"),
        ("alter view", "Opaque", "{'what': 'alter view', 'tables': ()}"),
        (
            "analyze",
            "Maintenance",
            "{'op': 'analyze', 'tables': (Name(name='t', schema=None), Name(name='u', schema=None))}",
        ),
        ("optimize", "Opaque", "{'what': 'optimize', 'tables': ()}"),
    ]


def test_data_statements_keep_sqlglot_trees():
    [update, delete] = parse("UPDATE t SET a = 1 WHERE b = 2;\nDELETE FROM t;").statements
    assert (update.kind, type(update.node).__name__, delete.kind, type(delete.node).__name__) == (
        "update",
        "Update",
        "delete",
        "Delete",
    )
    assert where(update.span) == "1:1 UPDATE t SET a = 1 WHERE b = 2"
