"""Small Rule classes for tests that must not depend on the real catalog."""

from __future__ import annotations

from linter.findings import Severity
from linter.rule import Option, Rule


def make_rule(rule_id: str, severity: Severity, default_on: bool = True, **options: Option) -> type[Rule]:
    return type(
        rule_id,
        (Rule,),
        {"id": rule_id, "name": rule_id.lower(), "severity": severity, "default_on": default_on, "options": options},
    )
