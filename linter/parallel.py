"""Linting a run's units: from the cache when they are unchanged, else here or in worker processes.

Workers are forked (Linux): they inherit the units and the rules already in memory, receive only
the index of a unit and send back its `UnitResult`. Forking costs tens of milliseconds, so a run
goes parallel only when the units left to lint hold enough text (`PARALLEL_MIN_CHARS`); a
pre-commit run on one file never forks. Results are put back in unit order, so the findings are
the same, in the same order, whatever the number of jobs.

Only this process answers Ctrl-C: workers are forked with SIGINT blocked, and a run that ends
early (Ctrl-C, an error, a worker killed) terminates them rather than waiting for their units.
"""

from __future__ import annotations

import os
from contextlib import closing, contextmanager
from typing import Any, Callable, Iterator, Sequence

from linter.errors import UserError
from linter.findings import Finding
from linter.source import SourceFile
from linter.units import Setup, Unit, UnitResult, lint_unit, resolve_sources

# About half a second of linting on one core: below it, starting workers costs more than it saves.
PARALLEL_MIN_CHARS = 400_000


class Outcome:
    """Every unit's results, merged in unit order."""

    __slots__ = ("findings", "sources", "dialects")

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.sources: dict[str, SourceFile] = {}
        self.dialects: dict[str, str] = {}

    def add(self, result: UnitResult, unit: Unit) -> None:
        self.findings.extend(result.findings)
        for path, file in resolve_sources(result, unit).items():
            self.sources.setdefault(path, file)
        self.dialects.update(result.dialects)


def lint_units(
    setup: Setup,
    units: Sequence[Unit],
    *,
    jobs: int | None = None,
    cache: bool = True,
    on_progress: Callable[[int, int], None] | None = None,
) -> Outcome:
    """Lint every unit, reading and writing the result cache unless `cache` is false.

    on_progress(done, total) is called as units finish, in characters of text.
    """
    store = None
    keys: list[str | None] = [None] * len(units)
    results: list[UnitResult | None] = [None] * len(units)
    if cache and _cacheable(setup):
        from linter import cache as cache_module

        store = cache_module.open_cache()
        if store is not None:
            settings = cache_module.settings_key(cache_module.code_stamp(), _setup_parts(setup))
            for index, unit in enumerate(units):
                keys[index] = key = cache_module.unit_key(settings, unit, setup.report_paths)
                results[index] = store.get(key)
    missing = [index for index, result in enumerate(results) if result is None]
    sizes = {index: units[index].size() + 1 for index in missing}
    total = sum(sizes.values())
    done = 0
    # closing(): an interrupted loop stops the workers at once, not whenever the generator is collected.
    with closing(_lint(setup, units, missing, sizes, jobs)) as linted:
        for index, result in linted:
            results[index] = result
            if store is not None:
                store.put(keys[index], result)  # type: ignore[arg-type]
            done += sizes[index]
            if on_progress is not None:
                on_progress(done, total)
    if store is not None:
        store.evict_when_due()
    outcome = Outcome()
    for unit, result in zip(units, results):
        assert result is not None
        outcome.add(result, unit)
    return outcome


def _origin(rule: Any) -> tuple[str, str]:
    from rules import LazyRule

    return (rule.module, rule.qualname) if isinstance(rule, LazyRule) else (rule.__module__, rule.__qualname__)


def _setup_parts(setup: Setup) -> tuple:
    """What in the run's setup changes results; the rules' code is in the code stamp."""
    classes = [(rule_id, *_origin(rule)) for rule_id, rule in sorted(setup.rules.items())]
    return (classes, setup.enabled, setup.severity, setup.options, setup.settings)


def _cacheable(setup: Setup) -> bool:
    """Rules from outside dbvet's packages (tests, experiments) have code the stamp does not cover."""
    return all(_origin(rule)[0].split(".")[0] in ("rules", "linter") for rule in setup.rules.values())


def worker_count(jobs: int | None, work: int, units: int) -> int:
    """How many processes to use: `jobs` (default one per core), but one for small runs."""
    wanted = jobs if jobs is not None else (os.cpu_count() or 1)
    if wanted <= 1 or units < 2 or work < PARALLEL_MIN_CHARS or not _can_fork():
        return 1
    return min(wanted, units)


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _lint(setup: Setup, units: Sequence[Unit], missing: list[int], sizes: dict[int, int], jobs: int | None):
    """(index, result) for each missing unit, as they finish."""
    workers = worker_count(jobs, sum(sizes.values()), len(missing))
    if workers == 1:
        for index in missing:
            yield index, lint_unit(setup, units[index])
        return
    yield from _in_workers(setup, units, sorted(missing, key=lambda i: -sizes[i]), workers)


# Set in the parent just before the workers fork, so they inherit it instead of receiving it.
_WORK: tuple[Setup, Sequence[Unit]] | None = None


def _lint_index(index: int) -> tuple[int, UnitResult]:
    assert _WORK is not None, "workers are forked after _WORK is set"
    setup, units = _WORK
    return index, lint_unit(setup, units[index])


def _in_workers(setup: Setup, units: Sequence[Unit], order: list[int], workers: int):
    """Lint in forked processes, biggest units first so no worker is left with a long one at the end."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    global _WORK
    _WORK = (setup, units)
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
    pending: set = set()
    try:
        with _holding_interrupts():  # the workers fork on the first submit and inherit the block
            pending = {pool.submit(_lint_index, index) for index in order}
        while pending:
            finished, pending = wait(pending, timeout=_WATCH, return_when=FIRST_COMPLETED)
            if not finished and _a_worker_died(pool):
                # A worker killed while it sent a result leaves half a message in the result
                # pipe; the pool's own thread then waits for the rest and never says it broke.
                raise BrokenProcessPool
            for future in finished:
                yield future.result()
    except BrokenProcessPool:
        raise UserError(
            "a worker process ended unexpectedly (killed, or out of memory?); rerun with --jobs 1"
        ) from None
    finally:
        _WORK = None
        with _holding_interrupts():  # a second Ctrl-C must not leave workers behind
            if pending:
                _terminate_workers(pool)
                _close_result_pipe(pool)
            pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def _holding_interrupts() -> Iterator[None]:
    """Block SIGINT in this thread for the block; a Ctrl-C meanwhile is raised when it ends."""
    import signal

    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


# How often the wait for results looks whether a worker died (seconds).
_WATCH = 1.0


def _a_worker_died(pool: Any) -> bool:
    """Whether a worker process has ended: they live until the pool shuts down."""
    return any(process.exitcode is not None for process in list((pool._processes or {}).values()))


def _close_result_pipe(pool: Any) -> None:
    """Close this process's end for writing of the pipe the workers send results through, once
    they are told to stop: when they are gone the pool's thread, were it waiting for the rest
    of a result a worker did not finish sending, reads the end of the pipe instead of waiting
    forever, and the pool shuts down (as CPython closes the work pipe for a broken pool)."""
    queue = getattr(pool, "_result_queue", None)
    writer = getattr(queue, "_writer", None)
    if writer is not None:
        writer.close()


def _terminate_workers(pool: Any) -> None:
    """Stop the workers now: `shutdown` alone waits for the units they are linting."""
    terminate = getattr(pool, "terminate_workers", None)  # Python 3.14 and later
    if terminate is not None:
        terminate()
        return
    for process in list((pool._processes or {}).values()):
        process.terminate()
