"""The table locks of linter/locks.py against PostgreSQL itself: each statement runs in a
transaction (rolled back) on a server, and the strongest lock it holds on the tables involved,
read from pg_locks, is what dbvet says. The differences that remain are listed, each with why."""

from __future__ import annotations

from test_locks import _actions

from linter.locks import foreign_key_locks, table_locks
from linter.replay import Replay
from linter.schema import Origin, Schema

SETUP = """
DROP TABLE IF EXISTS t, t2, u CASCADE; DROP TYPE IF EXISTS mood; DROP VIEW IF EXISTS v;
CREATE TABLE u (id int PRIMARY KEY);
CREATE TABLE t (id int PRIMARY KEY, c int, u int, d int);
CREATE INDEX t_c_idx ON t (c); CREATE UNIQUE INDEX k_idx ON t (d);
ALTER TABLE t ADD CONSTRAINT k CHECK (c > 0) NOT VALID;
ALTER TABLE t ADD CONSTRAINT f FOREIGN KEY (u) REFERENCES u (id) NOT VALID;
CREATE TYPE mood AS ENUM ('sad');
"""

STATEMENTS = [
    "ALTER TABLE t ADD COLUMN e int",
    "ALTER TABLE t ADD COLUMN e int DEFAULT 1",
    "ALTER TABLE t DROP COLUMN c",
    "ALTER TABLE t ALTER COLUMN c TYPE bigint",
    "ALTER TABLE t ALTER COLUMN c SET NOT NULL",
    "ALTER TABLE t ALTER COLUMN c DROP NOT NULL",
    "ALTER TABLE t ALTER COLUMN c SET DEFAULT 1",
    "ALTER TABLE t ALTER COLUMN c DROP DEFAULT",
    "ALTER TABLE t ALTER COLUMN c SET STATISTICS 500",
    "ALTER TABLE t ALTER COLUMN c SET (n_distinct = 100)",
    "ALTER TABLE t ALTER COLUMN c SET STORAGE PLAIN",
    "ALTER TABLE t SET (fillfactor = 70)",
    "ALTER TABLE t RESET (fillfactor)",
    "ALTER TABLE t CLUSTER ON t_c_idx",
    "ALTER TABLE t SET WITHOUT CLUSTER",
    "ALTER TABLE t ADD CONSTRAINT f2 FOREIGN KEY (u) REFERENCES u (id)",
    "ALTER TABLE t ADD CONSTRAINT f2 FOREIGN KEY (u) REFERENCES u (id) NOT VALID",
    "ALTER TABLE t ADD CONSTRAINT k2 CHECK (c > 0)",
    "ALTER TABLE t ADD CONSTRAINT k2 CHECK (c > 0) NOT VALID",
    "ALTER TABLE t ADD CONSTRAINT k3 UNIQUE (d)",
    "ALTER TABLE t ADD CONSTRAINT k3 UNIQUE USING INDEX k_idx",
    "ALTER TABLE t VALIDATE CONSTRAINT k",
    "ALTER TABLE t VALIDATE CONSTRAINT f",
    "ALTER TABLE t DROP CONSTRAINT k",
    "ALTER TABLE t DROP CONSTRAINT f",
    "ALTER TABLE t RENAME TO t2",
    "ALTER TABLE t RENAME COLUMN c TO c2",
    "ALTER TABLE t RENAME CONSTRAINT k TO k9",
    "ALTER TABLE t SET LOGGED",
    "ALTER TABLE t SET UNLOGGED",
    "ALTER TABLE t DISABLE TRIGGER ALL",
    "ALTER TABLE t ENABLE TRIGGER ALL",
    "ALTER TABLE t OWNER TO postgres",
    "ALTER TABLE t SET SCHEMA public",
    "ALTER TABLE t REPLICA IDENTITY FULL",
    "ALTER TABLE t ENABLE ROW LEVEL SECURITY",
    "CREATE INDEX i ON t (c)",
    "CREATE UNIQUE INDEX i ON t (c)",
    "DROP INDEX t_c_idx",
    "ALTER INDEX t_c_idx RENAME TO j",
    "ALTER INDEX t_c_idx SET (fillfactor = 70)",
    "TRUNCATE t CASCADE",
    "DROP TABLE t CASCADE",
    "CLUSTER t USING t_c_idx",
    "REINDEX TABLE t",
    "REINDEX INDEX t_c_idx",
    "UPDATE t SET c = 1 WHERE id = 2",
    "DELETE FROM t",
    "INSERT INTO t (id) VALUES (1)",
    "SELECT * FROM t",
    "LOCK TABLE t",
    "LOCK TABLE t IN SHARE MODE",
    "LOCK TABLE t IN ROW EXCLUSIVE MODE",
    "LOCK TABLE t IN ACCESS SHARE MODE",
    "LOCK TABLE t IN ROW SHARE MODE",
    "LOCK TABLE t IN SHARE UPDATE EXCLUSIVE MODE",
    "LOCK TABLE t IN SHARE ROW EXCLUSIVE MODE",
    "LOCK TABLE t IN EXCLUSIVE MODE NOWAIT",
    "LOCK t, u IN SHARE MODE",
    "COMMENT ON TABLE t IS 'x'",
    "COMMENT ON COLUMN t.c IS 'x'",
    "GRANT SELECT ON t TO postgres",
    "CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()",
    "CREATE POLICY pol ON t USING (true)",
    "ANALYZE t",
    "CREATE STATISTICS st ON c, u FROM t",
    "CREATE VIEW v AS SELECT * FROM t",
    "CREATE RULE r AS ON INSERT TO t DO ALSO NOTHING",
]

# Modes from weakest to strongest, as pg_locks names them.
RANK = [
    "AccessShareLock", "RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock", "ShareLock",
    "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock",
]  # fmt: skip

# (statement, table, PostgreSQL's lock, dbvet's): the differences dbvet keeps, and why.
KNOWN = {
    # The table is renamed or dropped: pg_locks no longer finds it under its old name.
    ("ALTER TABLE t RENAME TO t2", "t", None, "AccessExclusiveLock"),
    ("DROP TABLE t CASCADE", "t", None, "AccessExclusiveLock"),
    # Dropping a foreign key (or its table) locks the referenced table too: `table_locks` has no
    # schema to find the key in; `foreign_key_locks` has (test_foreign_key_locks_agree_with_postgresql).
    ("ALTER TABLE t DROP CONSTRAINT f", "u", "AccessExclusiveLock", None),
    ("DROP TABLE t CASCADE", "u", "AccessExclusiveLock", None),
    # DROP INDEX and REINDEX INDEX name the index: the rules find its table in the schema.
    ("DROP INDEX t_c_idx", "t", "AccessExclusiveLock", None),
    ("REINDEX INDEX t_c_idx", "t", "ShareLock", None),
    # REINDEX holds ACCESS EXCLUSIVE on each index: for the table's queries as strong (locks.py).
    ("REINDEX TABLE t", "t", "ShareLock", "AccessExclusiveLock"),
    # Reads take ACCESS SHARE, which blocks only ACCESS EXCLUSIVE: no rule needs it.
    ("SELECT * FROM t", "t", "AccessShareLock", None),
    ("CREATE VIEW v AS SELECT * FROM t", "t", "AccessShareLock", None),
}


def _name(mode: str) -> str:
    return "".join(word.capitalize() for word in mode.split()) + "Lock"


def _held_by_server(connection, setup: str, sql: str, tables: tuple[str, ...]) -> dict[str, str]:
    """The strongest lock `sql` holds on each of `tables`, run after `setup` in a transaction
    rolled back afterwards."""
    connection.execute(setup)
    with connection.transaction(force_rollback=True):
        connection.execute(sql)
        rows = connection.execute(
            "SELECT c.relname, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
            " WHERE l.pid = pg_backend_pid() AND l.granted AND c.relname = ANY(%s)",
            (list(tables),),
        ).fetchall()
    return _strongest(rows)


def _strongest(pairs) -> dict[str, str]:
    strongest: dict[str, str] = {}
    for table, mode in pairs:
        if table not in strongest or RANK.index(mode) > RANK.index(strongest[table]):
            strongest[table] = mode
    return strongest


def test_locks_agree_with_postgresql(pg_database):
    import psycopg

    differences, ran = set(), 0
    with psycopg.connect(pg_database, autocommit=True) as connection:
        for sql in STATEMENTS:
            ours = _strongest(
                (lock.table.name, _name(lock.lock.mode)) for action in _actions(sql) for lock in table_locks(action)
            )
            server = _held_by_server(connection, SETUP, sql, ("t", "u"))
            ran += 1
            for table in ("t", "u"):
                theirs, mine = server.get(table), ours.get(table)
                if table == "u" and mine is None and theirs in (None, "AccessShareLock", "RowShareLock"):
                    continue  # reading the referenced table to check rows: no rule needs it
                if theirs != mine:
                    differences.add((sql, table, theirs, mine))
    assert ran == len(STATEMENTS)
    assert differences == KNOWN


# Foreign keys in every shape: to a primary key named and implied, to a unique column, and a
# chain (v -> t -> u) for TRUNCATE's cascade.
FK_SETUP = """
DROP TABLE IF EXISTS v, w, t, u CASCADE;
CREATE TABLE u (id int PRIMARY KEY, code int CONSTRAINT u_code_key UNIQUE, n int);
CREATE TABLE t (id int PRIMARY KEY, c int, u int REFERENCES u (id), code int REFERENCES u (code));
CREATE TABLE v (id int PRIMARY KEY, t int REFERENCES t (id));
CREATE TABLE w (id int, u int REFERENCES u);
"""

FK_STATEMENTS = [
    "ALTER TABLE t DROP CONSTRAINT t_u_fkey",
    "ALTER TABLE t DROP CONSTRAINT t_pkey CASCADE",
    "ALTER TABLE t DROP COLUMN u",
    "ALTER TABLE t DROP COLUMN c",
    "ALTER TABLE t ALTER COLUMN u TYPE bigint",
    "ALTER TABLE t ALTER COLUMN c TYPE bigint",
    "ALTER TABLE u ALTER COLUMN id TYPE bigint",
    "ALTER TABLE u ALTER COLUMN code TYPE bigint",
    "ALTER TABLE u ALTER COLUMN n TYPE bigint",
    "ALTER TABLE u DROP COLUMN code CASCADE",
    "ALTER TABLE u DROP COLUMN n CASCADE",
    "ALTER TABLE u DROP CONSTRAINT u_pkey CASCADE",
    "ALTER TABLE u DROP CONSTRAINT u_code_key CASCADE",
    "DROP TABLE t CASCADE",
    "DROP TABLE v",
    "DROP TABLE v, w",
    "TRUNCATE u CASCADE",
    "TRUNCATE v",
]


def _replayed(sql: str) -> Schema:
    schema = Schema()
    replay = Replay(schema)
    for action in _actions(sql):
        replay.apply(action, Origin(None, action.span))
    return schema


def test_foreign_key_locks_agree_with_postgresql(pg_database):
    """The ACCESS EXCLUSIVE locks on the other tables of foreign keys that a statement drops or
    rebuilds (`foreign_key_locks`), and on its own tables (`table_locks`), against the server's
    locks on every table. Weaker locks on the other tables (reads of the rows a key checks, the
    SHARE ROW EXCLUSIVE of a key being re-added) are not compared: no rule reads them."""
    import psycopg

    tables = ("t", "u", "v", "w")
    differences = []
    with psycopg.connect(pg_database, autocommit=True) as connection:
        for sql in FK_STATEMENTS:
            schema = _replayed(FK_SETUP)
            (action,) = _actions(sql)
            own = {lock.table.name for lock in table_locks(action)}
            ours = _strongest(
                (lock.table.name, _name(lock.lock.mode))
                for lock in (*table_locks(action), *foreign_key_locks(action, schema))
            )
            server = _held_by_server(connection, FK_SETUP, sql, tables)
            for table in tables:
                theirs, mine = server.get(table), ours.get(table)
                if table not in own and theirs != "AccessExclusiveLock":
                    theirs = None
                if table in own and sql.startswith("DROP TABLE") and theirs is None:
                    theirs = mine  # dropped: pg_locks no longer finds it by name
                if theirs != mine:
                    differences.append((sql, table, theirs, mine))
    assert differences == []
