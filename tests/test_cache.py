"""The result cache: a warm run reports exactly what a cold one does, recomputes only what
changed, and shrugs off damaged entries, concurrent runs and a cache it cannot write."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from harness import write_tree

from linter import cache as cache_module
from linter import parallel
from linter.cli import main
from linter.config import config_from_mapping
from linter.discover import discover
from linter.run import discovery_options
from rules import all_rules

TREE = {
    # PostgreSQL by folder name, with an inline suppression and a finding it leaves.
    "db/postgres/0001_orders.up.sql": "CREATE TABLE orders (id bigint PRIMARY KEY, note text);\n",
    "db/postgres/0001_orders.down.sql": "DROP TABLE orders;\n",
    "db/postgres/0002_note.up.sql": (
        "-- dbvet: ignore S005 built before launch\nCREATE INDEX orders_note_idx ON orders (note);\n"
        "CREATE INDEX orders_id_note_idx ON orders (id, note);\n"
    ),
    "db/postgres/0002_note.down.sql": "DROP INDEX orders_note_idx;\n",
    # A Prisma project: a schema beside its migrations (one unit), and application code.
    "prisma/schema.prisma": (
        'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n\n'
        "model User {\n  id Int @id\n  emailAddress String\n}\n"
    ),
    "prisma/migrations/20240101000000_init/migration.sql": 'CREATE TABLE "User" ("id" INTEGER NOT NULL, "email" TEXT);\n',
    "prisma/migrations/migration_lock.toml": 'provider = "postgresql"\n',
    "src/query.ts": "export const q = (id: string) => prisma.$queryRawUnsafe(`SELECT * FROM t WHERE id = ${id}`);\n",
    # MySQL, by folder name; and a binary file where SQL is expected (E003).
    "mysql/0001_init.sql": "CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v FLOAT) ENGINE=InnoDB;\n",
    "mysql/0002_bad.sql": b"\x00\x01binary",
}

@pytest.fixture
def tree(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    write_tree(root, TREE)
    monkeypatch.chdir(root)
    return root

@pytest.fixture
def linted(monkeypatch):
    """The display path of the first file of every unit linted (not read from the cache)."""
    seen: list[str] = []
    original = parallel.lint_unit

    def counting(setup, unit):
        seen.append(sorted(unit.paths())[0] if unit.paths() else "")
        return original(setup, unit)

    monkeypatch.setattr(parallel, "lint_unit", counting)
    return seen

def run_json(capsys, *args: str) -> dict:
    main(["check", "--format", "json", "--jobs", "1", *args])
    return json.loads(capsys.readouterr().out)

def entries(root: Path) -> list[Path]:
    """The result entries (not the rule index beside them)."""
    return sorted(path for path in (root / f"results-{cache_module.FORMAT}").rglob("*") if path.is_file())


def every_file(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())

def cache_root() -> Path:
    return Path(os.environ["DBVET_CACHE_DIR"])

EXPECTED = [
    ("T001", "db/postgres/0001_orders.up.sql", 1, 1),
    ("R002", "db/postgres/0002_note.down.sql", 1, 1),
    ("S012", "db/postgres/0002_note.up.sql", 2, 1),
    ("S005", "db/postgres/0002_note.up.sql", 3, 1),  # line 2's is suppressed
    ("T001", "mysql/0001_init.sql", 1, 1),
    ("K003", "mysql/0001_init.sql", 1, 17),
    ("E003", "mysql/0002_bad.sql", 1, 1),
    ("R001", "prisma/migrations/20240101000000_init/migration.sql", 1, 1),
    ("R005", "prisma/migrations/20240101000000_init/migration.sql", 1, 45),
    ("T001", "prisma/schema.prisma", 6, 1),
    ("N001", "prisma/schema.prisma", 6, 7),
    ("K003", "prisma/schema.prisma", 7, 6),
    ("R005", "prisma/schema.prisma", 7, 10),
    ("N002", "prisma/schema.prisma", 8, 3),
    ("R005", "prisma/schema.prisma", 8, 3),
    ("A001", "src/query.ts", 1, 41),
]
UNITS = ["db/postgres/0001_orders.down.sql", "mysql/0001_init.sql", "prisma/migrations/20240101000000_init/migration.sql", "src/query.ts"]

def test_a_warm_run_reports_what_a_cold_run_and_an_uncached_run_do(tree, capsys, linted):
    cold = run_json(capsys)
    assert sorted(linted) == UNITS
    assert [(f["rule"], f["path"], f["line"], f["column"]) for f in cold["findings"]] == EXPECTED
    assert len(entries(cache_root())) == 4

    linted.clear()
    warm = run_json(capsys)
    assert linted == []
    assert warm == cold

    uncached = run_json(capsys, "--no-cache")
    assert sorted(linted) == UNITS
    assert uncached == cold

def test_no_cache_neither_reads_nor_writes(tree, capsys, linted):
    run_json(capsys, "--no-cache")
    assert every_file(cache_root()) == []
    run_json(capsys)
    linted.clear()
    run_json(capsys, "--no-cache")
    assert sorted(linted) == UNITS

def test_editing_one_file_relints_only_its_unit(tree, capsys, linted):
    run_json(capsys)
    (tree / "db/postgres/0002_note.up.sql").write_text("CREATE INDEX CONCURRENTLY orders_note_idx ON orders (note);\n")
    linted.clear()
    warm = run_json(capsys)
    assert linted == ["db/postgres/0001_orders.down.sql"]
    assert warm == run_json(capsys, "--no-cache")
    assert not any(f["path"] == "db/postgres/0002_note.up.sql" and f["rule"] == "S005" for f in warm["findings"])

def test_files_given_one_by_one_are_their_own_entry(tree, capsys, linted):
    whole = run_json(capsys)
    one = run_json(capsys, "db/postgres/0002_note.up.sql")
    assert one["findings"] == [f for f in whole["findings"] if f["path"] == "db/postgres/0002_note.up.sql"]
    linted.clear()
    assert run_json(capsys, "db/postgres/0002_note.up.sql") == one
    assert linted == []

def test_settings_that_change_results_are_part_of_the_key(tree, capsys, linted):
    run_json(capsys)
    linted.clear()
    selected = run_json(capsys, "--select", "S005")
    assert sorted(linted) == UNITS[:3]  # no rule reads application code now
    assert [(f["rule"], f["path"], f["line"]) for f in selected["findings"]] == [
        ("S005", "db/postgres/0002_note.up.sql", 3),
        ("E003", "mysql/0002_bad.sql", 1),  # input problems are always on
    ]
    linted.clear()
    run_json(capsys, "--pg-version", "11")
    assert sorted(linted) == UNITS

def test_a_migration_created_in_the_change_makes_another_key(tree):
    rules = all_rules()
    config = config_from_mapping({}, rules, tree)
    settings = b"settings"
    unit = parallel_units(tree, config)[0]
    before = cache_module.unit_key(settings, unit, None)
    assert cache_module.unit_key(settings, parallel_units(tree, config)[0], None) == before
    unit.migration_set.migrations[-1].in_change = True
    assert cache_module.unit_key(settings, unit, None) != before
    assert cache_module.unit_key(settings, parallel_units(tree, config)[0], {"db/postgres/0002_note.up.sql"}) != before

def parallel_units(root: Path, config) -> list:
    from linter.units import plan_units

    return plan_units(discover([Path(".")], discovery_options(config), cwd=root), with_app=True)

def _truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]

def _flip_payload(data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 0xFF])

def _other_format(data: bytes) -> bytes:
    return data.replace(cache_module.MAGIC, b"dbvet-cache 0\n", 1)

def _valid_checksum_wrong_shape(data: bytes) -> bytes:
    import marshal
    from _blake2 import blake2b

    payload = marshal.dumps(("not", "a", "record"))
    return cache_module.MAGIC + blake2b(payload, digest_size=cache_module.DIGEST_SIZE).digest() + payload

@pytest.mark.parametrize(
    "damage",
    [_truncate, _flip_payload, _other_format, _valid_checksum_wrong_shape, lambda data: b"", lambda data: os.urandom(300)],
    ids=["truncated", "bad-checksum", "other-format", "wrong-shape", "empty", "garbage"],
)
def test_a_damaged_entry_is_a_miss_and_is_replaced(tree, capsys, linted, damage):
    cold = run_json(capsys)
    files = entries(cache_root())
    for path in files:
        path.write_bytes(damage(path.read_bytes()))
    linted.clear()
    assert run_json(capsys) == cold
    assert sorted(linted) == UNITS
    linted.clear()
    assert run_json(capsys) == cold
    assert linted == []  # rewritten whole
    assert entries(cache_root()) == files

def test_an_unwritable_cache_directory_disables_the_cache(tree, capsys, linted, monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv("DBVET_CACHE_DIR", str(blocker / "dbvet"))
    first = run_json(capsys)
    assert first == run_json(capsys)
    assert sorted(linted) == sorted(UNITS * 2)

def test_a_cache_whose_entries_cannot_be_written_still_runs(tree, capsys, linted):
    (cache_root() / f"results-{cache_module.FORMAT}").write_text("in the way")
    first = run_json(capsys)
    assert run_json(capsys) == first
    assert sorted(linted) == sorted(UNITS * 2)

def test_two_runs_at_once_share_one_cache(tree):
    expected = subprocess.run(
        [sys.executable, "-m", "linter", "check", "--format", "json", "--no-cache"], capture_output=True, text=True, cwd=tree
    ).stdout
    runs = [
        subprocess.Popen([sys.executable, "-m", "linter", "check", "--format", "json", "--jobs", "1"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tree)
        for _ in range(3)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [out for out, _ in outputs] == [expected] * 3
    assert [err for _, err in outputs] == [""] * 3
    assert len(entries(cache_root())) == 4
    warm = subprocess.run([sys.executable, "-m", "linter", "check", "--format", "json"], capture_output=True, text=True, cwd=tree)
    assert warm.stdout == expected

def test_the_cache_directory_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("DBVET_CACHE_DIR", str(tmp_path / "explicit"))
    assert cache_module.cache_dir() == tmp_path / "explicit"
    monkeypatch.delenv("DBVET_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_module.cache_dir() == tmp_path / "xdg" / "dbvet"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_module.cache_dir() == tmp_path / "home" / ".cache" / "dbvet"

def test_eviction_removes_the_oldest_entries_beyond_the_bound(tmp_path):
    from linter.units import UnitResult

    store = cache_module.Cache(tmp_path, max_bytes=10**9)
    keys = [f"{n:02d}" + "ab" * 19 for n in range(5)]
    for age, key in enumerate(keys):
        store.put(key, UnitResult([], {"a.sql": None}, {"a.sql": "postgresql"}))
        os.utime(store._path(key), ns=(10**18 + age, 10**18 + age))
    size = store._path(keys[0]).stat().st_size
    store.max_bytes = 2 * size
    store.evict()
    assert [store.get(key) is not None for key in keys] == [False, False, False, True, True]

def test_records_round_trip(tree, capsys):
    import marshal

    run_json(capsys)
    for path in entries(cache_root()):
        record = marshal.loads(path.read_bytes()[len(cache_module.MAGIC) + cache_module.DIGEST_SIZE :])
        assert cache_module.to_record(cache_module.from_record(record)) == record


@pytest.mark.parametrize("damage", [_truncate, _flip_payload, lambda data: b"garbage"], ids=["truncated", "bad-checksum", "garbage"])
def test_a_damaged_rule_index_is_rebuilt(tree, capsys, damage):
    from rules import LazyRule, all_rules, indexed_rules

    cold = run_json(capsys)
    [index] = (cache_root() / f"rules-{cache_module.FORMAT}").iterdir()
    assert all(isinstance(rule, LazyRule) for rule in indexed_rules().values())
    index.write_bytes(damage(index.read_bytes()))
    assert indexed_rules() is all_rules()  # read nothing usable: imported, and written again
    assert all(isinstance(rule, LazyRule) for rule in indexed_rules().values())
    assert run_json(capsys) == cold


def test_the_rule_index_answers_as_the_classes_do():
    from rules import LazyRule, all_rules, record_of

    for rule_id, rule in all_rules().items():
        lazy = LazyRule(record_of(rule))
        assert (lazy.id, lazy.name, lazy.severity, lazy.default_on, lazy.summary) == (
            rule.id, rule.name, rule.severity, rule.default_on, rule.summary,
        )
        assert lazy.options == rule.options
        assert all(lazy.implements(hook) == rule.implements(hook) for hook in ("check_action", "check_schema", "check_set", "check_app"))
        assert lazy.doc is rule.doc and lazy.load() is rule
        assert (lazy.action_types, lazy.reversal) == (
            tuple((action.__module__, action.__qualname__) for action in rule.actions), rule.reversal,
        )
