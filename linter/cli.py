"""The command line: arguments in, a run, an exit code out.

Exit codes (INTERFACE.md): 0 nothing at or above --fail-on; 1 findings at or above it;
2 usage error, bad configuration, or an internal error (one line on stderr; the traceback
only with --debug).
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import gc
import os
import sys
from pathlib import Path
from typing import Any, NoReturn, Sequence

from linter import __version__
from linter.errors import UserError

FORMATS = ("text", "json", "sarif", "github", "junit")


class _Formatter(argparse.HelpFormatter):
    """argparse's help formatter, told the terminal's width: left to itself it imports shutil
    (and with it zlib, bz2 and lzma, ~2.5 ms of every run) for `shutil.get_terminal_size`."""

    def __init__(self, prog: str, **options: Any) -> None:
        options.setdefault("width", _terminal_columns() - 2)  # as argparse does
        super().__init__(prog, **options)


def _terminal_columns() -> int:
    """`shutil.get_terminal_size().columns`: $COLUMNS, else stdout's terminal, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **options: Any) -> None:
        options.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **options)

    def error(self, message: str) -> None:  # argparse exits 2 too; keep its one line
        self.exit(2, f"dbvet: {message}\n")


def _ids(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="dbvet", description="Static analysis for database schemas and migrations.")
    parser.add_argument("--version", action="version", version=f"dbvet {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = commands.add_parser("check", help="lint migration sets and Prisma schemas")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or directories (default: .)")
    _lint_options(check)
    check.add_argument("--fix", action="store_true", help="apply the mechanical fixes in place, then report what is left")
    check.add_argument("--diff", action="store_true", help="print the fixes --fix would make as a unified diff; change nothing")

    github = commands.add_parser("github", help="pull-request mode inside GitHub Actions")
    github.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or directories (default: .)")
    _lint_options(github, default_format="github")
    github.add_argument("--comment", choices=("on", "off"), default="on", help="keep one sticky PR comment (default on)")
    github.add_argument("--check-run", choices=("on", "off"), default="on", help="create a check run (default on)")
    github.add_argument("--review-comments", choices=("on", "off"), default="off", help="suggest mechanical fixes on changed lines")
    github.add_argument("--sarif", type=Path, metavar="FILE", help="also write a SARIF report to FILE")

    init = commands.add_parser("init", help="write a starter configuration and add the pre-commit hook")
    init.add_argument("--format", dest="config_format", choices=("pyproject", "yaml"), help="where the configuration goes (default: pyproject.toml when there is one)")
    init.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")

    schema = commands.add_parser("schema", help="print the schema the migrations produce (or a Prisma schema describes)")
    schema.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or directories (default: .)")
    schema.add_argument("--format", choices=("json", "mermaid", "markdown"), default="json")
    schema.add_argument("--output", type=Path, metavar="FILE", help="write to FILE instead of stdout")
    schema.add_argument("--config", type=Path, metavar="FILE", help="configuration file (pyproject.toml or .dbvet.yaml)")
    schema.add_argument("--dialect", choices=("postgresql", "mysql", "sqlite"), help="SQL dialect of every set")
    schema.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")

    commands.add_parser("rules", help="list every rule")
    explain = commands.add_parser("explain", help="show a rule's documentation")
    explain.add_argument("rule", metavar="ID")
    return parser


def _lint_options(parser: argparse.ArgumentParser, default_format: str = "text") -> None:
    """The options `check` and `github` share (INTERFACE.md)."""
    parser.add_argument("--format", choices=FORMATS, default=default_format)
    parser.add_argument("--output", type=Path, metavar="FILE", help="write the report to FILE instead of stdout")
    parser.add_argument("--select", type=_ids, metavar="IDS", help="run only these rules (ids or prefixes)")
    parser.add_argument("--ignore", type=_ids, metavar="IDS", help="do not run these rules")
    parser.add_argument("--extend-select", type=_ids, metavar="IDS", help="run these rules as well")
    parser.add_argument("--config", type=Path, metavar="FILE", help="configuration file (pyproject.toml or .dbvet.yaml)")
    parser.add_argument("--base", metavar="REV", help="git revision the change is measured against (HEAD: staged and unstaged changes)")
    parser.add_argument("--pg-version", type=int, metavar="N", help="PostgreSQL major version (default 14)")
    parser.add_argument("--dialect", choices=("postgresql", "mysql", "sqlite"), help="SQL dialect of every set")
    parser.add_argument("--fail-on", choices=("error", "warning", "info", "never"), help="exit 1 at this level (default error)")
    parser.add_argument("--baseline", type=Path, metavar="FILE", help="report only findings not recorded in FILE")
    parser.add_argument("--write-baseline", type=Path, metavar="FILE", help="record today's findings in FILE")
    parser.add_argument("--jobs", type=_jobs, metavar="N", help="parallel processes (default: one per core)")
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the cache")
    parser.add_argument("-q", "--quiet", action="store_true", help="text: findings only, no excerpts or summary")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return jobs


def entry() -> NoReturn:
    """The `dbvet` command (and `python -m linter`): `main`, then a hard exit, as mypy does.

    A run ends holding everything it made: modules, parsed statements, schemas, findings.
    Python would free them one by one on the way out, ~10 ms of a one-file pre-commit run and
    ~0.15 s of a whole-corpus scan, for memory the system takes back at once. By then the
    report is written (`--output` and `--fix` write and rename before `main` returns) and any
    worker processes have been shut down, so only the standard streams need flushing.
    """
    code = main()
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader left (`dbvet check | head`): nothing more to say
        code = 2
    except OSError as exc:  # a full disk, say: the report is incomplete
        print(f"dbvet: cannot write the output: {exc.strerror or exc}", file=sys.stderr)
        code = 2
    try:
        sys.stderr.flush()
    except OSError:
        pass
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error already printed
        return exc.code if isinstance(exc.code, int) else 2
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    # A run builds millions of small objects that live to its end (parsed statements, schemas);
    # with the default first-generation threshold (700) the collector re-scans them again and
    # again, ~15% of a cold run. Reference cycles are few, so collect less often.
    gc.set_threshold(10_000, 10, 10)
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "github":
            from linter.github import run_github

            return run_github(args)
        if args.command == "init":
            from linter.init import run_init

            return run_init(args)
        if args.command == "schema":
            return _schema(args)
        if args.command == "rules":
            return _rules()
        if args.command == "explain":
            return _explain(args.rule)
    except UserError as exc:
        print(f"dbvet: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("dbvet: interrupted", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader of the output left early: not a bug, nothing to report
        _drop_stdout()
        return 2
    except Exception as exc:  # a bug: one line unless asked for more
        if getattr(args, "debug", False):
            raise
        print(f"dbvet: internal error: {type(exc).__name__}: {exc} (rerun with --debug for the traceback)", file=sys.stderr)
        return 2
    return 2


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so that flushing what is left in its buffer cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no file descriptor (a test's StringIO): nothing to redirect
        pass


def lint(args: argparse.Namespace, cwd: Path):
    """Configuration and options in, one run's result out: shared by `check` and `github`.

    Returns (rules, config, result). The baseline, when given, has already removed the
    findings it records.
    """
    change = None
    if args.base is not None:  # git works while the rest of dbvet loads
        from linter.gitbase import resolve_in_background

        change = resolve_in_background(args.base, cwd)

    from rules import all_rules, indexed_rules

    from linter.config import apply_cli, load_config
    from linter.run import check

    # `check` with the cache reads the rules from the cache's index: a warm run imports no rule module.
    rules = indexed_rules() if args.command == "check" and not args.no_cache else all_rules()
    config = load_config(rules, cwd, args.config, cache=not args.no_cache)
    config = apply_cli(
        config,
        select=args.select,
        ignore=args.ignore,
        extend_select=args.extend_select,
        pg_version=args.pg_version,
        fail_on=args.fail_on,
        dialect=args.dialect,
    )
    # A progress bar only where a person reads the text report (Progress itself checks for a terminal and CI).
    progress = args.format == "text" and not args.quiet and args.output is None
    result = check(
        args.paths, config, rules, cwd, base=args.base, change=change, jobs=args.jobs, cache=not args.no_cache,
        progress=progress,
    )
    if args.baseline is not None or args.write_baseline is not None:
        from linter.baseline import apply_baseline

        result = apply_baseline(
            result, config, rules, cwd, paths=args.paths, baseline=args.baseline, write_to=args.write_baseline
        )
    return rules, config, result


def _check(args: argparse.Namespace) -> int:
    from linter.findings import Severity
    from linter.report import render

    cwd = Path.cwd()
    rules, config, result = lint(args, cwd)
    if args.diff or args.fix:
        from linter import fix

        settled = fix.settle(result, lambda: lint(args, cwd)[2])
        if not settled.settled:
            passes = f"{fix.MAX_PASSES} pass{'es' if fix.MAX_PASSES != 1 else ''}"
            print(f"dbvet: the fixes did not settle in {passes}; run again for the rest", file=sys.stderr)
        plans = settled.plans
        if args.diff:
            _emit(fix.unified_diff(plans))
            return 1 if plans else 0
        if plans:
            fixed = fix.write(plans)
            print(f"dbvet: fixed {fixed} finding{'s' if fixed != 1 else ''} in {len(plans)} file{'s' if len(plans) != 1 else ''}", file=sys.stderr)
            result = settled.result  # the check of exactly what was written
    if result.files == 0:
        where = " ".join(str(path) for path in args.paths) or "."
        print(f"dbvet: no migration sets or Prisma schemas found in {where}", file=sys.stderr)
    color = args.color == "always" or (
        args.color == "auto" and args.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    )
    output = render(args.format, result, color=color, rules=rules, quiet=args.quiet)
    if args.output is not None:
        write_atomically(args.output, output)
    else:
        _emit(output)
    fail_on: Severity | None = config.fail_on
    if fail_on is not None and any(finding.severity >= fail_on for finding in result.findings):
        return 1
    return 0


def _schema(args: argparse.Namespace) -> int:
    from rules import all_rules

    from linter.config import apply_cli, load_config
    from linter.schema_output import collect_schemas, render_schemas

    rules = all_rules()
    cwd = Path.cwd()
    config = apply_cli(load_config(rules, cwd, args.config), dialect=args.dialect)
    sources = collect_schemas(args.paths, config, rules, cwd)
    if not sources:
        where = " ".join(str(path) for path in args.paths) or "."
        raise UserError(f"no migration sets or Prisma schemas found in {where}")
    for source in sources:
        # A syntax error leaves the printed schema incomplete: say where, on stderr.
        for problem in source.problems:
            print(f"dbvet: {problem.path}:{problem.line}:{problem.column}: {problem.rule} {problem.message}", file=sys.stderr)
    output = render_schemas(sources, args.format)
    if args.output is not None:
        write_atomically(args.output, output)
    else:
        _emit(output)
    return 0


def _emit(text: str) -> None:
    """Write to stdout. A stream that cannot take it (a full disk) is a one-line error, exit 2;
    a reader that left early (BrokenPipeError) ends the run quietly (`main`)."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise UserError(f"cannot write the output: {exc.strerror or exc}") from None


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file beside it, renamed over it: a reader never
    sees half a report, and a write that fails leaves no temporary file behind."""
    if path.is_dir() or not path.name:  # `--output .`, `--output /`, a folder's name
        raise UserError(f"cannot write {path}: Is a directory")
    temporary = path.with_name(f".{path.name}.dbvet-tmp")
    try:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except FileExistsError:  # a file where the path needs a folder
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR)) from None
        try:
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None


def _rules() -> int:
    from rules import all_rules

    from linter.docs import rules_table

    _emit(rules_table(all_rules()))
    return 0


def _explain(rule_id: str) -> int:
    from rules import all_rules

    from linter.docs import explain_text

    rules = all_rules()
    rule = rules.get(rule_id.upper())
    if rule is None:
        by_name = {r.name: r for r in rules.values()}
        rule = by_name.get(rule_id.lower())
    if rule is None:
        raise UserError(f"unknown rule {rule_id!r}; `dbvet rules` lists them")
    _emit(explain_text(rule))
    return 0
