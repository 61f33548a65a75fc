from __future__ import annotations

from linter import actions as a
from linter.context import StatementContext
from linter.findings import Severity
from linter.locks import Lock
from linter.rule import Doc, Example, Rule
from linter.schema import Name

# What each blocking operation does, its lock, and the online way to do it.
_MAINTENANCE = {
    "vacuum full": (
        "VACUUM FULL",
        Lock.ACCESS_EXCLUSIVE,
        "rewrites the whole table",
        "use plain VACUUM (no lock on reads or writes), or pg_repack / pg_squeeze to compact the table online",
    ),
    "cluster": (
        "CLUSTER",
        Lock.ACCESS_EXCLUSIVE,
        "rewrites the whole table in index order",
        "use pg_repack --order-by to reorder the table online, or leave the order to the planner",
    ),
    "reindex": (
        "REINDEX",
        Lock.SHARE,
        "rebuilds the index",
        "REINDEX … CONCURRENTLY (PostgreSQL ≥ 12), in a migration its tool runs outside a transaction",
    ),
}
_OPTIONS = {
    "set tablespace": "ALTER TABLE … SET TABLESPACE",
    "set logged": "ALTER TABLE … SET LOGGED",
    "set unlogged": "ALTER TABLE … SET UNLOGGED",
}


class BlockingMaintenance(Rule):
    id = "S013"
    name = "blocking-maintenance"
    severity = Severity.WARNING
    summary = "VACUUM FULL, CLUSTER, REINDEX without CONCURRENTLY, or a table rewrite by SET TABLESPACE/LOGGED/UNLOGGED."
    dialects = frozenset({"postgresql"})
    actions = (a.Maintenance, a.TableOption)
    doc = Doc(
        what="`VACUUM FULL`, `CLUSTER`, `REINDEX` without `CONCURRENTLY`, and `ALTER TABLE … SET TABLESPACE` / "
        "`SET LOGGED` / `SET UNLOGGED` on tables that existed before this migration (or on every table, when "
        "the statement names none). Tables created earlier in the same file or in the change are exempt.",
        why="Each of these rewrites a whole table or index under a lock that stops writes (REINDEX: SHARE) or "
        "reads and writes (the others: ACCESS EXCLUSIVE) for as long as the copy takes.",
        instead="Plain `VACUUM`; `REINDEX … CONCURRENTLY` outside a transaction; pg_repack or pg_squeeze for "
        "online compaction and reordering; move or re-log a big table by building a new one and switching over.",
        bad=Example(
            "VACUUM FULL orders;\n",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY);\n",),
            expect=((1, 1),),
        ),
        good=Example(
            "VACUUM orders;\n",
            before=("CREATE TABLE orders (id bigint PRIMARY KEY);\n",),
        ),
    )

    def check_action(self, action: a.Maintenance | a.TableOption, ctx: StatementContext) -> None:
        if isinstance(action, a.TableOption):
            what = _OPTIONS.get(action.option)
            if what is None or ctx.is_new_table(action.table):
                return
            table = str(action.table)
            ctx.report(
                action.span,
                f'{what.replace("…", table)} rewrites the whole table while its reads and writes wait',
                lock=Lock.ACCESS_EXCLUSIVE.on(table, "while the table is copied and until commit"),
                fix="build a new table with the wanted storage, copy the rows in batches and switch over, "
                "or do it in a maintenance window",
            )
            return
        known = _MAINTENANCE.get(action.op)
        if known is None or (action.op == "reindex" and action.concurrently):
            return
        what, lock, does, instead = known
        tables = list(action.tables) or self._reindexed_table(ctx)
        if tables and all(ctx.is_new_table(table) for table in tables):
            return
        table = next((str(table) for table in tables if not ctx.is_new_table(table)), None)
        target = f'"{table}"' if table else "every table it covers"
        ctx.report(
            action.span,
            f"{what} {does} while {'writes to' if lock is Lock.SHARE else 'reads and writes of'} {target} wait",
            lock=lock.on(table or "each table it covers", "until it finishes"),
            fix=instead,
        )

    @staticmethod
    def _reindexed_table(ctx: StatementContext) -> list[Name]:
        """REINDEX INDEX name: the index's table, from the history."""
        node = ctx.statement.node if ctx.statement is not None else None
        if not isinstance(node, dict) or node.get("kind") != "REINDEX_OBJECT_INDEX":
            return []
        relation = node.get("relation") or {}
        found = ctx.schema.find_index(Name(relation.get("relname", ""), relation.get("schemaname")))
        return [Name(found[0].name, found[0].schema)] if found else []
