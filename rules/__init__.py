"""The checks. Each module declares one rule (a `linter.rule.Rule` subclass); adding a module
here is all it takes to add a rule."""

from __future__ import annotations

import importlib
import os
from functools import cache
from typing import Any, Mapping

from linter.findings import Severity
from linter.rule import Option, Rule

HOOKS = ("check_action", "check_schema", "check_set", "check_app")


@cache
def all_rules() -> dict[str, type[Rule]]:
    """Every rule, by id, in id order."""
    found: dict[str, type[Rule]] = {}
    for name in _module_names():
        module = importlib.import_module(f"{__name__}.{name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Rule) and value.__module__ == module.__name__:
                if getattr(value, "id", None):
                    found[value.id] = value
    return dict(sorted(found.items()))


def _module_names() -> list[str]:
    """The rule modules: this folder's `*.py` files. Not `pkgutil.iter_modules`, which imports
    `inspect` (~4 ms of a one-file run) only to read the names of files."""
    return sorted(
        entry.name.removesuffix(".py")
        for folder in __path__
        for entry in os.scandir(folder)
        if entry.name.endswith(".py") and not entry.name.startswith("_")
    )


class LazyRule:
    """A rule as the index records it: what configuration, selection and the cache key read,
    without importing the rule's module (and everything a rule imports: the schema model, the
    Prisma AST, …). Any other attribute imports the module and answers from the class, so a
    `LazyRule` stands in for its class wherever a rule is only read; the engine gets the class
    itself (`load`)."""

    __slots__ = (
        "id", "name", "severity", "default_on", "summary", "options", "hooks", "module", "qualname",
        "action_types", "reversal", "_class",
    )  # fmt: skip

    def __init__(self, record: tuple) -> None:
        rule_id, name, severity, default_on, summary, options, hooks, module, qualname, action_types, reversal = record
        self.id, self.name, self.severity, self.default_on, self.summary = rule_id, name, Severity(severity), default_on, summary
        self.options = {option: Option(default, help) for option, (default, help) in options.items()}
        self.hooks, self.module, self.qualname = frozenset(hooks), module, qualname
        # The action types a statement rule judges, as (module, name): the engine imports the
        # rule when the first such action comes (`linter.engine.RulesByAction`).
        self.action_types: tuple[tuple[str, str], ...] = tuple(map(tuple, action_types))
        self.reversal: bool = reversal
        self._class: type[Rule] | None = None

    def load(self) -> type[Rule]:
        if self._class is None:
            self._class = getattr(importlib.import_module(self.module), self.qualname)
        return self._class

    def implements(self, hook: str) -> bool:
        return hook in self.hooks

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self.load(), attribute)

    def __repr__(self) -> str:
        return f"<rule {self.id} from the index>"


def record_of(rule: type[Rule]) -> tuple:
    options = {name: (option.default, option.help) for name, option in rule.options.items()}
    hooks = tuple(hook for hook in HOOKS if rule.implements(hook))
    action_types = tuple((action.__module__, action.__qualname__) for action in rule.actions)
    return (
        rule.id, rule.name, int(rule.severity), rule.default_on, rule.summary, options, hooks,
        rule.__module__, rule.__qualname__, action_types, rule.reversal,
    )  # fmt: skip


def rule_class(rule: type[Rule] | LazyRule) -> type[Rule]:
    return rule.load() if isinstance(rule, LazyRule) else rule


def for_engine(rule: type[Rule] | LazyRule) -> type[Rule] | LazyRule:
    """What the engine is given for an enabled rule: its class, but a statement or
    application-code rule known from the index stays a LazyRule, for the engine to import when
    an action it judges, or an application file, comes."""
    if isinstance(rule, LazyRule) and (rule.hooks == {"check_action"} or rule.hooks == {"check_app"}):
        return rule
    return rule_class(rule)


def indexed_rules() -> Mapping[str, type[Rule] | LazyRule]:
    """Every rule, by id, from the index the last run with this code left in the cache
    directory, else imported (and the index written). A run whose results all come from the
    cache then never imports a rule module."""
    from linter import cache as cache_module

    records = cache_module.read_rule_index()
    if records is not None:
        try:
            return {record[0]: LazyRule(record) for record in records}
        except Exception:  # an index of another shape: import the rules, and write it anew
            pass
    rules = all_rules()
    cache_module.write_rule_index([record_of(rule) for rule in rules.values()])
    return rules
