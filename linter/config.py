"""The configuration: where it is found, what it may say, and how the command line amends it.

Discovery: `--config FILE` wins (a `.toml` file with a `[tool.dbvet]` table, or a `.yaml`/`.yml`
file). Otherwise the first directory, walking up from the working directory, that holds a
`.dbvet.yaml`, a `.dbvet.yml` or a `pyproject.toml` with a `[tool.dbvet]` table; a pyproject
without that table does not stop the walk. When one directory holds several, the dedicated
file wins in that order (`.dbvet.yaml`, `.dbvet.yml`, then `pyproject.toml`), as ruff prefers
`.ruff.toml` over `pyproject.toml`. No file at all means the defaults.

Keys may be written `kebab-case` or `snake_case`. `select`, `ignore`, `extend-select` and the
values of `per-file-ignores` take rule ids, prefixes (`S`, `S0`) and `ALL`, as a list or one
comma-separated string; the keys of `severity` and `rules` must be whole rule ids. Everything is
checked before any file is linted: a mistake is one `UserError` line naming the file, the key
and the problem.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from linter.errors import UserError
from linter.findings import Severity
from linter.records import Record, field, replace
from linter.rule import FAMILIES, Rule
from linter.source import DEFAULT_MAX_BYTES, display_path

YAML_NAMES = (".dbvet.yaml", ".dbvet.yml")
PYPROJECT = "pyproject.toml"
DIALECTS = {"postgresql": "postgresql", "postgres": "postgresql", "mysql": "mysql", "sqlite": "sqlite"}
PG_VERSIONS = range(9, 19)
FAIL_ON = {"error": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO, "never": None}
# Input problems are reported whatever the selection says (RULES.md: "always on"); only
# per-file-ignores and inline comments silence them.
ALWAYS_ON = frozenset({"E001", "E002", "E003", "E004"})
ALL = "ALL"


class RuleSelection(Record, frozen=True):
    """One layer of rule selectors: the configuration file's, or the command line's.

    Layers apply in order as ruff's do: a layer with `select` starts the set afresh; one
    without it adds its `extend_select` to what earlier layers chose and removes its `ignore`.
    """

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()


class Config(Record, frozen=True):
    select: tuple[str, ...] | None = None  # None: the rules that are on by default
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)  # glob -> selectors
    exclude: tuple[str, ...] = ()
    pg_version: int = 14
    dialect: str | None = None
    fail_on: Severity | None = Severity.ERROR  # None: never fail
    rules: dict[str, dict[str, Any]] = field(default_factory=dict)  # rule id -> option -> value
    plain_transaction: bool = False  # run a plain folder of .sql files as one transaction each
    max_file_size: int = DEFAULT_MAX_BYTES
    path: Path | None = None  # the file the settings came from
    root: Path = field(default_factory=Path.cwd)  # globs are relative to it
    overrides: tuple[RuleSelection, ...] = ()  # later selection layers (the command line)

    def selections(self) -> tuple[RuleSelection, ...]:
        return (RuleSelection(self.select, self.ignore, self.extend_select), *self.overrides)


# --- loading --------------------------------------------------------------------------------
def load_config(
    rules: Mapping[str, type[Rule]], cwd: Path, explicit: Path | None = None, *, cache: bool = False
) -> Config:
    """The configuration that applies in `cwd`, checked against the known rules. With `cache`,
    a configuration file's parsed settings are kept in dbvet's cache (`linter.cache.read_parsed`)."""
    cwd = Path(os.path.abspath(cwd))
    if explicit is not None:
        path = Path(os.path.abspath(cwd / explicit))
        shown = display_path(path, cwd)
        if not _is_file(path):
            raise UserError(f"{shown}: config file not found")
        suffix = path.suffix.lower()
        if suffix == ".toml":
            table = _pyproject_table(path, shown, cache)
            if table is None:
                raise UserError(f"{shown}: no [tool.dbvet] table")
            return _config(table, rules, path, shown)
        if suffix in (".yaml", ".yml"):
            return _config(_yaml_settings(path, shown, cache), rules, path, shown)
        raise UserError(f"{shown}: unsupported config file type (expected .toml, .yaml or .yml)")
    for directory in (cwd, *cwd.parents):
        for name in YAML_NAMES:
            path = directory / name
            if _is_file(path):
                shown = display_path(path, cwd)
                return _config(_yaml_settings(path, shown, cache), rules, path, shown)
        path = directory / PYPROJECT
        if _is_file(path):
            shown = display_path(path, cwd)
            table = _pyproject_table(path, shown, cache)
            if table is not None:
                return _config(table, rules, path, shown)
    return Config(root=cwd)


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a folder we may not enter: as good as absent
        return False


def _read_text(path: Path, shown: str) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{shown}: cannot read config file: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UserError(f"{shown}: not valid UTF-8 (byte offset {exc.start})") from None


def _pyproject_table(path: Path, shown: str, cache: bool = False) -> dict[str, Any] | None:
    """The `[tool.dbvet]` table, or None when the file has none. With `cache`, the table is
    kept in dbvet's cache, as a YAML file's settings are: a hook then never imports tomllib."""
    text = _read_text(path, shown)
    if "dbvet" not in text:  # most pyproject files never mention us: skip the TOML parse
        return None
    return _parsed("pyproject dbvet table", text, shown, _parse_pyproject_table, cache)


def _parse_pyproject_table(text: str, shown: str) -> dict[str, Any] | None:
    try:  # only here: a run without a configuration file does not pay for it
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"{shown}: invalid TOML: {exc}") from None
    tool = data.get("tool")
    if not isinstance(tool, dict) or "dbvet" not in tool:
        return None
    table = tool["dbvet"]
    if not isinstance(table, dict):
        raise UserError(f"{shown}: [tool.dbvet] must be a table, got {_type_name(table)}")
    return table


def _yaml_settings(path: Path, shown: str, cache: bool = False) -> dict[str, Any]:
    return _parsed("yaml settings", _read_text(path, shown), shown, _parse_yaml_settings, cache)


def _parsed(kind: str, text: str, shown: str, parse: Callable[[str, str], Any], cache: bool) -> Any:
    """parse(text, shown), or with `cache` what an earlier run kept of it (`linter.cache.read_parsed`)."""
    if not cache:
        return parse(text, shown)
    from linter import cache as cache_module

    value = cache_module.read_parsed(kind, text)
    if value is cache_module.MISSING:
        value = parse(text, shown)  # an invalid file raises: nothing is kept
        cache_module.write_parsed(kind, text, value)
    return value


def _parse_yaml_settings(text: str, shown: str) -> dict[str, Any]:
    # ruamel.yaml costs tens of milliseconds to import: only pay when a YAML file is parsed.
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        data = YAML(typ="safe").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise UserError(f"{shown}: invalid YAML{where}: {exc.problem or exc.context}") from None
    except YAMLError as exc:
        raise UserError(f"{shown}: invalid YAML: {' '.join(str(exc).split())}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UserError(f"{shown}: expected a mapping of settings at the top level, got {_type_name(data)}")
    return data


# --- checking -------------------------------------------------------------------------------
class _Checker:
    """Turns raw settings into `Config` values; every problem names the file and the key."""

    def __init__(self, rules: Mapping[str, type[Rule]], shown: str | None) -> None:
        self.rules = rules
        self.shown = shown
        self.prefixes = known_prefixes(rules)

    def fail(self, where: str, problem: str) -> UserError:
        head = f"{self.shown}: " if self.shown else ""
        return UserError(f"{head}{where}: {problem}")

    def id_list(self, value: Any, where: str) -> tuple[str, ...]:
        """Rule ids or selectors: a list of strings, or one comma-separated string."""
        if isinstance(value, str):
            items: list[Any] = value.split(",")
        elif isinstance(value, list):
            items = value
        else:
            raise self.fail(where, f"expected a list of rule ids, got {_type_name(value)}")
        result = []
        for item in items:
            if not isinstance(item, str):
                raise self.fail(where, f"expected a list of rule ids, got an item of type {_type_name(item)}")
            item = item.strip().upper()
            if not item:
                raise self.fail(where, "empty rule id")
            result.append(item)
        return tuple(result)

    def selectors(self, value: Any, where: str) -> tuple[str, ...]:
        ids = self.id_list(value, where)
        unknown = [item for item in ids if item not in self.prefixes]
        if unknown:
            raise self.fail(where, f"unknown rule id or prefix {_quoted(unknown)}")
        return ids

    def ignore(self, value: Any, where: str) -> tuple[str, ...]:
        ids = self.selectors(value, where)
        pinned = [item for item in ids if item in ALWAYS_ON]
        if pinned:
            raise self.fail(
                where,
                f"{', '.join(pinned)} cannot be ignored: input problems are always reported "
                "(silence them with per-file-ignores or an inline comment)",
            )
        return ids

    def rule_id(self, key: Any, where: str) -> str:
        if not isinstance(key, str) or key.strip().upper() not in self.rules:
            raise self.fail(where, f"unknown rule id {key!r}")
        return key.strip().upper()

    def table(self, value: Any, where: str, expected: str) -> dict:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected a table of {expected}, got {_type_name(value)}")
        return value

    def severities(self, value: Any, where: str) -> dict[str, Severity]:
        result = {}
        for key, level in self.table(value, where, "rule id -> level").items():
            rule_id = self.rule_id(key, where)
            if not isinstance(level, str):
                raise self.fail(f"{where}.{rule_id}", f"expected error, warning or info, got {_type_name(level)}")
            try:
                result[rule_id] = Severity.parse(level)
            except ValueError as exc:
                raise self.fail(f"{where}.{rule_id}", str(exc)) from None
        return result

    def per_file_ignores(self, value: Any, where: str) -> dict[str, tuple[str, ...]]:
        result = {}
        for pattern, ids in self.table(value, where, "glob -> rule ids").items():
            if not isinstance(pattern, str) or not pattern.strip():
                raise self.fail(where, f"expected glob patterns as keys, got {pattern!r}")
            self.glob(pattern.strip(), where)
            result[pattern.strip()] = self.selectors(ids, f'{where}["{pattern}"]')
        return result

    def globs(self, value: Any, where: str) -> tuple[str, ...]:
        if not isinstance(value, list):
            raise self.fail(where, f"expected a list of glob patterns, got {_type_name(value)}")
        for item in value:
            if not isinstance(item, str) or not item.strip():
                raise self.fail(where, f"expected a list of glob patterns, got the item {item!r}")
            self.glob(item.strip(), where)
        return tuple(item.strip() for item in value)

    def glob(self, pattern: str, where: str) -> None:
        from linter.selection import Glob  # selection builds on this module

        try:
            Glob(pattern)
        except UserError as exc:
            raise self.fail(where, str(exc)) from None

    def rule_options(self, value: Any, where: str) -> dict[str, dict[str, Any]]:
        result: dict[str, dict[str, Any]] = {}
        for key, settings in self.table(value, where, "rule id -> options").items():
            rule_id = self.rule_id(key, where)
            declared = self.rules[rule_id].options
            names = {name.replace("-", "_"): name for name in declared}
            checked: dict[str, Any] = {}
            for option, option_value in self.table(settings, f"{where}.{rule_id}", "option -> value").items():
                name = names.get(str(option).replace("-", "_"))
                if name is None:
                    known = f"options: {', '.join(sorted(declared))}" if declared else f"{rule_id} has no options"
                    raise self.fail(f"{where}.{rule_id}", f"unknown option {option!r} ({known})")
                problem = declared[name].validate(option_value)
                if problem is not None:
                    raise self.fail(f"{where}.{rule_id}.{name}", problem)
                checked[name] = option_value
            result[rule_id] = checked
        return result

    def pg_version(self, value: Any, where: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value not in PG_VERSIONS:
            raise self.fail(where, f"expected an integer from 9 to 18, got {value!r}")
        return value

    def dialect(self, value: Any, where: str) -> str:
        name = DIALECTS.get(value.strip().lower()) if isinstance(value, str) else None
        if name is None:
            raise self.fail(where, f"unknown dialect {value!r} (expected postgresql, mysql or sqlite)")
        return name

    def fail_on(self, value: Any, where: str) -> Severity | None:
        key = value.strip().lower() if isinstance(value, str) else None
        if key not in FAIL_ON:
            raise self.fail(where, f"expected error, warning, info or never, got {value!r}")
        return FAIL_ON[key]

    def boolean(self, value: Any, where: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(where, f"expected true or false, got {value!r}")
        return value

    def size(self, value: Any, where: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise self.fail(where, f"expected a positive number of bytes, got {value!r}")
        return value


# Key (kebab-case) -> (Config field, checker method).
_KEYS: dict[str, tuple[str, Callable[[_Checker, Any, str], Any]]] = {
    "select": ("select", _Checker.selectors),
    "ignore": ("ignore", _Checker.ignore),
    "extend-select": ("extend_select", _Checker.selectors),
    "severity": ("severity", _Checker.severities),
    "per-file-ignores": ("per_file_ignores", _Checker.per_file_ignores),
    "exclude": ("exclude", _Checker.globs),
    "pg-version": ("pg_version", _Checker.pg_version),
    "dialect": ("dialect", _Checker.dialect),
    "fail-on": ("fail_on", _Checker.fail_on),
    "rules": ("rules", _Checker.rule_options),
    "plain-transaction": ("plain_transaction", _Checker.boolean),
    "max-file-size": ("max_file_size", _Checker.size),
}


def config_from_mapping(
    settings: Mapping[str, Any], rules: Mapping[str, type[Rule]], root: Path, *, source: str = "settings"
) -> Config:
    """Settings handed over as a mapping (a test case, a program embedding dbvet), checked as a
    file's would be; `source` names them in error messages, `root` anchors their globs."""
    return _config(settings, rules, None, source, root)


def _config(
    raw: Mapping[Any, Any], rules: Mapping[str, type[Rule]], path: Path | None, shown: str, root: Path | None = None
) -> Config:
    checker = _Checker(rules, shown)
    by_key: dict[str, str] = {}  # canonical key -> key as written
    unknown = []
    for written in raw:
        key = written.replace("_", "-") if isinstance(written, str) else written
        if key not in _KEYS:
            unknown.append(str(written))
        elif key in by_key:
            raise UserError(f"{shown}: both {by_key[key]!r} and {written!r} given; use one")
        else:
            by_key[key] = written
    if unknown:
        raise UserError(f"{shown}: unknown key{'s' if len(unknown) > 1 else ''} {_quoted(unknown)}")
    values = {}
    for key, written in by_key.items():
        field_name, check = _KEYS[key]
        values[field_name] = check(checker, raw[written], key)
    if root is None:
        assert path is not None
        root = path.parent
    return Config(**values, path=path, root=Path(os.path.abspath(root)))


# --- the command line -----------------------------------------------------------------------
def apply_cli(
    config: Config,
    *,
    select: str | Sequence[str] | None = None,
    ignore: str | Sequence[str] | None = None,
    extend_select: str | Sequence[str] | None = None,
    pg_version: int | str | None = None,
    fail_on: str | None = None,
    dialect: str | None = None,
    rules: Mapping[str, type[Rule]] | None = None,
) -> Config:
    """The configuration amended by command-line options.

    Id options take the raw option text (`"S005,D002"`) or a list of such strings (a repeated
    option); each is split on commas. `--select` starts a new selection layer, so it replaces
    the file's `select`, `ignore` and `extend-select` (ruff's rule); `--ignore` and
    `--extend-select` alone amend the file's selection. Given `rules`, ids are checked here;
    `Selection` checks them again in any case.
    """
    checker = _Checker(rules or {}, None)
    changes: dict[str, Any] = {}
    if select is not None or ignore is not None or extend_select is not None:
        layer = RuleSelection(
            select=_cli_ids(checker, select, "--select", rules) if select is not None else None,
            ignore=_cli_ids(checker, ignore, "--ignore", rules),
            extend_select=_cli_ids(checker, extend_select, "--extend-select", rules),
        )
        if layer.ignore and rules is not None:
            checker.ignore(list(layer.ignore), "--ignore")
        changes["overrides"] = (*config.overrides, layer)
    if pg_version is not None:
        if isinstance(pg_version, str) and pg_version.strip().isdigit():
            pg_version = int(pg_version)
        changes["pg_version"] = checker.pg_version(pg_version, "--pg-version")
    if fail_on is not None:
        changes["fail_on"] = checker.fail_on(fail_on, "--fail-on")
    if dialect is not None:
        changes["dialect"] = checker.dialect(dialect, "--dialect")
    return replace(config, **changes) if changes else config


def _cli_ids(
    checker: _Checker, value: str | Sequence[str] | None, where: str, rules: Mapping | None
) -> tuple[str, ...]:
    if value is None:
        return ()
    text = value if isinstance(value, str) else ",".join(value)
    items = [item for item in text.split(",") if item.strip()]
    if rules is None:
        return checker.id_list(items, where)
    return checker.selectors(items, where)


# --- selectors ------------------------------------------------------------------------------
def known_prefixes(rules: Mapping[str, type[Rule]]) -> frozenset[str]:
    """Every selector that names at least one rule: ids, their prefixes, family letters."""
    prefixes = {rule_id[:length] for rule_id in rules for length in range(1, len(rule_id) + 1)}
    return frozenset(prefixes | set(FAMILIES) | {ALL})


_TYPE_NAMES = {
    dict: "table",
    list: "list",
    str: "string",
    bool: "boolean",
    int: "integer",
    float: "number",
    type(None): "null",
}


def _type_name(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


def _quoted(items: Sequence[str]) -> str:
    return ", ".join(repr(item) for item in items)
