"""How far dbvet's MySQL replay agrees with MariaDB, per corpus set.

    python benchmarks/replay_agreement_mysql.py [--url mysql://root@127.0.0.1:3306/]

Applies each MySQL set of ../shared/corpus that MariaDB can run (umami's Prisma migrations,
authelia's) to a scratch database, reads `information_schema`, replays the same set with
dbvet and prints the facts that agree out of all facts, then every residual difference. What
a fact is, and what is normalised and why: tests/mysql_catalog.py. The URL defaults to
DBVET_TEST_MYSQL_URL, as for the tests. Exit status 2 when the server cannot be reached.
"""

from __future__ import annotations

import argparse
import os
import sys
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

import pymysql
from mysql_catalog import MYSQL_SETS, server_params, set_agreement


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=os.environ.get("DBVET_TEST_MYSQL_URL", "mysql://root@127.0.0.1:3306/"))
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"the corpus is not here: {CORPUS}", file=sys.stderr)
        return 2
    params = server_params(args.url)
    try:
        admin = pymysql.connect(**params)
    except pymysql.MySQLError as error:
        print(f"cannot reach MySQL/MariaDB at {args.url}: {error}", file=sys.stderr)
        return 2
    with admin:
        cursor = admin.cursor()
        cursor.execute("SELECT VERSION()")
        print(f"server: {cursor.fetchone()[0]}")
        for mysql_set in MYSQL_SETS:
            database = f"dbvet_bench_{uuid.uuid4().hex[:12]}"
            cursor.execute(f"CREATE DATABASE `{database}`")
            try:
                agreement = set_agreement(params, database, CORPUS, mysql_set)
            finally:
                cursor.execute(f"DROP DATABASE IF EXISTS `{database}`")
            print(f"{mysql_set.name}: {agreement.summary()}")
            for difference in agreement.differences:
                print(f"    {difference}")
    print("kestra: not compared (written for MySQL 8: `->>` and OFFSET; MariaDB refuses 10 of its 13 tables)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
