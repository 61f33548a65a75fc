"""Configuration: discovery, every validation error, and the command line on top."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rule_factory import make_rule as _rule

from linter.config import Config, RuleSelection, apply_cli, config_from_mapping, load_config
from linter.errors import UserError
from linter.findings import Severity
from linter.rule import Option, Rule

REPO = Path(__file__).resolve().parents[1]


RULES: dict[str, type[Rule]] = {
    rule.id: rule
    for rule in (
        _rule("E001", Severity.ERROR),
        _rule("E005", Severity.INFO),
        _rule("K005", Severity.INFO, max=Option(5, "indexes per table")),
        _rule("N006", Severity.INFO, default_on=False),
        _rule("S005", Severity.ERROR),
        _rule("S006", Severity.WARNING),
        _rule(
            "T001",
            Severity.ERROR,
            columns=Option(["created_at", "updated_at"], "required columns"),
            exempt=Option([], "tables exempt"),
        ),
    )
}


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- discovery ------------------------------------------------------------------------------
def test_walks_up_to_the_first_yaml(tmp_path: Path) -> None:
    _write(tmp_path / "a" / ".dbvet.yaml", "pg-version: 12\n")
    cwd = tmp_path / "a" / "b" / "c"
    cwd.mkdir(parents=True)
    config = load_config(RULES, cwd)
    assert (config.pg_version, config.path, config.root) == (12, tmp_path / "a" / ".dbvet.yaml", tmp_path / "a")


def test_pyproject_without_table_does_not_stop_the_walk(tmp_path: Path) -> None:
    _write(tmp_path / ".dbvet.yml", "pg-version: 11\n")
    _write(tmp_path / "app" / "pyproject.toml", '[project]\nname = "app"\n\n[tool.ruff]\nline-length = 100\n')
    config = load_config(RULES, tmp_path / "app")
    assert (config.pg_version, config.path) == (11, tmp_path / ".dbvet.yml")


def test_pyproject_mentioning_dbvet_elsewhere_does_not_stop_the_walk(tmp_path: Path) -> None:
    _write(tmp_path / ".dbvet.yaml", "pg-version: 11\n")
    _write(tmp_path / "app" / "pyproject.toml", '[project]\nname = "dbvet-plugin"\n')
    assert load_config(RULES, tmp_path / "app").path == tmp_path / ".dbvet.yaml"


def test_nearer_pyproject_table_wins(tmp_path: Path) -> None:
    _write(tmp_path / ".dbvet.yaml", "pg-version: 11\n")
    _write(tmp_path / "app" / "pyproject.toml", "[tool.dbvet]\npg-version = 15\n")
    config = load_config(RULES, tmp_path / "app")
    assert (config.pg_version, config.root) == (15, tmp_path / "app")


def test_yaml_beats_pyproject_in_the_same_directory(tmp_path: Path) -> None:
    _write(tmp_path / "pyproject.toml", "[tool.dbvet]\npg-version = 15\n")
    _write(tmp_path / ".dbvet.yml", "pg-version: 13\n")
    _write(tmp_path / ".dbvet.yaml", "pg-version: 12\n")
    assert load_config(RULES, tmp_path).pg_version == 12


def test_no_config_gives_defaults_rooted_at_cwd(tmp_path: Path) -> None:
    config = load_config(RULES, tmp_path)
    assert config == Config(root=tmp_path)
    assert (config.fail_on, config.max_file_size, config.plain_transaction) == (Severity.ERROR, 10 * 1024 * 1024, False)


def test_explicit_toml_overrides_discovery(tmp_path: Path) -> None:
    _write(tmp_path / ".dbvet.yaml", "pg-version: 12\n")
    _write(tmp_path / "ci" / "lint.toml", "[tool.dbvet]\npg-version = 16\n")
    config = load_config(RULES, tmp_path, Path("ci/lint.toml"))
    assert (config.pg_version, config.path, config.root) == (16, tmp_path / "ci" / "lint.toml", tmp_path / "ci")


def test_explicit_yaml(tmp_path: Path) -> None:
    _write(tmp_path / "conf" / "strict.yml", "fail-on: warning\n")
    assert load_config(RULES, tmp_path, tmp_path / "conf" / "strict.yml").fail_on == Severity.WARNING


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("missing.yaml", None, "missing.yaml: config file not found"),
        ("lint.toml", "[tool.other]\nx = 1\n", "lint.toml: no [tool.dbvet] table"),
        ("lint.json", "{}", "lint.json: unsupported config file type (expected .toml, .yaml or .yml)"),
        ("pyproject.toml", "[tool]\ndbvet = 1\n", "pyproject.toml: [tool.dbvet] must be a table, got integer"),
    ],
)
def test_explicit_config_errors(tmp_path: Path, name: str, text: str | None, message: str) -> None:
    if text is not None:
        _write(tmp_path / name, text)
    with pytest.raises(UserError) as raised:
        load_config(RULES, tmp_path, Path(name))
    assert str(raised.value) == message


# --- what a configuration may say ------------------------------------------------------------
FULL_YAML = """\
# dbvet settings for the billing service
select: [S, T001]        # lock safety and timestamps
extend-select: N006
ignore: [s006]
severity:
  S005: warning
per-file-ignores:
  "legacy/**": [S, T001]
exclude: ["vendor/", "*.down.sql"]
pg-version: 13
dialect: postgres        # alias of postgresql
fail-on: never
plain-transaction: true
max-file-size: 2048
rules:
  T001:
    columns: [inserted_at, updated_at]
  K005: {max: 8}
"""


def test_full_yaml_with_comments(tmp_path: Path) -> None:
    path = _write(tmp_path / ".dbvet.yaml", FULL_YAML)
    assert load_config(RULES, tmp_path) == Config(
        select=("S", "T001"),
        ignore=("S006",),
        extend_select=("N006",),
        severity={"S005": Severity.WARNING},
        per_file_ignores={"legacy/**": ("S", "T001")},
        exclude=("vendor/", "*.down.sql"),
        pg_version=13,
        dialect="postgresql",
        fail_on=None,
        rules={"T001": {"columns": ["inserted_at", "updated_at"]}, "K005": {"max": 8}},
        plain_transaction=True,
        max_file_size=2048,
        path=path,
        root=tmp_path,
    )


def test_snake_case_keys_in_pyproject(tmp_path: Path) -> None:
    _write(
        tmp_path / "pyproject.toml",
        """\
[project]
name = "shop"

[tool.dbvet]
extend_select = ["N006"]
pg_version = 12
fail_on = "info"
plain_transaction = false
max_file_size = 100

[tool.dbvet.per_file_ignores]
"migrations/0001_*.sql" = ["S005"]

[tool.dbvet.rules.K005]
max = 3
""",
    )
    config = load_config(RULES, tmp_path)
    assert (config.extend_select, config.pg_version, config.fail_on, config.max_file_size) == (
        ("N006",),
        12,
        Severity.INFO,
        100,
    )
    assert (config.per_file_ignores, config.rules) == ({"migrations/0001_*.sql": ("S005",)}, {"K005": {"max": 3}})


def test_rule_option_names_accept_kebab_case(tmp_path: Path) -> None:
    rules = {**RULES, "C001": _rule("C001", Severity.ERROR, money_patterns=Option(["price"], "names"))}
    _write(tmp_path / ".dbvet.yaml", "rules:\n  c001:\n    money-patterns: [cost]\n")
    assert load_config(rules, tmp_path).rules == {"C001": {"money_patterns": ["cost"]}}


YAML_ERRORS = [
    ("selekt: [S005]\nfoo: 1\n", "unknown keys 'selekt', 'foo'"),
    ("colour: auto\n", "unknown key 'colour'"),
    ("extend-select: [S005]\nextend_select: [S006]\n", "both 'extend-select' and 'extend_select' given; use one"),
    ("select: [S005, X001, Q]\n", "select: unknown rule id or prefix 'X001', 'Q'"),
    ("select: [S9]\n", "select: unknown rule id or prefix 'S9'"),
    ("extend-select: [N7]\n", "extend-select: unknown rule id or prefix 'N7'"),
    ("select: 5\n", "select: expected a list of rule ids, got integer"),
    ("ignore: [5]\n", "ignore: expected a list of rule ids, got an item of type integer"),
    ("select: ['']\n", "select: empty rule id"),
    (
        "ignore: [S006, E001]\n",
        (
            "ignore: E001 cannot be ignored: input problems are always reported "
            "(silence them with per-file-ignores or an inline comment)"
        ),
    ),
    ("severity: {S005: fatal}\n", "severity.S005: unknown severity 'fatal' (expected error, warning or info)"),
    ("severity: {S005: 3}\n", "severity.S005: expected error, warning or info, got integer"),
    ("severity: {S999: info}\n", "severity: unknown rule id 'S999'"),
    ("severity: {S: info}\n", "severity: unknown rule id 'S'"),
    ("severity: [S005]\n", "severity: expected a table of rule id -> level, got list"),
    ("per-file-ignores: {'a/*.sql': [Q1]}\n", "per-file-ignores[\"a/*.sql\"]: unknown rule id or prefix 'Q1'"),
    (
        "per-file-ignores: {'[z-a].sql': [S005]}\n",
        "per-file-ignores: invalid glob '[z-a].sql': bad character range z-a",
    ),
    ("per-file-ignores: [S005]\n", "per-file-ignores: expected a table of glob -> rule ids, got list"),
    ("exclude: vendor\n", "exclude: expected a list of glob patterns, got string"),
    ("exclude: [vendor, 3]\n", "exclude: expected a list of glob patterns, got the item 3"),
    ("rules: {Z001: {}}\n", "rules: unknown rule id 'Z001'"),
    ("rules:\n", "rules: expected a table of rule id -> options, got null"),
    ("rules: {T001: {colums: []}}\n", "rules.T001: unknown option 'colums' (options: columns, exempt)"),
    ("rules: {S005: {x: 1}}\n", "rules.S005: unknown option 'x' (S005 has no options)"),
    ("rules: {T001: [columns]}\n", "rules.T001: expected a table of option -> value, got list"),
    ("rules: {T001: {columns: created_at}}\n", "rules.T001.columns: expected list, got str"),
    ("rules: {T001: {columns: [1]}}\n", "rules.T001.columns: expected a list of strings"),
    ("rules: {K005: {max: true}}\n", "rules.K005.max: expected int, got bool"),
    ("pg-version: 19\n", "pg-version: expected an integer from 9 to 18, got 19"),
    ("pg-version: '15'\n", "pg-version: expected an integer from 9 to 18, got '15'"),
    ("pg-version: 9.6\n", "pg-version: expected an integer from 9 to 18, got 9.6"),
    ("pg-version: true\n", "pg-version: expected an integer from 9 to 18, got True"),
    ("dialect: oracle\n", "dialect: unknown dialect 'oracle' (expected postgresql, mysql or sqlite)"),
    ("fail-on: fatal\n", "fail-on: expected error, warning, info or never, got 'fatal'"),
    ("plain-transaction: yes\n", "plain-transaction: expected true or false, got 'yes'"),
    ("max-file-size: 0\n", "max-file-size: expected a positive number of bytes, got 0"),
    ("select: [S005\n", "invalid YAML at line 2, column 1: expected ',' or ']', but got '<stream end>'"),
    (
        "fail-on: error\nfail-on: info\n",
        'invalid YAML at line 2, column 1: found duplicate key "fail-on" with value "info" (original value: "error")',
    ),
    ("- S005\n", "expected a mapping of settings at the top level, got list"),
]


@pytest.mark.parametrize(("text", "message"), YAML_ERRORS)
def test_yaml_errors_name_file_key_and_problem(tmp_path: Path, text: str, message: str) -> None:
    _write(tmp_path / ".dbvet.yaml", text)
    with pytest.raises(UserError) as raised:
        load_config(RULES, tmp_path)
    assert str(raised.value) == f".dbvet.yaml: {message}"


def test_error_path_outside_cwd_is_absolute(tmp_path: Path) -> None:
    _write(tmp_path / ".dbvet.yaml", "pg-version: 8\n")
    (tmp_path / "db").mkdir()
    with pytest.raises(UserError) as raised:
        load_config(RULES, tmp_path / "db")
    assert str(raised.value) == f"{tmp_path}/.dbvet.yaml: pg-version: expected an integer from 9 to 18, got 8"


def test_error_path_inside_cwd_is_relative(tmp_path: Path) -> None:
    _write(tmp_path / "ci" / "dbvet.yaml", "pg-version: 8\n")
    with pytest.raises(UserError) as raised:
        load_config(RULES, tmp_path, Path("ci/dbvet.yaml"))
    assert str(raised.value) == "ci/dbvet.yaml: pg-version: expected an integer from 9 to 18, got 8"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[tool.dbvet]\nselect = \n", "invalid TOML: Invalid value (at line 2, column 10)"),
        ("[tool.dbvet]\nfail-on = 'never'\nwarn = 1\n", "unknown key 'warn'"),
        (
            "[tool.dbvet]\nselect = ['S005']\n[tool.dbvet.severity]\nS005 = 'low'\n",
            "severity.S005: unknown severity 'low' (expected error, warning or info)",
        ),
    ],
)
def test_pyproject_errors(tmp_path: Path, text: str, message: str) -> None:
    _write(tmp_path / "pyproject.toml", text)
    with pytest.raises(UserError) as raised:
        load_config(RULES, tmp_path)
    assert str(raised.value) == f"pyproject.toml: {message}"


def test_empty_yaml_is_the_defaults(tmp_path: Path) -> None:
    path = _write(tmp_path / ".dbvet.yaml", "# nothing configured yet\n")
    assert load_config(RULES, tmp_path) == Config(path=path, root=tmp_path)


def test_dialect_names_are_normalised(tmp_path: Path) -> None:
    _write(tmp_path / ".dbvet.yaml", "dialect: SQLite\n")
    assert load_config(RULES, tmp_path).dialect == "sqlite"


# --- the command line -----------------------------------------------------------------------
def test_cli_adds_a_selection_layer() -> None:
    base = Config(select=("S",), ignore=("S006",), root=Path("/r"))
    amended = apply_cli(base, select="S005, T001", ignore=["N006", "K005"], rules=RULES)
    assert amended.overrides == (RuleSelection(select=("S005", "T001"), ignore=("N006", "K005"), extend_select=()),)
    assert amended.selections() == (RuleSelection(("S",), ("S006",), ()), amended.overrides[0])
    assert (amended.select, amended.ignore) == (("S",), ("S006",))  # the file's own layer is kept as it was


def test_cli_without_select_keeps_the_file_selection() -> None:
    amended = apply_cli(Config(root=Path("/r")), extend_select="n006")
    assert amended.overrides == (RuleSelection(select=None, ignore=(), extend_select=("N006",)),)


def test_cli_scalars() -> None:
    amended = apply_cli(Config(root=Path("/r")), pg_version="12", fail_on="never", dialect="postgres")
    assert (amended.pg_version, amended.fail_on, amended.dialect, amended.overrides) == (12, None, "postgresql", ())


def test_cli_with_nothing_returns_the_same_config() -> None:
    config = Config(root=Path("/r"))
    assert apply_cli(config) is config


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"select": "S005,X1"}, "--select: unknown rule id or prefix 'X1'"),
        ({"extend_select": "Q"}, "--extend-select: unknown rule id or prefix 'Q'"),
        (
            {"ignore": "E001"},
            (
                "--ignore: E001 cannot be ignored: input problems are always reported "
                "(silence them with per-file-ignores or an inline comment)"
            ),
        ),
        ({"pg_version": "fourteen"}, "--pg-version: expected an integer from 9 to 18, got 'fourteen'"),
        ({"pg_version": 8}, "--pg-version: expected an integer from 9 to 18, got 8"),
        ({"fail_on": "always"}, "--fail-on: expected error, warning, info or never, got 'always'"),
        ({"dialect": "oracle"}, "--dialect: unknown dialect 'oracle' (expected postgresql, mysql or sqlite)"),
    ],
)
def test_cli_errors(options: dict, message: str) -> None:
    with pytest.raises(UserError) as raised:
        apply_cli(Config(root=Path("/r")), rules=RULES, **options)
    assert str(raised.value) == message


def test_importing_does_not_load_yaml() -> None:
    code = (
        "import sys, linter.config, linter.selection, linter.suppress; "
        "print(sorted(m for m in sys.modules if m.startswith('ruamel')))"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert result.stdout == "[]\n"


def test_settings_from_a_mapping(tmp_path: Path) -> None:
    config = config_from_mapping({"pg_version": 10, "select": "S005"}, RULES, tmp_path)
    assert config == Config(select=("S005",), pg_version=10, root=tmp_path)


def test_settings_from_a_mapping_are_checked() -> None:
    with pytest.raises(UserError) as raised:
        config_from_mapping({"rules": {"K005": {"max": "5"}}}, RULES, Path("/r"), source="case no-index.yml")
    assert str(raised.value) == "case no-index.yml: rules.K005.max: expected int, got str"


def test_a_max_file_size_beyond_any_file_reads_every_file(tmp_path: Path) -> None:
    """A limit larger than one read may ask for (as a way to say "no limit") is not an error."""
    _write(tmp_path / ".dbvet.yaml", "dialect: postgresql\nmax-file-size: 1000000000000000000000000000000\n")
    _write(tmp_path / "migrations" / "0001_users.sql", "CREATE TABLE users (id bigint PRIMARY KEY);\n")
    done = subprocess.run(
        [sys.executable, "-m", "linter", "check", "--no-cache", "--format", "json"],
        cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (1, "")
    found = [(f["rule"], f["path"], f["line"], f["column"]) for f in json.loads(done.stdout)["findings"]]
    assert found == [("T001", "migrations/0001_users.sql", 1, 1)]  # the file was read and judged
