"""How far dbvet's PostgreSQL replay agrees with PostgreSQL: facts that agree / all facts, per set.

    python benchmarks/replay_agreement.py [--more]

Applies each corpus set to a scratch database on the server at DBVET_TEST_PG_URL (default
postgresql://postgres@127.0.0.1:5432/postgres) as its tool would, replays it with dbvet, and
prints the agreement and every residual difference. The four sets of
tests/test_pg_replay_vs_server.py run by default; --more adds the corpus's other PostgreSQL
sets, where migrations the server rejects (an extension it lacks, a newer PostgreSQL's syntax)
are left out on both sides and listed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

import psycopg
from pg_catalog import (
    CORPUS_SETS,
    CorpusSet,
    apply_set,
    compare,
    load_set,
    read_catalog,
    replay_facts,
    replay_set,
)

from linter.migrations import MigrationSet, TxMode

CORPUS = REPO.parent / "shared" / "corpus"
PG_URL = os.environ.get("DBVET_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")

MORE_SETS = (
    CorpusSet("trigger.dev", "triggerdotdev__trigger.dev", "internal-packages/database/prisma/migrations"),
    CorpusSet(
        "trigger.dev run-ops", "triggerdotdev__trigger.dev", "internal-packages/run-ops-database/prisma/migrations"
    ),
    CorpusSet("formbricks", "formbricks__formbricks", "packages/database/migration"),
    CorpusSet("umami", "umami-software__umami", "prisma/migrations"),
    CorpusSet("harness", "harness__harness", "app/store/database/migrate/postgres"),
    CorpusSet("authelia", "authelia__authelia", "internal/storage/migrations/postgres"),
    CorpusSet("kestra", "kestra-io__kestra", "jdbc-postgres/src/main/resources/migrations/postgres"),
    CorpusSet("lemmy", "LemmyNet__lemmy", "migrations"),
)


def apply_what_runs(conn, migration_set: MigrationSet) -> list[str]:
    """Apply each up migration as its tool would; drop from the set (so from the replay too)
    the ones the server rejects, and say which and why."""
    rejected = []
    kept = []
    for migration in migration_set.migrations:
        if migration.up is None:
            continue
        try:
            if migration.tx is TxMode.WRAPPED:
                with conn.transaction():
                    conn.execute(migration.up.text)
            else:
                conn.execute(migration.up.text)
        except psycopg.Error as error:
            rejected.append(f"{migration.path}: {str(error).splitlines()[0]}")
            continue
        kept.append(migration)
    migration_set.migrations = kept
    return rejected


def measure(admin, corpus_set: CorpusSet, lenient: bool) -> None:
    name = f"dbvet_agreement_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        migration_set = load_set(CORPUS, corpus_set)
        started = time.perf_counter()
        with psycopg.connect(PG_URL.rsplit("/", 1)[0] + f"/{name}", autocommit=True) as conn:
            rejected: list[str] = []
            if lenient:
                rejected = apply_what_runs(conn, migration_set)
            else:
                apply_set(conn, migration_set)
            applied = time.perf_counter()
            server = read_catalog(conn)
        replay_started = time.perf_counter()
        agreement = compare(server, replay_facts(replay_set(migration_set)))
        replayed = time.perf_counter()
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(
        f"{corpus_set.name:22} {agreement.summary():38} "
        f"({len(migration_set.migrations)} migrations; server {applied - started:.1f}s, replay {replayed - replay_started:.2f}s)"
    )
    for line in rejected:
        print(f"    rejected by the server, left out: {line}")
    for line in agreement.differences:
        print(f"    {line}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--more", action="store_true", help="also the corpus's other PostgreSQL sets")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        raise SystemExit(f"the corpus is not at {CORPUS}")
    with psycopg.connect(PG_URL, autocommit=True, connect_timeout=5) as admin:
        for corpus_set in CORPUS_SETS:
            measure(admin, corpus_set, lenient=False)
        if args.more:
            for corpus_set in MORE_SETS:
                measure(admin, corpus_set, lenient=True)


if __name__ == "__main__":
    main()
