from __future__ import annotations

import re
from typing import ClassVar

from report_sample import RULES, CreateIndexBlocking, TableNameSnakeCase

from linter.docs import explain_markdown, explain_text, rules_markdown_table, rules_table
from linter.findings import Severity
from linter.rule import Doc, Example, Option, Rule

S005_TEXT = """\
S005 create-index-blocking
  severity: error
  default:  on
  family:   S (PostgreSQL lock and rewrite safety)

CREATE INDEX without CONCURRENTLY on an existing table blocks writes while it builds.

What it catches
  `CREATE INDEX` without `CONCURRENTLY` on a table that existed before this migration.

Why it hurts
  A plain index build takes a SHARE lock: every write waits until the build ends.

Instead
  `CREATE INDEX CONCURRENTLY`, alone in its migration file.

Bad
  Earlier migration:
    CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);
  This migration:
    CREATE INDEX orders_customer_id_idx ON orders (customer_id);

Good
  Earlier migration:
    CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);
  This migration:
    CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);

Options (in the configuration: rules.S005.<option>)
  tables (default: ["orders", "users"])
      Tables | always checked.
"""

S005_MARKDOWN = """\
## S005 `create-index-blocking`

**Severity:** error · **Default:** on · **Family:** S (PostgreSQL lock and rewrite safety)

CREATE INDEX without CONCURRENTLY on an existing table blocks writes while it builds.

### What it catches

`CREATE INDEX` without `CONCURRENTLY` on a table that existed before this migration.

### Why it hurts

A plain index build takes a SHARE lock: every write waits until the build ends.

### Instead

`CREATE INDEX CONCURRENTLY`, alone in its migration file.

### Bad

Earlier migration:

```sql
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);
```

This migration:

```sql
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
```

### Good

Earlier migration:

```sql
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);
```

This migration:

```sql
CREATE INDEX CONCURRENTLY orders_customer_id_idx ON orders (customer_id);
```

### Options

Set in the configuration as `rules.S005.<option>`.

| option | default | description |
|---|---|---|
| `tables` | `["orders", "users"]` | Tables \\| always checked. |
"""

N001_TEXT = """\
N001 table-name-snake-case
  severity: warning
  default:  off
  family:   N (naming)

Table names are snake_case.

What it catches
  A table name that is not `^[a-z][a-z0-9_]*$`.

Why it hurts
  Mixed case forces quoting in every query.

Instead
  Name it in snake_case; in Prisma map it with `@@map("snake_name")`.

Bad
    model OrderItem {
      id Int @id
    }

Good
    model OrderItem {
      id Int @id
      @@map("order_items")
    }

Options
  none
"""

N001_MARKDOWN_TAIL = """\
### Bad

```prisma
model OrderItem {
  id Int @id
}
```

### Good

```prisma
model OrderItem {
  id Int @id
  @@map("order_items")
}
```

### Options

None.
"""


def test_explain_text():
    assert explain_text(CreateIndexBlocking) == S005_TEXT
    assert explain_text(TableNameSnakeCase) == N001_TEXT


def test_explain_markdown():
    assert explain_markdown(CreateIndexBlocking) == S005_MARKDOWN
    markdown = explain_markdown(TableNameSnakeCase)
    assert markdown.startswith(
        "## N001 `table-name-snake-case`\n\n**Severity:** warning · **Default:** off · **Family:** N (naming)\n"
    )
    assert markdown.endswith(N001_MARKDOWN_TAIL)


class Wordy(Rule):
    id = "K003"
    name = "primary-key-type"
    severity = Severity.INFO
    summary = "Primary keys are bigint or uuid."
    options: ClassVar[dict[str, Option]] = {
        "policy": Option("uuid-or-bigint", "One of uuid, bigint, uuid-or-bigint, any."),
        "max": Option(5, "Limit."),
    }
    doc = Doc(
        what="A primary key column whose type is a 32-bit integer or serial, which overflows after about two billion rows "
        "and then every insert fails; changing the type later rewrites the table and every table that references it.\n\n"
        "A second paragraph.",
        why="Why.",
        instead="Instead.",
        bad=Example(
            "CREATE TABLE t (id int PRIMARY KEY,\n\tx ```text```);\n",
            before=("A;\n", "B;\n"),
            options={"policy": "uuid"},
        ),
        good=Example("CREATE TABLE t (id bigint PRIMARY KEY);\n"),
    )


def test_long_paragraphs_wrap_and_examples_show_options_and_every_earlier_migration():
    assert explain_text(Wordy) == (
        "K003 primary-key-type\n"
        "  severity: info\n"
        "  default:  on\n"
        "  family:   K (keys and indexes)\n"
        "\n"
        "Primary keys are bigint or uuid.\n"
        "\n"
        "What it catches\n"
        "  A primary key column whose type is a 32-bit integer or serial, which overflows after\n"
        "  about two billion rows and then every insert fails; changing the type later rewrites\n"
        "  the table and every table that references it.\n"
        "\n"
        "  A second paragraph.\n"
        "\n"
        "Why it hurts\n"
        "  Why.\n"
        "\n"
        "Instead\n"
        "  Instead.\n"
        "\n"
        "Bad\n"
        '  With options: policy = "uuid"\n'
        "  Earlier migration 1:\n"
        "    A;\n"
        "  Earlier migration 2:\n"
        "    B;\n"
        "  This migration:\n"
        "    CREATE TABLE t (id int PRIMARY KEY,\n"
        "        x ```text```);\n"
        "\n"
        "Good\n"
        "    CREATE TABLE t (id bigint PRIMARY KEY);\n"
        "\n"
        "Options (in the configuration: rules.K003.<option>)\n"
        '  policy (default: "uuid-or-bigint")\n'
        "      One of uuid, bigint, uuid-or-bigint, any.\n"
        "  max (default: 5)\n"
        "      Limit.\n"
    )


def test_markdown_fence_is_longer_than_any_backtick_run_in_the_example():
    markdown = explain_markdown(Wordy)
    bad = markdown[markdown.index("### Bad") : markdown.index("### Good")]
    assert bad == (
        "### Bad\n"
        "\n"
        'With options: `policy = "uuid"`\n'
        "\n"
        "Earlier migration 1:\n"
        "\n"
        "```sql\nA;\n```\n"
        "\n"
        "Earlier migration 2:\n"
        "\n"
        "```sql\nB;\n```\n"
        "\n"
        "This migration:\n"
        "\n"
        "````sql\n"
        "CREATE TABLE t (id int PRIMARY KEY,\n"
        "\tx ```text```);\n"
        "````\n"
        "\n"
    )


def test_rules_table():
    assert rules_table({**RULES, "K003": Wordy}) == (
        "ID    NAME                   DEFAULT  SEVERITY  SUMMARY\n"
        "K003  primary-key-type       on       info      Primary keys are bigint or uuid.\n"
        "N001  table-name-snake-case  off      warning   Table names are snake_case.\n"
        "S005  create-index-blocking  on       error     "
        "CREATE INDEX without CONCURRENTLY on an existing table blocks writes while it builds.\n"
    )


def test_rules_markdown_table():
    class Piped(Wordy):
        id = "C006"
        summary = "text | varchar\ncolumn named status."

    assert rules_markdown_table({**RULES, "C006": Piped}) == (
        "| Rule | Name | Default | Severity | Summary |\n"
        "|---|---|---|---|---|\n"
        "| C006 | `primary-key-type` | on | info | text \\| varchar column named status. |\n"
        "| N001 | `table-name-snake-case` | off | warning | Table names are snake_case. |\n"
        "| S005 | `create-index-blocking` | on | error | "
        "CREATE INDEX without CONCURRENTLY on an existing table blocks writes while it builds. |\n"
    )


def test_empty_rule_tables():
    assert rules_table({}) == "ID  NAME  DEFAULT  SEVERITY  SUMMARY\n"
    assert rules_markdown_table({}) == "| Rule | Name | Default | Severity | Summary |\n|---|---|---|---|---|\n"


def test_every_registered_rule_renders():
    from rules import all_rules

    titles = ["What it catches", "Why it hurts", "Instead", "Bad", "Good"]
    for rule_id, rule in all_rules().items():
        text = explain_text(rule)
        assert text.startswith(f"{rule_id} {rule.name}\n  severity: {rule.severity}\n"), rule_id
        lines = text.split("\n")
        assert [line for line in lines if line in titles] == titles, rule_id
        markdown = explain_markdown(rule)
        assert markdown.startswith(f"## {rule_id} `{rule.name}`\n"), rule_id
        # every code block opens with a language and closes with a fence of the same length
        opened = None
        for fence, language in re.findall(r"^(`{3,})(\w*)$", markdown, flags=re.MULTILINE):
            if opened is None:
                assert language in ("sql", "prisma"), rule_id
                opened = fence
            else:
                assert (fence, language) == (opened, ""), rule_id
                opened = None
        assert opened is None, rule_id
    table = rules_table(all_rules()).split("\n")
    assert len(table) == len(all_rules()) + 2 and table[-1] == ""
