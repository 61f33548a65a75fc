"""Statement rules known from the cache's index are imported when the first action they judge
comes (`linter.engine.RulesByAction`), application-code rules when an application file does: a
run gives the same findings as with every rule imported first, and a small file imports only
the rules it needs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import corpus_path
from harness import write_tree

import linter.run as run
from linter.config import config_from_mapping
from rules import LazyRule, all_rules, record_of


def _findings(root: Path, rules) -> list:
    config = config_from_mapping({}, rules, root)
    result = run.check([root], config, rules, root, jobs=1, cache=False)
    return [(f.rule, f.path, f.line, f.column, f.message, f.severity) for f in result.findings]


SETS = ["langfuse__langfuse", "openmeterio__openmeter", "LemmyNet__lemmy", "authelia__authelia"]


@pytest.mark.parametrize("name", SETS)
def test_the_same_findings_as_with_every_rule_imported(name):
    root = corpus_path(name)
    eager = all_rules()
    lazy = {rule_id: LazyRule(record_of(rule)) for rule_id, rule in eager.items()}
    expected = _findings(root, eager)
    assert len(expected) > 100
    assert _findings(root, lazy) == expected


def test_application_code_rules_made_when_a_file_comes(tmp_path):
    schema = 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n'
    app = "export const run = (prisma, email) => prisma.$queryRawUnsafe(`SELECT ${email}`);\n"
    write_tree(tmp_path, {"prisma/schema.prisma": schema, "src/users.ts": app})
    eager = all_rules()
    lazy = {rule_id: LazyRule(record_of(rule)) for rule_id, rule in eager.items()}
    expected = _findings(tmp_path, eager)
    assert [(rule, line, column) for rule, _, line, column, *_ in expected if rule == "A001"] == [("A001", 1, 46)]
    assert _findings(tmp_path, lazy) == expected


PROBE = """
import sys, io, contextlib
from linter.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    main(["check", "migrations"])
print(",".join(sorted(m for m in sys.modules if m.startswith("rules."))))
"""


def test_a_run_from_the_index_imports_the_statement_rules_its_actions_need(tmp_path):
    write_tree(tmp_path, {"pyproject.toml": '[tool.dbvet]\ndialect = "postgresql"\n'})
    env = {**os.environ, "DBVET_CACHE_DIR": str(tmp_path / "cache")}

    def rules_imported(migration: str) -> set[str]:
        write_tree(tmp_path, {"migrations/0001_index.sql": migration})
        done = subprocess.run([sys.executable, "-c", PROBE], cwd=tmp_path, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return set(done.stdout.strip().split(","))

    first = rules_imported("CREATE INDEX orders_note_idx ON orders (note);\n")  # no index yet: all imported
    assert {"rules.s005_create_index_blocking", "rules.d008_narrowing_type_change"} <= first
    after = rules_imported("CREATE INDEX orders_note_idx ON orders (note, id);\n")  # from the index
    assert "rules.s005_create_index_blocking" in after  # judges CREATE INDEX
    assert "rules.d008_narrowing_type_change" not in after  # judges ALTER COLUMN … TYPE only
    assert "rules.r007_empty_migration" in after  # a set rule: always made
    assert "rules.a001_raw_sql_unsafe" not in after  # no application code here
