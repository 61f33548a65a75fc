"""The shortcuts that make a run served from the cache fast, pinned against what they replace:
the unit key's written structure, reading files without a buffered file object, joining an
entry's path without `os.path.join`, and decoding a cache entry."""

from __future__ import annotations

import copy
import enum
import marshal
import os
import subprocess
import sys
import threading
import time
from pathlib import Path, PurePosixPath

import pytest
from harness import write_tree

from linter import cache as cache_module
from linter.config import config_from_mapping
from linter.discover import discover
from linter.findings import Edit, Finding, Severity
from linter.layouts import Listing
from linter.migrations import Layout, TxMode
from linter.records import fields, is_record
from linter.run import discovery_options
from linter.source import ReadProblem, SourceFile, decode, display_path, read_source
from linter.units import UnitResult, plan_units
from rules import all_rules

TREE = {
    "db/postgres/0001_orders.up.sql": "CREATE TABLE orders (id bigint PRIMARY KEY, note text);\n",
    "db/postgres/0001_orders.down.sql": "DROP TABLE orders;\n",
    "db/postgres/0002_note.up.sql": "-- café\r\nCREATE INDEX orders_note_idx ON orders (note);\r\n",
    "db/postgres/0002_note.down.sql": "DROP INDEX orders_note_idx;\n",
    "prisma/schema.prisma": (
        'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n\n'
        "/// café\nmodel User {\n  id Int @id\n}\n"
    ),
    "prisma/migrations/20240101000000_init/migration.sql": 'CREATE TABLE "User" ("id" INTEGER NOT NULL);\n',
    "prisma/migrations/migration_lock.toml": 'provider = "postgresql"\n',
}


def units_of(root: Path) -> list:
    config = config_from_mapping({}, all_rules(), root)
    return plan_units(discover([Path(".")], discovery_options(config), cwd=root), with_app=True)


@pytest.fixture
def tree(tmp_path, monkeypatch):
    root = tmp_path / "repo"
    write_tree(root, TREE)
    monkeypatch.chdir(root)
    return root


# --- the unit key ---------------------------------------------------------------------------
def _set_unit(units):
    return next(unit for unit in units if unit.migration_set is not None and unit.migration_set.path == "db/postgres")


def _prisma_unit(units):
    return next(unit for unit in units if unit.prisma)


def _edit_text(unit, change):
    part = unit.migration_set.migrations[-1].up
    part.file.text = change(part.file.text)


EDITS = {
    "text: one character more": lambda unit: _edit_text(unit, lambda text: text + " "),
    "text: CRLF to LF": lambda unit: _edit_text(unit, lambda text: text.replace("\r\n", "\n")),
    "text: a non-ASCII character": lambda unit: _edit_text(unit, lambda text: text.replace("é", "è")),
    "text: a composed character decomposed": lambda unit: _edit_text(unit, lambda text: text.replace("é", "e\u0301")),
    "text: quoted name case": lambda unit: _edit_text(
        unit, lambda text: text.replace("orders_note_idx", "Orders_note_idx")
    ),
    "file: BOM": lambda unit: setattr(unit.migration_set.migrations[0].up.file, "bom", True),
    "file: path": lambda unit: setattr(
        unit.migration_set.migrations[0].up.file, "path", "db/postgres/0001_Orders.up.sql"
    ),
    "migration: path": lambda unit: setattr(unit.migration_set.migrations[0], "path", "db/pg/0001_orders.up.sql"),
    "migration: tx mode": lambda unit: setattr(unit.migration_set.migrations[0], "tx", TxMode.NONE),
    "migration: version": lambda unit: setattr(unit.migration_set.migrations[0], "version", "01"),
    "migration: no down": lambda unit: setattr(unit.migration_set.migrations[0], "down", None),
    "migration: in the change": lambda unit: setattr(unit.migration_set.migrations[0], "in_change", True),
    "migrations: order": lambda unit: unit.migration_set.migrations.reverse(),
    "set: layout": lambda unit: setattr(unit.migration_set, "layout", Layout.PLAIN),
    "set: dialect": lambda unit: setattr(unit.migration_set, "dialect", "mysql"),
    "set: dialect source": lambda unit: setattr(unit.migration_set, "dialect_source", "configuration"),
    "set: root": lambda unit: setattr(unit.migration_set, "root", unit.migration_set.root / "x"),
    "set: a misnamed file": lambda unit: unit.migration_set.misnamed.append(("db/postgres/x.sql", "why")),
    "set: an unreadable file": lambda unit: unit.migration_set.problems.append(
        ReadProblem("db/postgres/x.sql", "binary")
    ),
}


@pytest.mark.parametrize("edit", list(EDITS), ids=list(EDITS))
def test_every_change_to_a_set_changes_its_key(tree, edit):
    settings = b"settings"
    before = cache_module.unit_key(settings, _set_unit(units_of(tree)), None)
    assert cache_module.unit_key(settings, _set_unit(units_of(tree)), None) == before  # rediscovered: a hit
    unit = _set_unit(units_of(tree))
    EDITS[edit](unit)
    assert cache_module.unit_key(settings, unit, None) != before


def test_a_prisma_schema_and_its_provider_are_in_the_key(tree):
    settings = b"settings"
    before = cache_module.unit_key(settings, _prisma_unit(units_of(tree)), None)
    unit = _prisma_unit(units_of(tree))
    unit.prisma[0].files[0].text = unit.prisma[0].files[0].text.replace("café", "cafè")
    assert cache_module.unit_key(settings, unit, None) != before
    unit = _prisma_unit(units_of(tree))
    unit.prisma[0].provider = "mysql"
    assert cache_module.unit_key(settings, unit, None) != before


def test_settings_and_reported_paths_are_in_the_key(tree):
    unit = _set_unit(units_of(tree))
    stamp = b"stamp"
    parts = ([("S001", "rules.s001", "S001")], ("S001",), {}, {"S001": {"n": 1}}, {"pg_version": 16})
    settings = cache_module.settings_key(stamp, parts)
    assert cache_module.settings_key(stamp, copy.deepcopy(parts)) == settings
    assert cache_module.settings_key(b"other code", parts) != settings
    for changed in (
        ([("S001", "rules.s001", "S001")], ("S001",), {}, {"S001": {"n": 2}}, {"pg_version": 16}),
        ([("S001", "rules.s001", "S001")], ("S001",), {}, {"S001": {"n": "1"}}, {"pg_version": 16}),
        ([("S001", "rules.s001", "S001")], (), {}, {"S001": {"n": 1}}, {"pg_version": 16}),
        ([("S001", "rules.s001", "S001")], ("S001",), {}, {"S001": {"n": 1}}, {"pg_version": 15}),
    ):
        assert cache_module.settings_key(stamp, changed) != settings
    key = cache_module.unit_key(settings, unit, None)
    assert cache_module.unit_key(b"other settings", unit, None) != key
    reported = cache_module.unit_key(settings, unit, {"db/postgres/0002_note.up.sql"})
    assert reported != key
    assert cache_module.unit_key(settings, unit, {"db/postgres/0001_orders.up.sql"}) != reported
    assert cache_module.unit_key(settings, unit, set()) not in (key, reported)
    # Paths outside the unit do not matter to it: another unit's file given alone is no change here.
    assert cache_module.unit_key(settings, unit, {"elsewhere.sql"}) == cache_module.unit_key(settings, unit, set())


def test_the_key_is_the_same_in_another_process(tree):
    """Sets are written in a fixed order: string hashing differs from process to process."""
    program = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]);"
        "from test_warm_path_speed import units_of; from linter import cache;"
        "print(' '.join(cache.unit_key(b's', u, {'db/postgres/0002_note.up.sql'}) for u in units_of(Path('.'))))"
    )
    tests = str(Path(__file__).parent)
    keys = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", program, tests], env=env, capture_output=True, text=True, check=True
        )
        keys.add(done.stdout)
    assert len(keys) == 1


class _Colour(enum.Enum):
    RED = "red"
    ONE = 1


class _Slots:
    __slots__ = ("a", "b")
    __module__ = "linter.test_slots"  # only linter's own slotted classes are read field by field


def _slots(**values) -> _Slots:
    made = _Slots()
    for name, value in values.items():
        setattr(made, name, value)
    return made


def _reference(value, seen=None):
    """The plain definition the written structure must tell apart exactly as: types as the key
    groups them (a list is a tuple, a path its string, bytes their hex), sets and dicts without
    order, records by their type and fields (an unset slot as None), an object met again as a
    reference to its first visit."""
    seen = {} if seen is None else seen
    if isinstance(value, enum.Enum):
        return ("enum", value.value)
    if isinstance(value, str):
        return ("str", str(value))
    if value is None or isinstance(value, (bool, int, float)):
        return ("scalar", type(value) if type(value) in (bool, int, float, type(None)) else None, repr(value))
    if isinstance(value, PurePosixPath):
        return ("str", os.fsdecode(value))
    if isinstance(value, bytes):
        return ("str", value.hex())
    if id(value) in seen:
        return ("ref", seen[id(value)])
    seen[id(value)] = len(seen)
    if isinstance(value, (list, tuple)):
        return ("seq", tuple(_reference(item, seen) for item in value))
    if isinstance(value, (set, frozenset)):
        return ("set", tuple(_reference(item, seen) for item in sorted(value, key=repr)))
    if isinstance(value, dict):
        pairs = sorted(value.items(), key=lambda pair: repr(pair[0]))
        return ("dict", tuple((_reference(k, seen), _reference(v, seen)) for k, v in pairs))
    if isinstance(value, SourceFile):
        return ("SourceFile", _reference(value.path, seen), _reference(value.text, seen), _reference(value.bom, seen))
    if isinstance(value, _Slots):
        return ("_Slots", tuple(_reference(getattr(value, name, None), seen) for name in _Slots.__slots__))
    if is_record(value):
        names = [spec.name for spec in fields(value)]
        return (type(value).__qualname__, tuple(_reference(getattr(value, name), seen) for name in names))
    return ("other", repr(value))


def _values() -> list:
    shared = ["x"]
    file = SourceFile("a.sql", "SELECT 1;\r\n", bom=False)
    return [
        None,
        "None",
        "",
        " ",
        "s0:",
        "s1:a",
        ";",
        "1",
        "1;",
        1,
        -1,
        1.0,
        1.5,
        True,
        False,
        0,
        10**30,
        "é",
        "e\u0301",
        "\udc80",
        "\ufffd",
        "😀",
        "a\x00b",
        "\r\n",
        "\n",
        [],
        (),
        [""],
        [None],
        ["a", "b"],
        ["ab"],
        ["a", ["b"]],
        [["a"], "b"],
        [1, 2],
        [12],
        ["1", "2"],
        [shared, shared],
        [shared, ["x"]],
        [[], []],
        [[[]]],
        set(),
        {"a", "b"},
        {"ab"},
        frozenset({1, 2}),
        {1, "1"},
        {},
        {"a": 1},
        {"a": "1"},
        {"a": None},
        {1: "a"},
        {"1": "a"},
        {"a": 1, "b": 2},
        {"ab": 12},
        _Colour.RED,
        _Colour.ONE,
        "red",
        Layout.PLAIN,
        "plain",
        TxMode.NONE,
        Severity.ERROR,
        3,
        PurePosixPath("a/b"),
        "a/b",
        b"\x01",
        "01",
        b"",
        file,
        SourceFile("a.sql", "SELECT 1;\n"),
        SourceFile("a.sql", "SELECT 1;\r\n", bom=True),
        SourceFile("b.sql", "SELECT 1;\r\n"),
        [file, file],
        [file, SourceFile("a.sql", "SELECT 1;\r\n")],
        Edit("a", 1, 2, "x"),
        Edit("a", 12, 2, "x"),
        Edit("a", 1, 22, ""),
        (Edit("a", 1, 2, "x"),),
        _slots(a=1, b=2),
        _slots(a=1),
        _slots(a=1, b=None),
        _slots(b=1),
        _slots(a="1", b=2),
        _slots(a=[1], b=2),
        Path("/abs/é"),
        "/abs/é",
        PurePosixPath("/abs/é"),
    ]


def test_the_written_structure_tells_values_apart_as_the_plain_definition_does():
    values = _values()
    written = [cache_module._structure(value) for value in values]
    reference = [_reference(value) for value in values]
    for i in range(len(values)):
        for j in range(len(values)):
            assert (written[i] == written[j]) == (reference[i] == reference[j]), (values[i], values[j])
    # Equal sets and dicts built in different orders write alike.
    assert cache_module._structure({"b", "a", "c"}) == cache_module._structure({"c", "a", "b"})
    assert cache_module._structure({"b": 1, "a": 2}) == cache_module._structure({"a": 2, "b": 1})


def test_pairs_of_values_in_a_record_or_a_list_never_run_together():
    """Neighbours in a container or a record cannot trade characters: every piece ends itself,
    even strings made of what the pieces themselves are written as."""
    small = [None, 1, 2, 3, 12, 23, True, 2.5, "", "a", "b", "ab", _Colour.RED, [], ["a"], _slots(a=1, b=2)]
    written = [cache_module._structure(value).decode() for value in small]
    texts = ["a", "b", "1", ";", ":", ")", "@0;"]
    pieces = small + written + [t + w for t in texts for w in written] + [w + t for t in texts for w in written]
    seen: dict[bytes, tuple] = {}
    for first in pieces:
        for second in pieces:
            for value in ([first, second], _slots(a=first, b=second)):
                key = (type(value).__name__, _reference(first), _reference(second))
                assert seen.setdefault(cache_module._structure(value), key) == key


# --- reading files --------------------------------------------------------------------------
def _buffered_read(path: Path, shown: str, max_bytes: int) -> SourceFile | ReadProblem:
    """read_source as it was: stat, then a buffered file object's read."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return ReadProblem(
                shown, f"file is {size:,} bytes, over the {max_bytes:,}-byte limit (option max-file-size)"
            )
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1) if max_bytes < sys.maxsize else handle.read()
    except IsADirectoryError:
        return ReadProblem(shown, "is a directory, not a file")
    except OSError as exc:
        return ReadProblem(shown, f"cannot read file: {exc.strerror or exc}")
    if len(data) > max_bytes:
        return ReadProblem(shown, f"file is over the {max_bytes:,}-byte limit (option max-file-size)")
    result = decode(data, shown)
    if isinstance(result, SourceFile):
        result.where = str(path)
    return result


FILES: dict[str, bytes] = {
    "empty.sql": b"",
    "plain.sql": b"SELECT 1;\n",
    "crlf.sql": b"SELECT 1;\r\nSELECT 2;\r",
    "bom.sql": b"\xef\xbb\xbfSELECT '\xc3\xa9';\n",
    "utf16.sql": b"\xff\xfeS\x00",
    "binary.sql": b"SELECT\x00",
    "latin1.sql": b"SELECT '\xe9';",
    "non-ascii é.sql": "SELECT '😀';".encode(),
    "limit.sql": b"x" * 64,
    "over.sql": b"x" * 65,
    "big.sql": b"y" * 200_000,
    "bigger.sql": b"z" * (3 * 1024 * 1024 + 5),  # more than one read's worth
}


# The default limit, a small one, and one beyond what a single read may ask for.
@pytest.mark.parametrize("max_bytes", [64, 10 * 1024 * 1024, 10**30])
def test_read_source_reads_what_a_buffered_file_reads(tmp_path, max_bytes):
    write_tree(tmp_path, FILES)
    (tmp_path / "folder.sql").mkdir()
    (tmp_path / "link.sql").symlink_to(tmp_path / "crlf.sql")
    (tmp_path / "broken.sql").symlink_to(tmp_path / "missing-target.sql")
    names = [*FILES, "folder.sql", "link.sql", "broken.sql", "missing.sql", "plain.sql/below.sql"]
    for name in names:
        path = tmp_path / name
        expected = _buffered_read(path, name, max_bytes)
        for given in (path, str(path)):
            got = read_source(given, name, max_bytes=max_bytes)
            assert type(got) is type(expected), name
            if isinstance(expected, ReadProblem):
                assert got == expected
            else:
                assert (got.path, got.text, got.bom, got.where) == (
                    expected.path,
                    expected.text,
                    expected.bom,
                    expected.where,
                )
                assert got.abspath == path


def test_read_source_shows_the_path_as_reports_do(tmp_path, monkeypatch):
    write_tree(tmp_path, {"db/a.sql": "SELECT 1;"})
    monkeypatch.chdir(tmp_path)
    assert read_source(Path("db/a.sql")).path == display_path(Path("db/a.sql")) == "db/a.sql"
    assert read_source("db/a.sql").path == "db/a.sql"
    assert read_source(tmp_path / "db" / "a.sql").abspath == tmp_path / "db" / "a.sql"


def test_read_source_reads_a_pipe_to_its_end(tmp_path):
    """A pipe hands its bytes over in pieces: all of them are read, as a buffered read does."""
    fifo = tmp_path / "pipe.sql"
    os.mkfifo(fifo)
    pieces = [b"SELECT 1;\n", "SELECT '\u00e9".encode()[:-1], "SELECT '\u00e9".encode()[-1:] + b"';\n", b"-- end\n"]

    def write() -> None:
        with open(fifo, "wb", buffering=0) as handle:
            for piece in pieces:
                handle.write(piece)
                time.sleep(0.02)

    writer = threading.Thread(target=write)
    writer.start()
    got = read_source(fifo, "pipe.sql")
    writer.join()
    assert isinstance(got, SourceFile)
    assert got.text == b"".join(pieces).decode()


# --- paths of entries -----------------------------------------------------------------------
@pytest.mark.parametrize("where", ["/", "//", "/a", "/a/b c", "/caf\u00e9/\u00fc", "/tmp/x.y"])
@pytest.mark.parametrize("name", ["m.sql", "a b", "\u00e9", "..", ".hidden", "migration_lock.toml"])
def test_a_child_path_is_what_os_path_join_makes(where, name):
    listing = Listing(where, ".", (), ())
    assert listing.child(name) == (os.path.join(where, name), name)


# --- cache entries --------------------------------------------------------------------------
def test_a_decoded_entry_holds_the_findings_that_were_stored():
    edits = (Edit("a.sql", 3, 5, "x"), Edit("a.sql", 7, 7, "é\r\n"))
    findings = [
        Finding("S001", "one", Severity.ERROR, "m", "a.sql", 1, 2, 3, 4),
        Finding("S002", "two", Severity.WARNING, "m\u00e9", "a.sql", 2, 1, 2, 9, "lock", "fix", edits, (1, 2), (0, 9)),
        Finding("S003", "three", Severity.INFO, "m", "b.sql", 1, 1, 1, 1, edits=edits[:1]),
    ]
    sources = {"a.sql": None, "b.sql": SourceFile("b.sql", "SELECT 1;", where="/x/b.sql", bom=True)}
    stored = UnitResult(findings, sources, {"a.sql": "postgresql"})
    restored = cache_module.from_record(marshal.loads(marshal.dumps(cache_module.to_record(stored))))
    assert len(restored.findings) == len(findings)
    for got, expected in zip(restored.findings, findings):
        for name in [spec.name for spec in fields(Finding)]:
            assert getattr(got, name) == getattr(expected, name), name
            assert type(getattr(got, name)) is type(getattr(expected, name)), name
        assert all(type(edit) is Edit for edit in got.edits)
    assert restored.sources["a.sql"] is None
    b = restored.sources["b.sql"]
    assert (b.path, b.text, b.bom, b.where, b.abspath) == ("b.sql", "SELECT 1;", True, "/x/b.sql", Path("/x/b.sql"))
    assert restored.dialects == {"a.sql": "postgresql"}


def test_an_entry_with_an_unknown_severity_is_a_miss(tmp_path):
    """Decoding looks severities up rather than calling the enum: a value it does not know is
    still damage, and the entry goes."""
    store = cache_module.Cache(tmp_path)
    store.put("ab" * 20, UnitResult([Finding("S001", "one", Severity.ERROR, "m", "a.sql", 1, 1, 1, 1)], {}, {}))
    assert store.get("ab" * 20) is not None
    names, [finding], sources, dialects = cache_module.to_record(store.get("ab" * 20))
    damaged = (names, (finding[:2] + (7,) + finding[3:],), sources, dialects)
    store._path("ab" * 20).write_bytes(cache_module._pack(damaged))
    assert store.get("ab" * 20) is None
    assert not store._path("ab" * 20).exists()
