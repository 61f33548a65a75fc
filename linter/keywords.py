"""Reserved words per dialect: names a table or column cannot carry without quoting.

Kept as literal sets so that looking a name up costs nothing and never imports a parser:
- PostgreSQL: the RESERVED_KEYWORD category of its grammar (`kwlist.h`; pglast exposes the same
  list as `pglast.keywords.RESERVED_KEYWORDS`, and a test keeps the two equal). `user` is among
  them. The "type or function name" category is left out on purpose: only fully reserved words
  count, to stay on the side of no false positives.
- MySQL: the words marked (R) in the MySQL 8.0 keyword list (`user` is not one of them).
- SQLite: the keywords SQLite does not accept as a bare table or column name (most of its
  keywords fall back to identifiers); measured with `CREATE TABLE` on SQLite 3.40.
"""

from __future__ import annotations

import re

from linter.schema import MYSQL, POSTGRESQL, SQLITE

POSTGRESQL_RESERVED = frozenset(
    """
    all analyse analyze and any array as asc asymmetric both case cast check collate column constraint
    create current_catalog current_date current_role current_time current_timestamp current_user default
    deferrable desc distinct do else end except false fetch for foreign from grant group having in
    initially intersect into lateral leading limit localtime localtimestamp not null offset on only or
    order placing primary references returning select session_user some symmetric system_user table then
    to trailing true union unique user using variadic when where window with
    """.split()
)

MYSQL_RESERVED = frozenset(
    """
    accessible add all alter analyze and as asc asensitive before between bigint binary blob both by call
    cascade case change char character check collate column condition constraint continue convert create
    cross cube cume_dist current_date current_time current_timestamp current_user cursor database
    databases day_hour day_microsecond day_minute day_second dec decimal declare default delayed delete
    dense_rank desc describe deterministic distinct distinctrow div double drop dual each else elseif
    empty enclosed escaped except exists exit explain false fetch first_value float float4 float8 for
    force foreign from fulltext function generated get grant group grouping groups having high_priority
    hour_microsecond hour_minute hour_second if ignore in index infile inner inout insensitive insert int
    int1 int2 int3 int4 int8 integer intersect interval into io_after_gtids io_before_gtids is iterate
    join json_table key keys kill lag last_value lateral lead leading leave left like limit linear lines
    load localtime localtimestamp lock long longblob longtext loop low_priority master_bind
    master_ssl_verify_server_cert match maxvalue mediumblob mediumint mediumtext middleint
    minute_microsecond minute_second mod modifies natural not no_write_to_binlog nth_value ntile null
    numeric of on optimize optimizer_costs option optionally or order out outer outfile over partition
    percent_rank precision primary procedure purge range rank read reads read_write real recursive
    references regexp release rename repeat replace require resignal restrict return revoke right rlike
    row rows row_number schema schemas second_microsecond select sensitive separator set show signal
    smallint spatial specific sql sqlexception sqlstate sqlwarning sql_big_result sql_calc_found_rows
    sql_small_result ssl starting stored straight_join system table terminated then tinyblob tinyint
    tinytext to trailing trigger true undo union unique unlock unsigned update usage use using utc_date
    utc_time utc_timestamp values varbinary varchar varcharacter varying virtual when where while window
    with write xor year_month zerofill
    """.split()
)

SQLITE_RESERVED = frozenset(
    """
    add all alter and as autoincrement between case check collate commit constraint create default
    deferrable delete distinct drop else escape except exists foreign from group having if in index
    insert intersect into is isnull join limit not nothing notnull null on or order primary references
    returning select set table then to transaction union unique update using values when where
    """.split()
)

_RESERVED = {POSTGRESQL: POSTGRESQL_RESERVED, MYSQL: MYSQL_RESERVED, SQLITE: SQLITE_RESERVED}


def reserved_word(name: str, dialect: str | None) -> str | None:
    """The reserved word `name` spells in `dialect`, or None.

    PostgreSQL folds only unquoted names, so a name with capitals (`"User"`) is not the keyword
    `user` (its quoting is N001/N002's business); MySQL and SQLite compare keywords without case.
    """
    words = _RESERVED.get(dialect or "")
    if words is None:
        return None
    key = name if dialect == POSTGRESQL else name.lower()
    return key if key in words else None


_PLAIN_MYSQL = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_PLAIN_SQLITE = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*")


def sql_name(name: str, dialect: str | None) -> str:
    """`name` as a statement in `dialect` must spell it, for the SQL a finding suggests: bare
    when it is a plain name and no keyword that needs quotes there, else quoted (`"…"`; MySQL:
    backticks). PostgreSQL (and an unknown dialect) follows its own `quote_ident`: a name with
    capitals (`"User"`, as Prisma writes them) or a keyword (`"offset"`) gets quotes."""
    if dialect == MYSQL:
        if _PLAIN_MYSQL.fullmatch(name) and name.lower() not in MYSQL_RESERVED:
            return name
        return "`" + name.replace("`", "``") + "`"
    if dialect == SQLITE:
        if _PLAIN_SQLITE.fullmatch(name) and name.lower() not in SQLITE_RESERVED:
            return name
        return '"' + name.replace('"', '""') + '"'
    from linter.dialects.pg_types import quote_ident

    return quote_ident(name)


def sql_table(name: str, schema: str | None, dialect: str | None) -> str:
    """A table (or index, type) name as `sql_name` spells it, after its schema when it has one."""
    return f"{sql_name(schema, dialect)}.{sql_name(name, dialect)}" if schema else sql_name(name, dialect)
