"""Running dbvet over small trees written by tests: rule examples and data-driven cases."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Mapping

from rules import all_rules

from linter.config import config_from_mapping
from linter.findings import Finding
from linter.records import replace
from linter.rule import Example
from linter.run import check


def write_tree(root: Path, files: Mapping[str, str | bytes]) -> None:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            # newline="" keeps CRLF and CR line endings exactly as the case wrote them
            path.write_text(content, encoding="utf-8", newline="")


def run_tree(
    root: Path, settings: Mapping | None = None, paths: Iterable[str] = (), base: str | None = None
) -> list[Finding]:
    """`dbvet check` over `root` (or the given paths inside it), from inside `root`; `base`: `--base`."""
    import os

    rules = all_rules()
    config = config_from_mapping(dict(settings or {}), rules, root)
    previous = Path.cwd()
    os.chdir(root)
    try:
        result = check([Path(p) for p in paths] or [Path(".")], config, rules, root, base=base)
    finally:
        os.chdir(previous)
    return result.findings


def example_tree(example: Example) -> tuple[dict[str, str | bytes], str]:
    """The files an example stands for, and the path of the file it shows."""
    if example.kind == "prisma":
        # `before`: the Prisma migrations beside the schema, oldest first (R005 compares the two).
        files = {
            f"prisma/migrations/2024010100000{number}_m{number}/migration.sql": text
            for number, text in enumerate(example.before, start=1)
        }
        return files | {"prisma/schema.prisma": example.source}, "prisma/schema.prisma"
    if example.kind == "app":
        # Application code is read beside a Prisma schema, as in a real project.
        datasource = 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n'
        return {"prisma/schema.prisma": datasource, "src/example.ts": example.source}, "src/example.ts"
    files: dict[str, str | bytes] = {}
    if example.kind == "lock":
        # A Prisma project's migration_lock.toml; `before` holds the schema beside it.
        files["prisma/schema.prisma"] = example.before[0] if example.before else ""
        files["prisma/migrations/20240101000000_init/migration.sql"] = "SELECT 1;\n"
        files["prisma/migrations/migration_lock.toml"] = example.source
        return files, "prisma/migrations/migration_lock.toml"
    if example.layout == "dbmate":
        for number, text in enumerate(example.before, start=1):
            files[f"db/migrations/2024010100000{number}_before.sql"] = f"-- migrate:up\n{text}\n-- migrate:down\nSELECT 1;\n"
        shown = "db/migrations/20240201000000_example.sql"
    else:
        for number, text in enumerate(example.before, start=1):
            files[f"migrations/{number:04d}_before.sql"] = text
        shown = f"migrations/{example.name or f'{len(example.before) + 1:04d}_example.sql'}"
    files[shown] = example.source.encode(example.encoding) if example.encoding != "utf-8" else example.source
    return files, shown


def git_commit(root: Path, message: str = "base") -> None:
    """Commit everything under `root` (a git repository is created on first use)."""
    import subprocess

    if not (root / ".git").exists():
        subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    identity = ["-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", *identity, "commit", "-q", "--allow-empty", "-m", message], cwd=root, check=True)


def run_example(root: Path, example: Example, rule_id: str) -> list[tuple[int, int]]:
    files, shown = example_tree(example)
    base = None
    if example.kind == "git":
        # The `before` migrations are committed; the change then writes the shown file.
        committed, default_shown = example_tree(replace(example, name=""))
        del committed[default_shown]
        write_tree(root, committed)
        git_commit(root)
        base = "HEAD"
    write_tree(root, files)
    settings: dict = {"rules": {rule_id: dict(example.options)}} if example.options else {}
    if not all_rules()[rule_id].default_on:
        settings["extend-select"] = [rule_id]
    if example.dialect is not None and example.kind in ("sql", "git"):
        settings["dialect"] = example.dialect
    findings = run_tree(root, settings, base=base)
    return [(f.line, f.column) for f in findings if f.rule == rule_id and f.path == shown]
