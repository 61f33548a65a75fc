"""Real migration sets applied to PostgreSQL 15 and replayed by dbvet agree fact by fact.

Each set is applied to a scratch database the way its tool runs it (Prisma and golang-migrate
send each file as one query string, dbmate runs the up section inside a transaction), the
catalog is read back, and every fact (tables, columns with type, nullability, default,
identity, generation and comment, primary keys, indexes, foreign keys, checks with their
expressions, enums) must equal the replay's: 100%, every difference listed in the failure.
`pg_catalog` says where a set needs help to run at all (UPchieve) and why. The whole file
takes about ten seconds.
"""

from __future__ import annotations

import pytest
from conftest import corpus_path
from pg_catalog import CORPUS_SETS, load_set, server_agreement

# Facts each set's catalog holds (the corpus is a fixed snapshot): a set that stopped being
# applied, or a reader that stopped reading something, shows here.
FACTS = {"documenso": 4122, "langfuse": 6286, "openmeter": 12534, "upchieve": 8438}


@pytest.mark.parametrize("corpus_set", CORPUS_SETS, ids=[corpus_set.name for corpus_set in CORPUS_SETS])
def test_replay_equals_the_server(corpus_set, pg_database):
    root = corpus_path(corpus_set.repo).parent
    agreement = server_agreement(pg_database, load_set(root, corpus_set))
    assert (agreement.differences, agreement.total) == ([], FACTS[corpus_set.name]), agreement.summary()
