"""Rule selection: layers, prefixes, ALL, always-on input problems, severities, options, globs."""

from __future__ import annotations

from pathlib import Path

import pytest
from rule_factory import make_rule as _rule

from linter.config import Config, apply_cli, load_config
from linter.errors import UserError
from linter.findings import Severity
from linter.rule import Option, Rule
from linter.selection import Glob, Selection

RULES: dict[str, type[Rule]] = {
    rule.id: rule
    for rule in (
        _rule("D002", Severity.ERROR),
        _rule("E001", Severity.ERROR),
        _rule("E004", Severity.WARNING),
        _rule("E005", Severity.INFO),
        _rule("K005", Severity.INFO, max=Option(5, "indexes per table")),
        _rule("N002", Severity.WARNING),
        _rule("N006", Severity.INFO, default_on=False),
        _rule("S005", Severity.ERROR),
        _rule("S006", Severity.WARNING),
        _rule("S013", Severity.WARNING),
        _rule("R008", Severity.INFO, default_on=False),
    )
}
ROOT = Path("/repo")


def _enabled(config: Config) -> list[str]:
    return sorted(Selection(config, RULES, cwd=ROOT).enabled_ids)


DEFAULTS = ["D002", "E001", "E004", "E005", "K005", "N002", "S005", "S006", "S013"]


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        (Config(root=ROOT), DEFAULTS),
        (Config(select=("S",), root=ROOT), ["E001", "E004", "S005", "S006", "S013"]),
        (Config(select=("S00",), root=ROOT), ["E001", "E004", "S005", "S006"]),
        (Config(extend_select=("N006",), root=ROOT), [*DEFAULTS[:6], "N006", *DEFAULTS[6:]]),
        (Config(ignore=("S",), root=ROOT), ["D002", "E001", "E004", "E005", "K005", "N002"]),
        # The more specific selector wins, whichever side it is on.
        (Config(select=("S",), ignore=("S005",), root=ROOT), ["E001", "E004", "S006", "S013"]),
        (Config(select=("S005",), ignore=("S",), root=ROOT), ["E001", "E004", "S005"]),
        (Config(select=("S00",), ignore=("S0",), root=ROOT), ["E001", "E004", "S005", "S006"]),
        # At equal specificity, ignore beats select.
        (Config(select=("S005",), ignore=("S005",), root=ROOT), ["E001", "E004"]),
        (Config(select=("ALL",), root=ROOT), sorted(RULES)),
        (Config(select=("ALL",), ignore=("R", "N006"), root=ROOT), DEFAULTS),
        (Config(extend_select=("ALL",), ignore=("K005",), root=ROOT), sorted(set(RULES) - {"K005"})),
        # E001-E004 cannot be turned off by selection; E005 can.
        (Config(select=("N002",), root=ROOT), ["E001", "E004", "N002"]),
        (Config(ignore=("E",), root=ROOT), ["D002", "E001", "E004", "K005", "N002", "S005", "S006", "S013"]),
        (Config(select=(), root=ROOT), ["E001", "E004"]),
    ],
)
def test_selection(config: Config, expected: list[str]) -> None:
    assert _enabled(config) == expected


def test_cli_select_replaces_the_file_layer_like_ruff() -> None:
    # The file ignores S005; `--select S005` starts afresh, so S005 runs.
    config = apply_cli(Config(ignore=("S005",), extend_select=("N006",), root=ROOT), select="S005")
    assert _enabled(config) == ["E001", "E004", "S005"]


def test_cli_ignore_and_extend_select_amend_the_file_layer() -> None:
    config = apply_cli(Config(select=("S",), root=ROOT), ignore="S006", extend_select=["N006", "R"])
    assert _enabled(config) == ["E001", "E004", "N006", "R008", "S005", "S013"]


def test_cli_extend_select_overrides_a_more_specific_file_ignore() -> None:
    # Layers apply in order: the command line comes after the file.
    config = apply_cli(Config(ignore=("S005",), root=ROOT), extend_select="S")
    assert _enabled(config) == DEFAULTS


def test_unknown_id_from_an_unchecked_cli_layer() -> None:
    with pytest.raises(UserError) as raised:
        Selection(apply_cli(Config(root=ROOT), extend_select="S005,X1"), RULES)
    assert str(raised.value) == "unknown rule id or prefix 'X1' in the command line"


def test_always_on_ignored_from_an_unchecked_cli_layer() -> None:
    with pytest.raises(UserError) as raised:
        Selection(apply_cli(Config(root=ROOT), ignore="E004"), RULES)
    assert str(raised.value) == "E004 cannot be ignored (in the command line): input problems are always reported"


def test_enabled_rules_in_id_order() -> None:
    selection = Selection(Config(select=("S005", "D"), root=ROOT), RULES, cwd=ROOT)
    assert [rule.id for rule in selection.enabled_rules()] == ["D002", "E001", "E004", "S005"]
    assert (selection.enabled("S005"), selection.enabled("S006"), selection.enabled("Z999")) == (True, False, False)


def test_severity_override_and_default() -> None:
    selection = Selection(
        Config(severity={"S005": Severity.WARNING, "E004": Severity.INFO}, root=ROOT), RULES, cwd=ROOT
    )
    assert [selection.severity(rule_id) for rule_id in ("S005", "E004", "S006")] == [
        Severity.WARNING,
        Severity.INFO,
        Severity.WARNING,
    ]


def test_options_merge_defaults_with_configured_values() -> None:
    selection = Selection(Config(rules={"K005": {"max": 8}}, root=ROOT), RULES, cwd=ROOT)
    assert (selection.options("K005"), selection.options("S005")) == ({"max": 8}, {})
    assert Selection(Config(root=ROOT), RULES, cwd=ROOT).options("K005") == {"max": 5}


# --- per-file-ignores and exclude ------------------------------------------------------------
PER_FILE = {
    "migrations/legacy/**": ("S",),
    "*.down.sql": ("D002",),
    "db/0001_init.sql": ("E001", "N"),
    "schema/*.prisma": ("ALL",),
}


@pytest.mark.parametrize(
    ("path", "rule_id", "ignored"),
    [
        ("migrations/legacy/2020/01_init.sql", "S005", True),
        ("migrations/legacy/01_init.sql", "S013", True),
        ("migrations/legacy/01_init.sql", "D002", False),
        ("migrations/current/01_init.sql", "S005", False),
        ("migrations/x/0002.down.sql", "D002", True),  # no '/' in the pattern: any folder
        ("0002.down.sql", "D002", True),
        ("migrations/x/0002.up.sql", "D002", False),
        ("db/0001_init.sql", "E001", True),  # always on, yet per-file-ignores silence it
        ("db/0001_init.sql", "N002", True),
        ("db/0001_init.sql", "S005", False),
        ("db/sub/0001_init.sql", "E001", False),
        ("schema/main.prisma", "K005", True),
        ("schema/nested/main.prisma", "K005", False),  # '*' stays within one folder
        ("./schema/main.prisma", "N002", True),
        ("/repo/schema/main.prisma", "N002", True),  # absolute paths are made relative to the root
        ("/elsewhere/schema/main.prisma", "N002", False),
    ],
)
def test_per_file_ignores(path: str, rule_id: str, ignored: bool) -> None:
    selection = Selection(Config(per_file_ignores=PER_FILE, root=ROOT), RULES, cwd=ROOT)
    assert selection.ignored_for(rule_id, path) is ignored


def test_per_file_globs_are_relative_to_the_config_root_not_cwd() -> None:
    # Run from /repo/services/api; the config sits in /repo; findings show paths relative to cwd.
    selection = Selection(
        Config(per_file_ignores={"services/api/migrations/*.sql": ("S005",)}, root=ROOT),
        RULES,
        cwd=ROOT / "services" / "api",
    )
    assert [selection.ignored_for("S005", path) for path in ("migrations/0001.sql", "../web/migrations/0001.sql")] == [
        True,
        False,
    ]
    assert selection.relative("../web/migrations/0001.sql") == "services/web/migrations/0001.sql"


def test_per_file_ignores_from_a_loaded_config(tmp_path: Path) -> None:
    (tmp_path / ".dbvet.yaml").write_text('per-file-ignores:\n  "legacy/*.sql": [S005, D]\n', encoding="utf-8")
    (tmp_path / "legacy").mkdir()
    config = load_config(RULES, tmp_path / "legacy")
    selection = Selection(config, RULES, cwd=tmp_path / "legacy")
    assert [selection.ignored_for(rule_id, "0001.sql") for rule_id in ("S005", "D002", "S006")] == [True, True, False]


@pytest.mark.parametrize(
    ("path", "excluded"),
    [
        ("vendor/pkg/migrations/0001.sql", True),
        ("app/vendor/x.sql", True),  # a bare name matches a folder anywhere
        ("vendors/x.sql", False),
        ("db/tmp_backup.sql", True),
        ("db/backup.sql", False),
        ("generated/a/b/schema.prisma", True),
        ("generated/schema.prisma", True),
        ("src/generated/schema.prisma", False),
    ],
)
def test_exclude(path: str, excluded: bool) -> None:
    selection = Selection(Config(exclude=("vendor/", "tmp_*.sql", "generated/**/*.prisma"), root=ROOT), RULES, cwd=ROOT)
    assert selection.excluded(path) is excluded


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("**/*.sql", "a/b/c.sql", True),
        ("**/*.sql", "c.sql", True),
        ("a/**/z.sql", "a/z.sql", True),
        ("a/**/z.sql", "a/b/c/z.sql", True),
        ("a/*.sql", "a/b/c.sql", False),
        ("a/?.sql", "a/b.sql", True),
        ("a/?.sql", "a/bb.sql", False),
        ("[!a]b.sql", "cb.sql", True),
        ("[!a]b.sql", "ab.sql", False),
        ("v[0-9].sql", "v7.sql", True),
        ("[]]x", "]x", True),
        ("a[b", "a[b", True),  # an unclosed bracket is a literal
        ("a+b(1).sql", "a+b(1).sql", True),  # regex characters are literals
    ],
)
def test_glob(pattern: str, path: str, matches: bool) -> None:
    assert Glob(pattern).matches(path) is matches
