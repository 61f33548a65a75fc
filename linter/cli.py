"""The command line: arguments in, a run, an exit code out.

Exit codes (INTERFACE.md): 0 nothing at or above --fail-on; 1 findings at or above it;
2 usage error, bad configuration, or an internal error (one line on stderr; the traceback
only with --debug).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Sequence

from linter import __version__
from linter.errors import UserError

FORMATS = ("text", "json", "sarif", "github", "junit")


class _Parser(argparse.ArgumentParser):
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
    check.add_argument("--format", choices=FORMATS, default="text")
    check.add_argument("--output", type=Path, metavar="FILE", help="write the report to FILE instead of stdout")
    check.add_argument("--select", type=_ids, metavar="IDS", help="run only these rules (ids or prefixes)")
    check.add_argument("--ignore", type=_ids, metavar="IDS", help="do not run these rules")
    check.add_argument("--extend-select", type=_ids, metavar="IDS", help="run these rules as well")
    check.add_argument("--config", type=Path, metavar="FILE", help="configuration file (pyproject.toml or .dbvet.yaml)")
    check.add_argument("--pg-version", type=int, metavar="N", help="PostgreSQL major version (default 14)")
    check.add_argument("--dialect", choices=("postgresql", "mysql", "sqlite"), help="SQL dialect of every set")
    check.add_argument("--fail-on", choices=("error", "warning", "info", "never"), help="exit 1 at this level (default error)")
    check.add_argument("--fix", action="store_true", help="apply the mechanical fixes in place, then report what is left")
    check.add_argument("--diff", action="store_true", help="print the fixes --fix would make as a unified diff; change nothing")
    check.add_argument("-q", "--quiet", action="store_true", help="text: findings only, no excerpts or summary")
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    check.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")

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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error already printed
        return exc.code if isinstance(exc.code, int) else 2
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        if args.command == "check":
            return _check(args)
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
    except Exception as exc:  # a bug: one line unless asked for more
        if getattr(args, "debug", False):
            raise
        print(f"dbvet: internal error: {type(exc).__name__}: {exc} (rerun with --debug for the traceback)", file=sys.stderr)
        return 2
    return 2


def _check(args: argparse.Namespace) -> int:
    from rules import all_rules

    from linter.config import apply_cli, load_config
    from linter.findings import Severity
    from linter.report import render
    from linter.run import check

    rules = all_rules()
    cwd = Path.cwd()
    config = load_config(rules, cwd, args.config)
    config = apply_cli(
        config,
        select=args.select,
        ignore=args.ignore,
        extend_select=args.extend_select,
        pg_version=args.pg_version,
        fail_on=args.fail_on,
        dialect=args.dialect,
    )
    result = check(args.paths, config, rules, cwd)
    if args.diff or args.fix:
        from linter import fix

        plans = fix.plan(result.findings, result.sources)
        if args.diff:
            sys.stdout.write(fix.unified_diff(plans))
            return 1 if plans else 0
        if plans:
            fixed = fix.write(plans)
            print(f"dbvet: fixed {fixed} finding{'s' if fixed != 1 else ''} in {len(plans)} file{'s' if len(plans) != 1 else ''}", file=sys.stderr)
            result = check(args.paths, config, rules, cwd)
    if result.files == 0:
        where = " ".join(str(path) for path in args.paths) or "."
        print(f"dbvet: no migration sets or Prisma schemas found in {where}", file=sys.stderr)
    color = args.color == "always" or (
        args.color == "auto" and args.output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    )
    output = render(args.format, result, color=color, rules=rules, quiet=args.quiet)
    if args.output is not None:
        _write_atomically(args.output, output)
    else:
        sys.stdout.write(output)
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
        _write_atomically(args.output, output)
    else:
        sys.stdout.write(output)
    return 0


def _write_atomically(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.dbvet-tmp")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}") from None


def _rules() -> int:
    from rules import all_rules

    from linter.docs import rules_table

    sys.stdout.write(rules_table(all_rules()))
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
    sys.stdout.write(explain_text(rule))
    return 0
