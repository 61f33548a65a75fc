"""dbvet against squawk on the same files in the same run: wall time, peak memory, ratios.

    python benchmarks/bench.py [--synthetic-files 2000] [--rounds 5] [--corpus PATH] [--write-readme]

Cases, each a fresh process: squawk over every .sql file (`xargs -0 squawk --reporter gcc`, as a
user runs it); `dbvet check --format json` cold (`--no-cache`) with `--jobs 1` and with the
default jobs; warm (the cache primed by a run before the timed ones); the pre-commit cases,
one file of the langfuse set (its newest migration; the whole set is replayed to judge it) and
the newest up/down pair of openmeter's golang-migrate set, cold and warm; one standalone
file of a small project, cold, beside `python -c pass`, the floor no Python program starts under;
and the hook as shipped (`--base HEAD`, cache on) on a new migration staged in a git repository
and edited before every run, in that small project and in a copy of langfuse's Prisma folder.
The standalone and hook cases run again in a clean virtual environment, as pre-commit runs a hook.
The checkout's modules are compiled to bytecode first, as an install does. Corpora: a synthetic
one made by gen_synthetic.py (1× and 4× the files, for the scale check) and the real corpus in
../shared/corpus when present.

Rounds alternate the cases (each round runs every case once, starting one case later than the
round before), so a load that comes and goes spreads over all of them; the table shows the
median and the peak resident memory (from wait4, per child: for squawk it covers xargs and the
squawk processes; Linux counts it from the fork, so a small process shows the bench's own size). Timings from a loaded machine mean little: compare within one run, and
record figures from a quiet machine. The dbvet runs use a private cache directory
(XDG_CACHE_HOME), so they neither read nor disturb the user's cache.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
README = HERE / "README.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
PRECOMMIT_SET = "langfuse__langfuse"
PAIRS_SET = "openmeterio__openmeter"  # golang-migrate: an up and a down per migration


@dataclass
class Case:
    corpus: str  # label of the corpus, for grouping and ratios
    label: str
    argv: list[str]
    cwd: Path
    stdin: bytes | None = None
    env: dict[str, str] = field(default_factory=dict)
    before: Callable[[], None] | None = None  # run, untimed, before each run (an edit, say)
    ok_codes: tuple[int, ...] = (0, 1)  # 1: findings; anything else is a failed run, not a measurement
    times: list[float] = field(default_factory=list)
    peak_kib: int = 0
    exit_codes: set[int] = field(default_factory=set)


def run_once(case: Case) -> None:
    """Run the case's command once; record wall time, peak RSS and the exit code."""
    env = os.environ | case.env
    if case.before is not None:
        case.before()
    start = time.perf_counter()
    process = subprocess.Popen(
        case.argv,
        cwd=case.cwd,
        env=env,
        stdin=subprocess.PIPE if case.stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    if case.stdin is not None:
        process.stdin.write(case.stdin)
        process.stdin.close()
    stderr = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    code = process.returncode
    if code not in case.ok_codes:
        tail = stderr.decode(errors="replace")[-2000:]
        raise SystemExit(f"bench: {case.label} on {case.corpus} exited {code}:\n{tail}")
    case.times.append(elapsed)
    case.peak_kib = max(case.peak_kib, usage.ru_maxrss)  # kilobytes on Linux
    case.exit_codes.add(code)


def dbvet_env(cache_home: Path) -> dict[str, str]:
    """This checkout's dbvet, with a private cache directory (`DBVET_CACHE_DIR` too: set in the
    caller's environment, it would win over `XDG_CACHE_HOME`)."""
    return {"DBVET_CACHE_DIR": str(cache_home / "dbvet"), "XDG_CACHE_HOME": str(cache_home), "PYTHONPATH": str(REPO)}


def sql_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*.sql") if path.is_file())


def corpus_cases(name: str, root: Path, cache_home: Path, *, warm: bool = True) -> list[Case]:
    """squawk and the dbvet variants over one tree."""
    files = sql_files(root)
    listing = b"\0".join(str(path.relative_to(root)).encode() for path in files) + b"\0"
    dbvet = [sys.executable, "-m", "linter", "check", "--format", "json"]
    env = dbvet_env(cache_home)
    cases = [
        # xargs exits 123 when squawk (run in batches) reported something
        Case(name, "squawk", ["xargs", "-0", "squawk", "--reporter", "gcc"], root, stdin=listing, ok_codes=(0, 123)),
        Case(name, "dbvet cold, --jobs 1", [*dbvet, "--no-cache", "--jobs", "1", "."], root, env=env),
        Case(name, "dbvet cold, default jobs", [*dbvet, "--no-cache", "."], root, env=env),
    ]
    if warm:
        cases.append(Case(name, "dbvet warm (cache primed)", [*dbvet, "."], root, env=env))
    return cases


def precommit_cases(corpus: Path, cache_home: Path) -> list[Case]:
    """One file of a 434-migration Prisma set, as a pre-commit hook passes it."""
    migrations = sorted((corpus / PRECOMMIT_SET).rglob("migration.sql"))
    if not migrations:
        return []
    newest = str(migrations[-1].relative_to(corpus))
    dbvet = [sys.executable, "-m", "linter", "check", "--format", "json"]
    env = dbvet_env(cache_home)
    return [
        Case("pre-commit", "dbvet, one langfuse file, cold", [*dbvet, "--no-cache", newest], corpus, env=env),
        Case("pre-commit", "dbvet, one langfuse file, warm", [*dbvet, newest], corpus, env=env),
        Case("pre-commit", "squawk, the same file", ["squawk", "--reporter", "gcc", newest], corpus),
        *pair_cases(corpus, cache_home),
    ]


def pair_cases(corpus: Path, cache_home: Path) -> list[Case]:
    """The newest up/down pair of a 269-migration golang-migrate set, as a pre-commit hook
    passes a new migration: the set's history is replayed, the pair alone is judged."""
    ups = sorted((corpus / PAIRS_SET).rglob("*.up.sql"))
    if not ups:
        return []
    pair = [str(ups[-1].relative_to(corpus)), str(ups[-1].relative_to(corpus)).replace(".up.sql", ".down.sql")]
    dbvet = [sys.executable, "-m", "linter", "check", "--format", "json"]
    env = dbvet_env(cache_home)
    label = "pre-commit, pairs"
    return [
        Case(label, "dbvet, the newest openmeter pair, cold", [*dbvet, "--no-cache", *pair], corpus, env=env),
        Case(label, "dbvet, the newest openmeter pair, warm", [*dbvet, *pair], corpus, env=env),
        Case(label, "squawk, the same files", ["squawk", "--reporter", "gcc", *pair], corpus),
    ]


def hook_cases(work: Path, corpus: Path | None, cache_home: Path, clean: str) -> list[Case]:
    """The hook as `.pre-commit-hooks.yaml` ships it, `dbvet check --base HEAD FILE`, on a new
    migration staged in a git repository, with the cache on and the file edited before every
    run: what a developer waits for at `git commit`. Configuration and the rule index come from
    the cache; the migration's set does not (its text is new each time). Two repositories: the
    small standalone project, and a copy of langfuse's Prisma folder (434 migrations) whose
    newest migration is the new one. Each with this interpreter and in a clean virtual
    environment, which is how pre-commit runs a hook (`clean_python`)."""
    projects = [("standalone project", _standalone_repo(work / "hook-standalone"))]
    if corpus is not None and (corpus / PRECOMMIT_SET).is_dir():
        projects.append(("langfuse", _langfuse_repo(work / "hook-langfuse", corpus / PRECOMMIT_SET)))
    cases = []
    for name, (root, newest) in projects:
        dbvet = ["-m", "linter", "check", "--format", "json", "--base", "HEAD", newest]
        label, env, edit = f"dbvet --base HEAD, {name}, after an edit", dbvet_env(cache_home), _Edits(root / newest)
        group = f"pre-commit hook, {name}"
        cases += [
            Case(group, label, [sys.executable, *dbvet], root, env=env, before=edit),
            Case(group, f"{label}, {CLEAN}", [clean, *dbvet], root, env=env, before=edit),
            Case(group, "squawk, the same file", ["squawk", "--reporter", "gcc", newest], root),
        ]
    return cases


class _Edits:
    """Appends a new comment to a file before each run, so its content is never in the cache."""

    def __init__(self, path: Path) -> None:
        self.path, self.text, self.count = path, path.read_text(encoding="utf-8"), 0

    def __call__(self) -> None:
        self.count += 1
        self.path.write_text(f"{self.text}\n-- edit {self.count}\n", encoding="utf-8")


def _git(root: Path, *args: str) -> None:
    identity = ["-c", "user.name=bench", "-c", "user.email=bench@example.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", *identity, *args], cwd=root, check=True, capture_output=True)


def _new_migration_staged(root: Path, newest: str) -> tuple[Path, str]:
    """Commit everything but `newest`, then stage it, as `git add` before a commit does."""
    _git(root, "init", "-q")
    _git(root, "add", "-A", "--", ".", f":(exclude){newest}")
    _git(root, "commit", "-q", "-m", "history")
    _git(root, "add", "--", newest)
    return root, newest


def _standalone_repo(root: Path) -> tuple[Path, str]:
    newest = "migrations/0002_add_email.sql"
    first = "CREATE TABLE users (id bigint PRIMARY KEY);\n"
    _small_project(root, {"migrations/0001_create_users.sql": first, newest: ADD_EMAIL})
    return _new_migration_staged(root, newest)


ADD_EMAIL = "ALTER TABLE users ADD COLUMN email text;\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n"


def _small_project(root: Path, migrations: dict[str, str]) -> None:
    """A project whose pyproject.toml sets the dialect, with these migration files."""
    (root / "migrations").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[tool.dbvet]\ndialect = "postgresql"\n', encoding="utf-8")
    for path, text in migrations.items():
        (root / path).write_text(text, encoding="utf-8")


def _langfuse_repo(root: Path, source: Path) -> tuple[Path, str]:
    """langfuse's Prisma folder (schema and migrations), copied into a repository of its own."""
    prisma = next(path.parent for path in source.rglob("schema.prisma") if (path.parent / "migrations").is_dir())
    shutil.copytree(prisma, root / "prisma")
    newest = sorted((root / "prisma/migrations").rglob("migration.sql"))[-1]
    return _new_migration_staged(root, str(newest.relative_to(root)))


def measure(cases: list[Case], rounds: int) -> None:
    for case in cases:  # prime caches (and the OS page cache) once; not timed
        run_once(case)
        case.times.clear()
    for number in range(rounds):
        shift = number % len(cases)
        for case in cases[shift:] + cases[:shift]:
            run_once(case)
        print(f"  round {number + 1}/{rounds} done", file=sys.stderr)


def median(case: Case) -> float:
    return statistics.median(case.times)


def versions() -> str:
    import pglast
    import sqlglot

    import linter

    squawk = subprocess.run(["squawk", "--version"], capture_output=True, text=True).stdout.strip()
    return (
        f"dbvet {linter.__version__}, {squawk}, Python {platform.python_version()}, pglast {pglast.__version__}, "
        f"sqlglot {sqlglot.__version__}"
    )


def machine() -> str:
    model = ""
    try:
        found = re.search(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE)
        model = found.group(1).strip() if found else ""
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return f"{platform.machine()}, {os.cpu_count()} cores{', ' + model if model else ''}, load {load:.2f} at start"


def table(cases: list[Case], described: dict[str, str]) -> list[str]:
    """Markdown rows: per corpus, each case's median, peak memory and ratio to squawk's median."""
    lines = ["| corpus | case | median s | min s | peak MB | × squawk |", "|---|---|---:|---:|---:|---:|"]
    squawk = {case.corpus: median(case) for case in cases if case.label.startswith("squawk")}
    for case in cases:
        ratio = median(case) / squawk[case.corpus] if squawk.get(case.corpus) else float("nan")
        lines.append(
            f"| {described.get(case.corpus, case.corpus)} | {case.label} | {median(case):.3f} | {min(case.times):.3f} "
            f"| {case.peak_kib / 1024:.0f} | {ratio:.2f} |"
        )
    return lines


def scale_rows(cases: list[Case], small: str, large: str) -> list[str]:
    by_key = {(case.corpus, case.label): case for case in cases}
    rows = ["| case | 1× s | 4× s | 4× / 1× |", "|---|---:|---:|---:|"]
    for (corpus, label), case in by_key.items():
        if corpus != small or (large, label) not in by_key:
            continue
        big = median(by_key[(large, label)])
        rows.append(f"| {label} | {median(case):.3f} | {big:.3f} | {big / median(case):.2f} |")
    return rows


def standalone_cases(work: Path, cache_home: Path, clean: str) -> list[Case]:
    """A pre-commit hook on one new migration of a small project (dialect set in pyproject.toml):
    start-up and one file, nothing to replay. Python's own start-up is timed beside it: no
    Python program starts faster. Both again in a clean virtual environment (`clean_python`)."""
    root = work / "standalone"
    migration = "migrations/0001_add_email.sql"
    _small_project(root, {migration: ADD_EMAIL})
    dbvet = ["-m", "linter", "check", "--format", "json", "--no-cache", migration]
    env = dbvet_env(cache_home)
    return [
        Case("standalone file", "dbvet, one standalone file, cold", [sys.executable, *dbvet], root, env=env),
        Case("standalone file", "squawk, the same file", ["squawk", "--reporter", "gcc", migration], root),
        Case("standalone file", "python -c pass (the interpreter's start-up)", [sys.executable, "-c", "pass"], root),
        Case("standalone file", f"dbvet, the same, {CLEAN}", [clean, *dbvet], root, env=env),
        Case("standalone file", f"python -c pass, {CLEAN}", [clean, "-c", "pass"], root),
    ]


CLEAN = "clean venv"


def clean_python(work: Path) -> str:
    """An interpreter as pre-commit gives a hook: a virtual environment of its own. It sees
    this checkout and the installed dependencies (one .pth file naming their folders) but not
    the .pth files in those folders, which on some machines import modules at every start
    (here they cost ~20 ms of `python -c pass`)."""
    venv = work / "clean-venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    query = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    site_packages = subprocess.run([python, "-c", query], capture_output=True, text=True, check=True).stdout.strip()
    folders = [str(REPO), *(path for path in sys.path if path.endswith("-packages"))]
    Path(site_packages, "dbvet-bench.pth").write_text("\n".join(folders) + "\n", encoding="utf-8")
    return python


def compile_bytecode() -> None:
    """Compile this checkout's modules as an install does: a checkout run with
    PYTHONDONTWRITEBYTECODE (or a fresh edit) would otherwise compile them on every start."""
    import compileall

    for package in ("linter", "rules"):
        compileall.compile_dir(REPO / package, quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--synthetic-files", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="the real corpus (skipped if absent)")
    parser.add_argument("--no-scale", action="store_true", help="skip the 4× synthetic corpus")
    parser.add_argument("--write-readme", action="store_true", help=f"replace the figures in {README.name}")
    args = parser.parse_args(argv)
    if shutil.which("squawk") is None:
        raise SystemExit("bench: squawk is not on PATH (pip install squawk-cli)")
    sys.path.insert(0, str(HERE))
    from gen_synthetic import generate

    work = Path(tempfile.mkdtemp(prefix="dbvet-bench-"))
    try:
        cache_home = work / "cache"
        small, large = f"synthetic {args.synthetic_files}", f"synthetic {4 * args.synthetic_files}"
        described: dict[str, str] = {}
        cases: list[Case] = []
        sizes = [(small, args.synthetic_files)] + ([] if args.no_scale else [(large, 4 * args.synthetic_files)])
        for label, files in sizes:
            root = work / label.replace(" ", "-")
            generate(root, files, args.seed)
            statements = _statements(root)
            described[label] = f"synthetic, {files:,} files, {statements:,} statements"
            cases += corpus_cases(label, root, cache_home, warm=label == small)
        if args.corpus.is_dir():
            described["corpus"] = f"real corpus, {len(sql_files(args.corpus)):,} .sql files"
            cases += corpus_cases("corpus", args.corpus, cache_home)
            cases += precommit_cases(args.corpus, cache_home)
        clean = clean_python(work)
        cases += standalone_cases(work, cache_home, clean)
        cases += hook_cases(work, args.corpus if args.corpus.is_dir() else None, cache_home, clean)
        compile_bytecode()
        print(f"{len(cases)} cases, {args.rounds} rounds", file=sys.stderr)
        started = datetime.datetime.now(datetime.timezone.utc)
        measure(cases, args.rounds)
        block = [
            f"{started:%Y-%m-%d %H:%M} UTC, {machine()}; {versions()}; median of {args.rounds} alternating rounds.",
            "",
            *table(cases, described),
        ]
        if not args.no_scale:
            block += ["", "Scale (synthetic, same seed and set sizes):", "", *scale_rows(cases, small, large)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = "\n".join(block)
    print(text)
    if args.write_readme:
        write_readme(text)
    return 0


def _statements(root: Path) -> int:
    from pglast.parser import split

    return sum(len(split(path.read_text(encoding="utf-8"))) for path in sql_files(root))


def write_readme(block: str) -> None:
    text = README.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        raise SystemExit(f"bench: {README} has no {BEGIN} … {END} block to replace")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{BEGIN}\n{block}\n{END}{tail}", encoding="utf-8")
    print(f"bench: wrote the figures to {README}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
