"""The checks. Each module declares one rule (a `linter.rule.Rule` subclass); adding a module
here is all it takes to add a rule."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from linter.rule import Rule


@cache
def all_rules() -> dict[str, type[Rule]]:
    """Every rule, by id, in id order."""
    found: dict[str, type[Rule]] = {}
    for module_info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Rule) and value.__module__ == module.__name__:
                if getattr(value, "id", None):
                    found[value.id] = value
    return dict(sorted(found.items()))
