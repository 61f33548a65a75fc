"""The README's rule table is generated from the rule declarations and must not drift.

    python tests/test_readme.py --write     # regenerate it after changing a rule
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
sys.path.insert(0, str(README.parent))

from rules import all_rules  # noqa: E402

from linter.docs import rules_markdown_table  # noqa: E402

_TABLE = re.compile(r"(<!-- rules-table: [^\n]*-->\n)(.*?)(<!-- end of rules-table -->)", re.S)


def test_readme_rule_table_is_current():
    match = _TABLE.search(README.read_text(encoding="utf-8"))
    assert match, "README.md lost its rules-table markers"
    assert match.group(2) == rules_markdown_table(all_rules()).rstrip("\n") + "\n"


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    text = README.read_text(encoding="utf-8")
    table = rules_markdown_table(all_rules()).rstrip("\n") + "\n"
    README.write_text(_TABLE.sub(lambda m: m.group(1) + table + m.group(3), text), encoding="utf-8")
