"""MySQL/MariaDB statements to their exact neutral actions (spans as `line:column text`)."""

from __future__ import annotations

from test_sqlglot_front import actions, errors

T = "CREATE TABLE `user` (\n"


def _create(body: str) -> dict:
    [create] = actions(T + body + "\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;")
    return create


def test_create_table_columns_keep_their_declared_types():
    create = _create(
        "    `id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,\n"
        "    `role` ENUM('ADMIN', 'user') NOT NULL DEFAULT 'user',\n"
        "    `is_active` TINYINT(1) NOT NULL DEFAULT 1,\n"
        "    `balance` DECIMAL(65, 30) NULL,\n"
        "    `meta` JSON NULL COMMENT 'free-form settings',\n"
        "    `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),\n"
        "    `updated_at` TIMESTAMP NULL DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP,\n"
        "    `total` INT AS (`id` * 2) STORED,\n"
        "    body text CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
    )
    assert create["columns"] == [
        {
            "class": "Column",
            "name": "id",
            "type": "bigint unsigned",
            "nullable": False,
            "identity": "by default",
            "span": "2:5 `id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT",
        },
        {
            "class": "Column",
            "name": "role",
            "type": "enum('ADMIN','user')",
            "nullable": False,
            "default": "'user'",
            "span": "3:5 `role` ENUM('ADMIN', 'user') NOT NULL DEFAULT 'user'",
        },
        {
            "class": "Column",
            "name": "is_active",
            "type": "tinyint(1)",
            "nullable": False,
            "default": "1",
            "span": "4:5 `is_active` TINYINT(1) NOT NULL DEFAULT 1",
        },
        {"class": "Column", "name": "balance", "type": "decimal(65,30)", "span": "5:5 `balance` DECIMAL(65, 30) NULL"},
        {
            "class": "Column",
            "name": "meta",
            "type": "json",
            "comment": "free-form settings",
            "span": "6:5 `meta` JSON NULL COMMENT 'free-form settings'",
        },
        {
            "class": "Column",
            "name": "created_at",
            "type": "datetime(3)",
            "nullable": False,
            "default": "current_timestamp(3)",
            "span": "7:5 `created_at` DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)",
        },
        {
            "class": "Column",
            "name": "updated_at",
            "type": "timestamp",
            "span": "8:5 `updated_at` TIMESTAMP NULL DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP",
        },
        {
            "class": "Column",
            "name": "total",
            "type": "int",
            "generated": "`id` * 2",
            "span": "9:5 `total` INT AS (`id` * 2) STORED",
        },
        {
            "class": "Column",
            "name": "body",
            "type": "text",
            "span": "10:5 body text CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
        },
    ]
    assert create["table"] == "user"
    assert "constraints" not in create


def test_create_table_keys_and_constraints():
    create = _create(
        "    `id` INT NOT NULL,\n"
        "    `org_id` INT NULL REFERENCES org (id) ON DELETE SET NULL,\n"
        "    `email` VARCHAR(191) UNIQUE KEY,\n"
        "    UNIQUE INDEX `user_email_key`(`email`),\n"
        "    KEY (`created_at`, `role`(4) DESC),\n"
        "    FULLTEXT KEY `ft` (`email`),\n"
        "    INDEX `h` USING HASH (`email`),\n"
        "    CONSTRAINT `user_org_fkey` FOREIGN KEY (`org_id`) REFERENCES `org`(`id`) ON DELETE CASCADE ON UPDATE NO ACTION,\n"
        "    FOREIGN KEY fk_idx (`id`) REFERENCES other (id),\n"
        "    CONSTRAINT positive CHECK (`id` IS NOT NULL),\n"
        "    CONSTRAINT pk_ignored PRIMARY KEY (`id`)"
    )
    assert create["constraints"] == [
        {
            "class": "ForeignKey",
            "name": None,
            "columns": ["org_id"],
            "ref_table": "org",
            "ref_columns": ["id"],
            "on_delete": "set null",
            "span": "3:23 REFERENCES org (id) ON DELETE SET NULL",
        },
        {
            "class": "Index",
            "name": None,
            "table": "user",
            "elements": [{"class": "IndexElement", "text": "email"}],
            "unique": True,
            "constraint": "unique",
            "span": "4:26 UNIQUE KEY",
        },
        {
            "class": "Index",
            "name": "user_email_key",
            "table": "user",
            "elements": [{"class": "IndexElement", "text": "email"}],
            "unique": True,
            "constraint": "unique",
            "span": "5:5 UNIQUE INDEX `user_email_key`(`email`)",
        },
        {
            "class": "Index",
            "name": None,
            "table": "user",
            "elements": [
                {"class": "IndexElement", "text": "created_at"},
                {"class": "IndexElement", "text": "role", "descending": True},
            ],
            "span": "6:5 KEY (`created_at`, `role`(4) DESC)",
        },
        {
            "class": "Index",
            "name": "ft",
            "table": "user",
            "elements": [{"class": "IndexElement", "text": "email"}],
            "method": "fulltext",
            "span": "7:5 FULLTEXT KEY `ft` (`email`)",
        },
        {
            "class": "Index",
            "name": "h",
            "table": "user",
            "elements": [{"class": "IndexElement", "text": "email"}],
            "method": "hash",
            "span": "8:5 INDEX `h` USING HASH (`email`)",
        },
        {
            "class": "ForeignKey",
            "name": "user_org_fkey",
            "columns": ["org_id"],
            "ref_table": "org",
            "ref_columns": ["id"],
            "on_delete": "cascade",
            "on_update": "no action",
            "span": "9:5 CONSTRAINT `user_org_fkey` FOREIGN KEY (`org_id`) REFERENCES `org`(`id`) ON DELETE CASCADE ON UPDATE NO ACTION",
        },
        {
            "class": "ForeignKey",
            "name": "fk_idx",
            "columns": ["id"],
            "ref_table": "other",
            "ref_columns": ["id"],
            "span": "10:5 FOREIGN KEY fk_idx (`id`) REFERENCES other (id)",
        },
        {
            "class": "Check",
            "name": "positive",
            "expression": "`id` IS NOT NULL",
            "not_null_column": "id",
            "columns": ["id"],
            "span": "11:5 CONSTRAINT positive CHECK (`id` IS NOT NULL)",
        },
        {
            "class": "PrimaryKey",
            "name": None,
            "columns": ["id"],
            "span": "12:5 CONSTRAINT pk_ignored PRIMARY KEY (`id`)",
        },
    ]


def test_create_table_variants():
    assert actions(
        "CREATE TEMPORARY TABLE IF NOT EXISTS tmp AS SELECT * FROM orig;\n"
        "CREATE TABLE copy LIKE orig;\n"
        "CREATE TABLE sel (id int KEY) SELECT id FROM orig;\n"
        "CREATE TABLE c (id int) COMMENT = 'people';"
    ) == [
        {
            "class": "CreateTable",
            "span": "1:1 CREATE TEMPORARY TABLE IF NOT EXISTS tmp AS SELECT * FROM orig",
            "table": "tmp",
            "if_not_exists": True,
            "temporary": True,
            "from_query": True,
        },
        {"class": "CreateTable", "span": "2:1 CREATE TABLE copy LIKE orig", "table": "copy", "from_query": True},
        {
            "class": "CreateTable",
            "span": "3:1 CREATE TABLE sel (id int KEY) SELECT id FROM orig",
            "table": "sel",
            "columns": [{"class": "Column", "name": "id", "type": "int", "nullable": False, "span": "3:19 id int KEY"}],
            "constraints": [{"class": "PrimaryKey", "name": None, "columns": ["id"], "span": "3:26 KEY"}],
            "from_query": True,
        },
        {
            "class": "CreateTable",
            "span": "4:1 CREATE TABLE c (id int) COMMENT = 'people'",
            "table": "c",
            "columns": [{"class": "Column", "name": "id", "type": "int", "span": "4:17 id int"}],
        },
        {
            "class": "Comment",
            "span": "4:1 CREATE TABLE c (id int) COMMENT = 'people'",
            "target": "table",
            "object": "c",
            "text": "people",
        },
    ]


def test_alter_table_add_and_drop_columns():
    sql = (
        "ALTER TABLE `event`\n"
        "ADD COLUMN `fbclid` VARCHAR(255) NULL,\n"
        "ADD `gclid` VARCHAR(255) NOT NULL DEFAULT '' AFTER `fbclid`,\n"
        "ADD COLUMN IF NOT EXISTS (a int, b int UNIQUE),\n"
        "DROP COLUMN `old`, DROP other CASCADE, DROP COLUMN IF EXISTS gone;"
    )
    added = {"class": "AddColumn", "table": "event"}
    assert actions(sql) == [
        {
            **added,
            "span": "2:1 ADD COLUMN `fbclid` VARCHAR(255) NULL",
            "column": {
                "class": "Column",
                "name": "fbclid",
                "type": "varchar(255)",
                "span": "2:12 `fbclid` VARCHAR(255) NULL",
            },
        },
        {
            **added,
            "span": "3:1 ADD `gclid` VARCHAR(255) NOT NULL DEFAULT '' AFTER `fbclid`",
            "column": {
                "class": "Column",
                "name": "gclid",
                "type": "varchar(255)",
                "nullable": False,
                "default": "''",
                "span": "3:5 `gclid` VARCHAR(255) NOT NULL DEFAULT ''",
            },
        },
        {
            **added,
            "span": "4:1 ADD COLUMN IF NOT EXISTS (a int, b int UNIQUE)",
            "column": {"class": "Column", "name": "a", "type": "int", "span": "4:27 a int"},
            "if_not_exists": True,
        },
        {
            **added,
            "span": "4:1 ADD COLUMN IF NOT EXISTS (a int, b int UNIQUE)",
            "column": {"class": "Column", "name": "b", "type": "int", "span": "4:34 b int UNIQUE"},
            "constraints": [
                {
                    "class": "Index",
                    "name": None,
                    "table": "event",
                    "elements": [{"class": "IndexElement", "text": "b"}],
                    "unique": True,
                    "constraint": "unique",
                    "span": "4:40 UNIQUE",
                }
            ],
            "if_not_exists": True,
        },
        {"class": "DropColumn", "span": "5:1 DROP COLUMN `old`", "table": "event", "column": "old"},
        {
            "class": "DropColumn",
            "span": "5:20 DROP other CASCADE",
            "table": "event",
            "column": "other",
            "cascade": True,
        },
        {
            "class": "DropColumn",
            "span": "5:40 DROP COLUMN IF EXISTS gone",
            "table": "event",
            "column": "gone",
            "if_exists": True,
        },
    ]


def test_modify_replaces_the_whole_column_definition():
    clause = "MODIFY `visit_id` VARCHAR(36) NOT NULL"
    common = {"span": "1:21 " + clause, "table": "event", "column": "visit_id"}
    assert actions(f"ALTER TABLE `event` {clause};") == [
        {"class": "AlterColumnType", **common, "type": "varchar(36)"},
        {"class": "SetNotNull", **common},
        {"class": "SetDefault", **common, "default": None},
        {"class": "SetIdentity", **common, "identity": None},
        {"class": "Comment", "span": "1:21 " + clause, "target": "column", "object": "event", "column": "visit_id"},
    ]


def test_change_renames_and_redefines():
    clause = "CHANGE COLUMN `a` `b` BIGINT AUTO_INCREMENT PRIMARY KEY DEFAULT 0 COMMENT 'x' FIRST"
    common = {"span": "1:15 " + clause, "table": "t"}
    assert actions(f"ALTER TABLE t {clause}, CHANGE c c int NULL;") == [
        {"class": "RenameColumn", **common, "column": "a", "new_name": "b"},
        {"class": "AlterColumnType", **common, "column": "b", "type": "bigint"},
        {"class": "SetNotNull", **common, "column": "b"},
        {"class": "SetDefault", **common, "column": "b", "default": "0"},
        {"class": "SetIdentity", **common, "column": "b", "identity": "by default"},
        {"class": "Comment", "span": "1:15 " + clause, "target": "column", "object": "t", "column": "b", "text": "x"},
        {
            "class": "AddConstraint",
            **common,
            "constraint": {"class": "PrimaryKey", "name": None, "columns": ["b"], "span": "1:59 PRIMARY KEY"},
        },
        {"class": "AlterColumnType", "span": "1:100 CHANGE c c int NULL", "table": "t", "column": "c", "type": "int"},
        {"class": "DropNotNull", "span": "1:100 CHANGE c c int NULL", "table": "t", "column": "c"},
        {"class": "SetDefault", "span": "1:100 CHANGE c c int NULL", "table": "t", "column": "c", "default": None},
        {"class": "SetIdentity", "span": "1:100 CHANGE c c int NULL", "table": "t", "column": "c", "identity": None},
        {"class": "Comment", "span": "1:100 CHANGE c c int NULL", "target": "column", "object": "t", "column": "c"},
    ]


def test_alter_table_renames_and_defaults():
    assert actions(
        "ALTER TABLE t RENAME COLUMN `a` TO `b`, RENAME INDEX i TO j, RENAME KEY k TO l,\n"
        "  ALTER COLUMN e SET DEFAULT (uuid()), ALTER f DROP DEFAULT, ALTER g SET INVISIBLE;\n"
        "ALTER TABLE a RENAME TO b;\nALTER TABLE b RENAME AS c;\nALTER TABLE c RENAME d;"
    ) == [
        {
            "class": "RenameColumn",
            "span": "1:15 RENAME COLUMN `a` TO `b`",
            "table": "t",
            "column": "a",
            "new_name": "b",
        },
        {"class": "RenameIndex", "span": "1:41 RENAME INDEX i TO j", "index": "i", "new_name": "j", "table": "t"},
        {"class": "RenameIndex", "span": "1:62 RENAME KEY k TO l", "index": "k", "new_name": "l", "table": "t"},
        {
            "class": "SetDefault",
            "span": "2:3 ALTER COLUMN e SET DEFAULT (uuid())",
            "table": "t",
            "column": "e",
            "default": "(uuid())",
        },
        {"class": "SetDefault", "span": "2:40 ALTER f DROP DEFAULT", "table": "t", "column": "f", "default": None},
        {"class": "RenameTable", "span": "3:15 RENAME TO b", "table": "a", "new_name": "b"},
        {"class": "RenameTable", "span": "4:15 RENAME AS c", "table": "b", "new_name": "c"},
        {"class": "RenameTable", "span": "5:15 RENAME d", "table": "c", "new_name": "d"},
    ]


def test_multi_word_types_and_serial():
    [create] = actions(
        "CREATE TABLE t (d double precision, e int(10) unsigned zerofill, f national char varying(3),"
        " g long varbinary, h char(2) binary, s SERIAL);"
    )
    assert [(c["name"], c["type"], c.get("nullable"), c.get("identity")) for c in create["columns"]] == [
        # As MariaDB reports them (linter.dialects.sg_types).
        ("d", "double", None, None),
        ("e", "int unsigned zerofill", None, None),
        ("f", "varchar(3)", None, None),
        ("g", "mediumblob", None, None),
        ("h", "char(2)", None, None),
        ("s", "bigint unsigned", False, "by default"),
    ]
    assert create["constraints"] == [
        {
            "class": "Index",
            "name": None,
            "table": "t",
            "elements": [{"class": "IndexElement", "text": "s"}],
            "unique": True,
            "constraint": "unique",
            "span": "1:130 s SERIAL",
        }
    ]
    assert errors("CREATE TABLE t (a int FOO NOT NULL);") == [
        ("1:23 F", "syntax error at or near \"FOO\" in the definition of column 'a'")
    ]
