"""Where the time goes: dbvet's phases over a tree (default: the whole ../shared/corpus).

    python benchmarks/phases.py [PATH] [--profile]

Prints wall time for discovery, parsing (per dialect), replay + rules, suppression and
reporting, measured by wrapping the engine's entry points in this script (the product code
carries no timing). --profile adds cProfile's top 25 functions by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from rules import all_rules  # noqa: E402

import linter.dialects as dialects  # noqa: E402
import linter.run as run  # noqa: E402
from linter.config import load_config  # noqa: E402
from linter.report import render  # noqa: E402

spent: dict[str, float] = defaultdict(float)


def timed(label, function):
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[label if isinstance(label, str) else label(*args)] += time.perf_counter() - start

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path", nargs="?", default=str(REPO.parent / "shared" / "corpus"))
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()

    run.discover = timed("discover", run.discover)
    import linter.engine as engine

    engine.parse_part = timed(lambda part, dialect: f"parse {dialect}", dialects.parse_part)
    import linter.suppress as suppress  # run.py imports it only for files with a `dbvet:` comment

    suppress.apply_suppressions = timed("suppression", suppress.apply_suppressions)

    gc.set_threshold(10_000, 10, 10)  # as `dbvet` itself does (linter/cli.py main)
    rules = all_rules()
    config = load_config(rules, Path(args.path))  # as `dbvet check` run in PATH finds it
    profiler = cProfile.Profile() if args.profile else None
    start = time.perf_counter()
    if profiler:
        profiler.enable()
    # One process, no cache: the phases of a cold run (workers would hide their parsing from these timers).
    result = run.check([Path(args.path)], config, rules, Path(args.path), jobs=1, cache=False)
    rendered = time.perf_counter()
    render("json", result, rules=rules)
    end = time.perf_counter()
    if profiler:
        profiler.disable()
    total = rendered - start
    parse = sum(v for k, v in spent.items() if k.startswith("parse"))
    rows = [(k, v) for k, v in sorted(spent.items())]
    rows.append(("replay + rules + Prisma (rest of check)", total - sum(spent.values())))
    rows.append(("render json", end - rendered))
    print(f"{result.files} files, {len(result.findings)} findings, check {total:.2f} s (parsing {parse:.2f} s)")
    for label, seconds in rows:
        print(f"  {label:<42} {seconds:7.3f} s")
    if profiler:
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
