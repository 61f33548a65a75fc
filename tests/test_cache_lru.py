"""Cache eviction by last use: a hit counts as use, so a bounded cache drops the entries no run
has read for longest, not the ones written longest ago."""

from __future__ import annotations

import os

from harness import write_tree
from test_cache import TREE, cache_root, entries, run_json

from linter import cache as cache_module
from linter.units import UnitResult

LONG_AGO = 10**18  # nanoseconds since the epoch: 2001


def result() -> UnitResult:
    return UnitResult([], {"a.sql": None}, {"a.sql": "postgresql"})


def filled(tmp_path, count: int) -> tuple[cache_module.Cache, list[str]]:
    """A cache of `count` entries written one second apart, long ago, oldest first."""
    store = cache_module.Cache(tmp_path, max_bytes=10**9)
    keys = [f"{n:02d}" + "ab" * 19 for n in range(count)]
    for age, key in enumerate(keys):
        store.put(key, result())
        written = LONG_AGO + age * 10**9
        os.utime(store._path(key), ns=(written, written))
    return store, keys


def test_a_hit_survives_eviction_that_takes_entries_written_after_it(tmp_path):
    store, keys = filled(tmp_path, 5)
    assert store.get(keys[0]) is not None  # the oldest write, read just now
    store.max_bytes = 2 * store._path(keys[0]).stat().st_size
    store.written = 1  # as after a run that wrote something
    store.evict()
    assert [store._path(key).exists() for key in keys] == [True, False, False, False, True]


def test_a_hit_marks_its_entry_used_now(tmp_path):
    store, keys = filled(tmp_path, 2)
    assert store.get(keys[1]) is not None
    assert store._path(keys[1]).stat().st_mtime_ns > LONG_AGO + 10**12
    assert store._path(keys[0]).stat().st_mtime_ns == LONG_AGO  # a miss elsewhere touches nothing


def test_a_miss_touches_nothing_and_creates_nothing(tmp_path):
    store, keys = filled(tmp_path, 1)
    before = sorted(path.name for path in store.root.rglob("*"))
    assert store.get("ff" + "00" * 19) is None
    assert sorted(path.name for path in store.root.rglob("*")) == before


def test_a_hit_stands_when_its_entry_cannot_be_touched(tmp_path, monkeypatch):
    """Another run evicting the entry between the read and the touch, or a read-only cache."""
    store, keys = filled(tmp_path, 1)

    def refuse(*args, **kwargs):
        raise PermissionError("read-only")

    monkeypatch.setattr(os, "utime", refuse)
    assert store.get(keys[0]) is not None
    assert store.hits == 1


def test_a_hit_on_an_entry_evicted_meanwhile_is_still_a_hit(tmp_path, monkeypatch):
    store, keys = filled(tmp_path, 1)
    real_decode = cache_module._decode

    def evicted_after_reading(data):
        os.unlink(store._path(keys[0]))  # what a concurrent run's eviction does
        return real_decode(data)

    monkeypatch.setattr(cache_module, "_decode", evicted_after_reading)
    assert store.get(keys[0]) is not None
    assert not store._path(keys[0]).exists()


def test_a_warm_run_keeps_the_entries_it_reads(tmp_path, monkeypatch, capsys):
    """End to end: the entries of a tree checked again outlive those of a tree checked once,
    though they were written first."""
    for name in ("used", "once"):
        write_tree(tmp_path / name, TREE)
    monkeypatch.chdir(tmp_path / "used")
    cold = run_json(capsys)
    used = entries(cache_root())
    for path in used:
        os.utime(path, ns=(LONG_AGO, LONG_AGO))
    monkeypatch.chdir(tmp_path / "once")
    run_json(capsys)
    once = [path for path in entries(cache_root()) if path not in used]
    assert len(once) == len(used) == 4
    for path in once:
        os.utime(path, ns=(LONG_AGO + 10**9, LONG_AGO + 10**9))
    monkeypatch.chdir(tmp_path / "used")
    assert run_json(capsys) == cold  # all hits: written long ago, used now

    store = cache_module.Cache(cache_root(), max_bytes=sum(path.stat().st_size for path in used))
    store.written = 1
    store.evict()
    assert entries(cache_root()) == used


DAY = 24 * 3600 * 10**9


def runs_looking(tmp_path, writes: list[int], *, start: int = LONG_AGO, step: int = 10**9) -> list[bool]:
    """For runs that wrote these many bytes one after another, `step` apart, whether each looked
    at every entry (`Cache.evict`)."""
    looked = []
    for number, written in enumerate(writes):
        store = cache_module.Cache(tmp_path, max_bytes=1600)  # due once 100 bytes are pending
        calls = []
        store.evict = lambda: calls.append(True)  # type: ignore[method-assign]
        store.written = written
        store.evict_when_due(now_ns=start + number * step)
        looked.append(bool(calls))
    return looked


def test_eviction_looks_at_the_entries_once_enough_was_written(tmp_path):
    # No count yet: the first run looks. Then 40 + 40 + 40 bytes pass 100: the third run looks.
    looked = runs_looking(tmp_path, [10, 40, 40, 40, 40, 0, 40, 90])
    assert looked == [True, False, False, True, False, False, False, True]


def test_eviction_looks_at_least_once_a_day(tmp_path):
    assert runs_looking(tmp_path, [10, 1, 1, 1], step=DAY // 2) == [True, False, True, False]


def test_an_unreadable_count_or_a_clock_gone_back_means_a_look(tmp_path):
    assert runs_looking(tmp_path, [10, 1]) == [True, False]
    count = tmp_path / f"results-{cache_module.FORMAT}.pending-eviction"
    count.write_bytes(b"v1 12\n")
    assert runs_looking(tmp_path, [1, 1]) == [True, False]
    assert runs_looking(tmp_path, [1], start=LONG_AGO - 10**9) == [True]


def test_a_run_that_wrote_nothing_neither_looks_nor_counts(tmp_path):
    assert runs_looking(tmp_path, [0, 0]) == [False, False]
    assert list(tmp_path.iterdir()) == []


def test_the_count_ends_in_a_real_eviction(tmp_path):
    store, keys = filled(tmp_path, 5)
    store.max_bytes = 2 * store._path(keys[0]).stat().st_size
    store.written = store.max_bytes  # more than 1/16 of the bound
    store.evict_when_due()
    assert [store._path(key).exists() for key in keys] == [False, False, False, True, True]
