"""Each MySQL DDL form run on MariaDB and through dbvet's replay, compared fact by fact.

The expectation is the server: a case passes when the facts MariaDB 10.11 reports after the
SQL equal the replay's (`tests/mysql_catalog.py`), with no difference left. The spelling
functions of `linter.dialects.sg_types` are also pinned without a server, with values read
from MariaDB.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from mysql_catalog import connect, expression_text, read_catalog, replay_facts, replay_sql, run_sql
from pg_catalog import compare

from linter.dialects.sg_types import enum_values, mysql_default, mysql_type, without_display_width


@dataclass(frozen=True, slots=True)
class Case:
    id: str
    sql: str
    tables: tuple[str, ...]  # what the server holds afterwards (so no case passes empty-handed)


CASES = (
    Case(
        "column types",
        """
CREATE TABLE t (
  a int, b integer unsigned, c bigint, d boolean, e bool, f tinyint, g smallint unsigned,
  h mediumint, i numeric, j dec(10,2), k double precision, l real, m float(30), n float,
  o character varying(10), p national char(3), q json, r text, s long varchar, u int zerofill,
  v blob, w datetime, x time(2), y date, z year, aa bit, ab char, ac binary, ad float4, ae int8,
  af int(5), ag tinyint(1), ah mediumint unsigned zerofill, ai float(7,3), aj int1, ak middleint,
  al int3, am long varbinary, an long, ao nchar varying(4), ap numeric(4), aq fixed(3,1),
  ar double(8,2), as1 char byte, at1 varchar(3) binary, au char(3) CHARACTER SET latin1,
  av varchar(3) COLLATE utf8mb4_bin, aw INT(11), ax BIGINT(20) UNSIGNED, ay decimal(19, 4)
);
CREATE TABLE s (id SERIAL, x int);
""",
        ("s", "t"),
    ),
    Case(
        "column attributes",
        """
CREATE TABLE t (
  id int NOT NULL AUTO_INCREMENT,
  a int KEY,
  b varchar(10) NOT NULL COMMENT 'the b',
  c int UNIQUE,
  d int NULL,
  e int AS (a + 1) VIRTUAL,
  f varchar(20) GENERATED ALWAYS AS (concat(b, '-', d)) STORED,
  g timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
  h int CHECK (h > 0),
  UNIQUE KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='a table';
""",
        ("t",),
    ),
    Case(
        "defaults",
        """
CREATE TABLE t (
  a varchar(10) DEFAULT 'a\\nb', b varchar(10) DEFAULT "dq", c varchar(5) DEFAULT _utf8mb4'x',
  d datetime DEFAULT '2020-01-01', e timestamp(3) NULL DEFAULT '2020-01-01 10:00:00',
  f time DEFAULT '10:00', g bit(2) DEFAULT b'1', h varchar(5) DEFAULT 1, i int DEFAULT '07',
  j datetime(2) DEFAULT 0, k date DEFAULT 20200101, l double DEFAULT 1e3, m float DEFAULT 0.1,
  n decimal(5,2) DEFAULT -0.5, o int DEFAULT 1.6, p varchar(9) DEFAULT 'a''b\\\\c',
  q varchar(4) DEFAULT N'n', r varchar(3) DEFAULT X'41', s bigint DEFAULT (uuid_short()),
  u varchar(40) DEFAULT (uuid()), v tinyint(1) DEFAULT false, w tinyint(1) DEFAULT TRUE,
  x varchar(9) DEFAULT 'a\\rb', y varchar(9) DEFAULT 'a\\0b', z varchar(9) DEFAULT 'a\\Zb',
  aa varchar(9) DEFAULT "a\\"b", ab varchar(9) DEFAULT 'a\\'b', ac varchar(9) DEFAULT 'a\\%b',
  ad varchar(9) DEFAULT 'a\\xb', ae varchar(9) DEFAULT 'é', af varchar(9) DEFAULT 'NULL',
  ag varchar(5) DEFAULT 'a\tb', ah varchar(9) DEFAULT NULL, ai int NOT NULL, aj int DEFAULT (1+1),
  ak decimal(5,2) DEFAULT '1.5', al double DEFAULT 1.50, am bigint unsigned DEFAULT '7',
  an int DEFAULT -1, ao varchar(4) DEFAULT '', ap timestamp(0) NULL DEFAULT CURRENT_TIMESTAMP(0),
  aq datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), ar datetime DEFAULT now(),
  as1 timestamp(6) DEFAULT current_timestamp(6), at1 datetime DEFAULT localtimestamp(),
  au date DEFAULT current_date, av time DEFAULT current_time, aw time(2) DEFAULT current_time(2),
  ax date DEFAULT curdate(), ay varchar(100) DEFAULT current_user, az varchar(3) DEFAULT (concat('a','b'))
);
""",
        ("t",),
    ),
    Case(
        "enums and sets",
        """
CREATE TABLE t (
  v enum('a','b') NOT NULL DEFAULT 'b', w set('p','q') DEFAULT 'p,q',
  x ENUM("it's", 'say "hi"', 'Mixed Case'), y enum(
    'one',
    'two'
  ) DEFAULT 'two'
);
ALTER TABLE t MODIFY v enum('a','b','c') NOT NULL DEFAULT 'c';
ALTER TABLE t CHANGE w w set('p','q','r');
""",
        ("t",),
    ),
    Case(
        "auto_increment",
        """
CREATE TABLE a (id int AUTO_INCREMENT PRIMARY KEY, n int);
CREATE TABLE b (id bigint unsigned NOT NULL AUTO_INCREMENT, PRIMARY KEY (id)) AUTO_INCREMENT=10;
CREATE TABLE c (id int NOT NULL, k int);
ALTER TABLE a MODIFY id int NOT NULL;
ALTER TABLE b AUTO_INCREMENT = 100;
ALTER TABLE c MODIFY id int NOT NULL AUTO_INCREMENT PRIMARY KEY;
""",
        ("a", "b", "c"),
    ),
    Case(
        "add and drop columns",
        """
CREATE TABLE t (id int PRIMARY KEY, a int, b int, c int, INDEX ix_c (c), INDEX ix_bc (b, c));
ALTER TABLE t ADD COLUMN f int NOT NULL DEFAULT 3, ADD g varchar(5) AFTER a, ADD COLUMN h int FIRST;
ALTER TABLE t ADD COLUMN (i int, j int DEFAULT 9);
ALTER TABLE t ADD COLUMN IF NOT EXISTS f int;
ALTER TABLE t ADD COLUMN k int UNIQUE, ADD l int REFERENCES t (id);
ALTER TABLE t DROP COLUMN a;
ALTER TABLE t DROP COLUMN IF EXISTS zz;
ALTER TABLE t DROP c;
""",
        ("t",),
    ),
    Case(
        "modify, change and rename columns",
        """
CREATE TABLE t (id int PRIMARY KEY, a int, b varchar(10) NOT NULL DEFAULT 'x', d int, e int,
  f int, g int, i int, j int DEFAULT 9, UNIQUE KEY (d));
ALTER TABLE t MODIFY b varchar(20) NULL;
ALTER TABLE t MODIFY COLUMN e bigint unsigned NOT NULL DEFAULT '5' COMMENT 'cmt';
ALTER TABLE t CHANGE d d2 int NOT NULL;
ALTER TABLE t CHANGE COLUMN a a2 int DEFAULT 1 AFTER e;
ALTER TABLE t RENAME COLUMN g TO g2;
ALTER TABLE t ALTER COLUMN f SET DEFAULT 7;
ALTER TABLE t ALTER j DROP DEFAULT;
ALTER TABLE t ALTER COLUMN i SET DEFAULT '11';
""",
        ("t",),
    ),
    Case(
        "indexes",
        """
CREATE TABLE t (id int PRIMARY KEY, a int, b int, c int, d text, e int, f int);
CREATE INDEX t_a ON t (a);
CREATE UNIQUE INDEX t_ab ON t (a, b);
ALTER TABLE t ADD INDEX (b), ADD UNIQUE (b), ADD KEY (c, a), ADD FULLTEXT (d), ADD INDEX `E_idx` (e);
CREATE INDEX t_x ON t (f) USING BTREE;
ALTER TABLE t RENAME INDEX t_x TO t_f;
DROP INDEX t_a ON t;
ALTER TABLE t DROP INDEX t_ab, DROP KEY c;
ALTER TABLE t ADD INDEX (A);
""",
        ("t",),
    ),
    Case(
        "foreign keys with and without names",
        """
CREATE TABLE p (id int PRIMARY KEY, k int, j int, UNIQUE KEY (k), UNIQUE KEY (id, j));
CREATE TABLE c (id int PRIMARY KEY, a int, b int, c int, d int, e int,
  FOREIGN KEY (a) REFERENCES p (id),
  CONSTRAINT named_fk FOREIGN KEY (b) REFERENCES p (id) ON DELETE NO ACTION ON UPDATE SET NULL,
  FOREIGN KEY fkidx (c) REFERENCES p (k) ON DELETE CASCADE,
  d2 int REFERENCES p (id));
ALTER TABLE c ADD FOREIGN KEY (d) REFERENCES p (id) ON DELETE SET NULL;
ALTER TABLE c ADD CONSTRAINT fk_e FOREIGN KEY (e) REFERENCES p (id) ON UPDATE CASCADE;
ALTER TABLE c DROP FOREIGN KEY c_ibfk_1;
ALTER TABLE c ADD FOREIGN KEY (a, b) REFERENCES p (id, j);
ALTER TABLE c DROP FOREIGN KEY fk_e;
""",
        ("c", "p"),
    ),
    Case(
        "indexes InnoDB makes for foreign keys",
        """
CREATE TABLE p (id int PRIMARY KEY, j int, UNIQUE KEY (id, j));
CREATE TABLE c1 (id int PRIMARY KEY, a int, INDEX (a), FOREIGN KEY (a) REFERENCES p (id));
CREATE TABLE c2 (id int PRIMARY KEY, a int, b int, FOREIGN KEY (a) REFERENCES p (id));
CREATE INDEX ix ON c2 (a, b);
CREATE TABLE c3 (id int PRIMARY KEY, a int, FOREIGN KEY (a) REFERENCES p (id), INDEX (a));
CREATE TABLE c4 (id int PRIMARY KEY, a int, b int, INDEX a (b), FOREIGN KEY (a) REFERENCES p (id));
CREATE TABLE c5 (id int PRIMARY KEY, a int, b int, FOREIGN KEY (a) REFERENCES p (id));
ALTER TABLE c5 ADD FOREIGN KEY (a, b) REFERENCES p (id, j);
CREATE TABLE c6 (id int, a int, FOREIGN KEY (a) REFERENCES p (id));
ALTER TABLE c6 ADD PRIMARY KEY (a, id);
CREATE TABLE c7 (id int PRIMARY KEY, Aa int, FOREIGN KEY (AA) REFERENCES p (ID));
""",
        ("c1", "c2", "c3", "c4", "c5", "c6", "c7", "p"),
    ),
    Case(
        "primary keys",
        """
CREATE TABLE a (id int NOT NULL, b int, PRIMARY KEY (id));
ALTER TABLE a DROP PRIMARY KEY;
ALTER TABLE a ADD PRIMARY KEY (id, b);
CREATE TABLE b (id int, c int, CONSTRAINT b_pk PRIMARY KEY (id));
ALTER TABLE b DROP PRIMARY KEY, ADD PRIMARY KEY (c);
""",
        ("a", "b"),
    ),
    Case(
        "rename tables",
        """
CREATE TABLE x (id int AUTO_INCREMENT PRIMARY KEY, n int);
CREATE TABLE y (id bigint unsigned NOT NULL AUTO_INCREMENT, x_id int, PRIMARY KEY (id),
  FOREIGN KEY (x_id) REFERENCES x (id), CONSTRAINT y_named FOREIGN KEY (x_id) REFERENCES x (id));
RENAME TABLE x TO x2, y TO y2;
ALTER TABLE y2 RENAME TO y3;
ALTER TABLE y3 RENAME AS y4;
""",
        ("x2", "y4"),
    ),
    Case(
        "check constraints",
        """
CREATE TABLE z (id int, a int CHECK (a <> 0), CHECK (id > 0), CONSTRAINT z_named CHECK (id < 100));
ALTER TABLE z DROP CONSTRAINT z_named;
ALTER TABLE z ADD CHECK (id <> 5);
ALTER TABLE z ADD CONSTRAINT z_other CHECK (id <> 6);
ALTER TABLE z DROP CONSTRAINT z_other;
""",
        ("z",),
    ),
    Case(
        "create and drop tables, comments",
        """
CREATE TABLE z (id int) COMMENT 'zed';
CREATE TABLE IF NOT EXISTS z (q int);
ALTER TABLE z COMMENT = 'zed too';
CREATE TABLE w (id int) COMMENT='dub';
DROP TABLE w;
DROP TABLE IF EXISTS nothere;
CREATE TABLE v (id int);
DROP TABLE IF EXISTS v, nothere;
""",
        ("z",),
    ),
)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_replay_equals_mariadb(mysql_database, case):
    params, database = mysql_database
    with connect(params, database) as conn:
        run_sql(conn, case.sql)
        server = read_catalog(conn, database)
    assert tuple(server["tables"]) == case.tables
    agreement = compare(server, replay_facts(replay_sql(case.sql)))
    assert agreement.differences == [], "\n".join(agreement.differences)


# --- spellings, without a server (the values are MariaDB's, from the cases above) ------------
def test_types_in_the_servers_spelling():
    declared = [
        "integer unsigned", "int(11)", "int(10) unsigned", "bigint(20) unsigned", "numeric", "dec(10,2)",
        "double precision", "real", "float(30)", "float(24)", "character varying(10)", "national char(3)",
        "timestamp(0)", "datetime(3)", "json", "enum(\"a\",'b''c')", "bit", "char", "binary", "year(4)",
        "long varchar", "int zerofill", "long varbinary", "nchar varying(4)", "numeric(4)", "fixed(3,1)",
        "char byte", "varchar(3) binary", "serial", "boolean", "bool", "tinyint(1)", "int(5)", "geometry",
    ]  # fmt: skip
    assert [mysql_type(text) for text in declared] == [
        "int unsigned", "int", "int unsigned", "bigint unsigned", "decimal(10,0)", "decimal(10,2)",
        "double", "double", "double", "float", "varchar(10)", "char(3)",
        "timestamp", "datetime(3)", "json", "enum('a','b''c')", "bit(1)", "char(1)", "binary(1)", "year",
        "mediumtext", "int unsigned zerofill", "mediumblob", "varchar(4)", "decimal(4,0)", "decimal(3,1)",
        "binary(1)", "varchar(3)", "bigint unsigned", "tinyint(1)", "tinyint(1)", "tinyint(1)", "int(5)", "geometry",
    ]  # fmt: skip


def test_display_widths_that_say_nothing_are_dropped():
    assert [
        without_display_width(text)
        for text in (
            "int(11)",
            "int(10) unsigned",
            "tinyint(4)",
            "tinyint(1)",
            "smallint(5) unsigned",
            "year(4)",
            "int(10)",
        )
    ] == ["int", "int unsigned", "tinyint", "tinyint(1)", "smallint unsigned", "year", "int(10)"]


def test_defaults_in_the_servers_spelling():
    cases = [
        ("CURRENT_TIMESTAMP(0)", "timestamp", "current_timestamp()"),
        ("CURRENT_TIMESTAMP(3)", "datetime(3)", "current_timestamp(3)"),
        ("now()", "datetime", "current_timestamp()"),
        ("CURRENT_DATE", "date", "curdate()"),
        ("current_time(2)", "time(2)", "curtime(2)"),
        ("'a\\nb'", "varchar(10)", "'a\\nb'"),
        ('"it\'s"', "varchar(10)", "'it''s'"),
        ("'a\\%b'", "varchar(10)", "'a\\\\%b'"),
        ("_utf8mb4'x'", "varchar(5)", "'x'"),
        ("X'41'", "varchar(3)", "'A'"),
        ("'07'", "int", "7"),
        ("1.6", "int", "2"),
        ("1.5", "decimal(5,2)", "1.50"),
        ("-0.5", "decimal(5,2)", "-0.50"),
        ("1e3", "double", "1000"),
        ("1.50", "double", "1.5"),
        ("0.1", "float", "0.1"),
        ("1", "varchar(5)", "'1'"),
        ("TRUE", "tinyint(1)", "1"),
        ("FALSE", "tinyint(1)", "0"),
        ("'2020-01-01'", "datetime", "'2020-01-01 00:00:00'"),
        ("'2020-01-01 10:00:00'", "timestamp(3)", "'2020-01-01 10:00:00.000'"),
        ("0", "datetime(2)", "'0000-00-00 00:00:00.00'"),
        ("20200101", "date", "'2020-01-01'"),
        ("'10:00'", "time", "'10:00:00'"),
        ("b'1'", "bit(2)", "b'1'"),
        ("NULL", "int", None),
        ("(uuid())", "varchar(40)", "(uuid())"),
    ]
    assert [mysql_default(written, column_type) for written, column_type, _ in cases] == [
        expected for _, _, expected in cases
    ]


def test_defaults_are_a_fixed_point_and_wait_for_the_type():
    # ALTER … SET DEFAULT does not know the column's type: the literal is re-quoted only, and
    # converting it later (the replay knows the type) gives what a full definition gives.
    assert mysql_default("'11'", None) == "'11'"
    assert mysql_default(mysql_default("'11'", None), "int") == "11"
    assert mysql_default(mysql_default("TRUE", None), "varchar(3)") == "'1'"
    for written, column_type in (("'a\\nb'", "text"), ("1.5", "decimal(5,2)"), ("'2020-01-01'", "datetime(6)")):
        once = mysql_default(written, column_type)
        assert mysql_default(once, column_type) == once


def test_enum_values_and_expression_text():
    assert enum_values("enum('a','b''c','d\\\\e')") == ["a", "b'c", "d\\e"]
    assert enum_values("set('x')") == ["x"]
    assert enum_values("varchar(3)") is None
    assert [expression_text(text) for text in ("(`a` + 1)", "a+1", "((A <> 'X Y'))", "(a) + (b)")] == [
        "a+1",
        "a+1",
        "a<>'X Y'",
        "(a)+(b)",
    ]
