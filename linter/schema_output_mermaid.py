"""`dbvet schema --format mermaid`: an entity-relationship diagram that GitHub renders.

Written against Mermaid's erDiagram grammar (`erDiagram.jison` in mermaid-js/mermaid), using
only what Mermaid 10.9 and 11.3 (GitHub's renderer, which lags the newest release) accept as
well as the current version:
- Entity names are always double-quoted: a quoted name may hold dots, spaces, dashes and any
  letter, and quoting keeps names like `one`, `many`, `end` or `class` from reading as
  keywords. A quoted name cannot hold `"`, `%`, `\\` or line breaks; those become `_`.
  Mermaid 11 reads `direction LR` (TB, BT, RL) anywhere in a line as a layout statement, so
  the space after such a `direction` becomes `_`.
- An attribute is `type name [PK, FK, UK] "comment"`. Type and name must be single ASCII
  words of letters, digits, `_`, `(`, `)`, `[` and `]`: accents are dropped (`café` →
  `cafe`), anything else becomes `_` (`größe` → `gro_e`), and so does a comma (newer than
  Mermaid 11.3), so `numeric(19,4)` prints as `numeric(19_4)`. PostgreSQL's long spellings are
  shortened (`character varying(255)` → `varchar(255)`, `timestamp(3) without time zone` →
  `timestamp(3)`, `… with time zone` → `timestamptz`), and MySQL's `enum('a','b')` prints
  as `enum`. A word that begins with PK, FK or UK on its own would read as a key mark, so an
  `_` follows those two letters. When a column's name had to change, its comment starts
  with the real name.
- Comments are one line of at most 80 characters; `"` becomes `'`, `<`/`>` become `‹`/`›`
  (the renderer treats them as HTML) and `~` becomes `∼` (it marks generic types).
- One relationship per foreign key, drawn from the referenced table to the referencing one
  and labelled with the constraint's name: the referenced side is `||` (exactly one) when
  every key column is NOT NULL, else `|o` (zero or one); the referencing side is `o|` (zero
  or one) when the key columns are unique, else `o{` (zero or more).
Several schemas print as several diagrams, each after a `%% <path>` comment line.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from linter.report.common import LINE_BREAK, defuse, one_line, visible
from linter.schema_output_json import DEFAULT_PG_SCHEMA, column_keys, display_name, is_one_to_one, schema_facts

if TYPE_CHECKING:
    from linter.schema_output import SchemaSource

COMMENT_LIMIT = 80
INDENT = "    "

_ENTITY_FORBIDDEN = re.compile(r'["%\\\x00-\x1f\x7f\x85\u2028\u2029]')
# Mermaid 11 reads a line holding `direction TB` (or BT, RL, LR) anywhere as a layout
# statement, even inside a quoted name.
_DIRECTION = re.compile(r"(direction)\s+(?=(?:tb|bt|rl|lr))", re.IGNORECASE)
_NOT_IN_WORD = re.compile(r"[^A-Za-z0-9_()\[\]]+")
_NOT_IN_NAME = re.compile(r"[^A-Za-z0-9_]+")
_KEY_WORD = re.compile(r"(?:pk|fk|uk)(?![A-Za-z0-9_])", re.IGNORECASE)
_WORD_START = re.compile(r"[A-Za-z_]")
_SPACES = re.compile(r"\s+")
_TYPE_SPELLINGS = (
    (re.compile(r"^(?:enum|set)\s*\(.*\)$", re.IGNORECASE | re.DOTALL), lambda m: m.group(0).split("(")[0].strip()),
    (re.compile(r"\bcharacter varying\b"), lambda m: "varchar"),
    (re.compile(r"\bbit varying\b"), lambda m: "varbit"),
    (re.compile(r"\bcharacter\b"), lambda m: "char"),
    (re.compile(r"\bdouble precision\b"), lambda m: "double"),
    (re.compile(r"\b(timestamp|time)(\(\d+\))? with time zone\b"), lambda m: f"{m.group(1)}tz{m.group(2) or ''}"),
    (re.compile(r"\b(timestamp|time)(\(\d+\))? without time zone\b"), lambda m: f"{m.group(1)}{m.group(2) or ''}"),
)


def render_mermaid(sources: list[SchemaSource]) -> str:
    diagrams = [diagram(source.schema.dialect, schema_facts(source.schema), source.path) for source in sources]
    return "\n".join(diagrams)


def diagram(dialect: str | None, facts: dict[str, Any], path: str | None = None) -> str:
    """One erDiagram (with a `%% path` comment line first when a path is given)."""
    names = _EntityNames(dialect)
    lines = [f"%% {one_line(path)}"] if path is not None else []
    lines.append("erDiagram")
    tables = facts["tables"]
    for key, table in tables.items():
        entity = names.entity(key)
        attributes = _attributes(table)
        if attributes:
            lines.append(f"{INDENT}{entity} {{")
            lines.extend(f"{INDENT}{INDENT}{attribute}" for attribute in attributes)
            lines.append(f"{INDENT}}}")
        else:
            lines.append(f"{INDENT}{entity}")
    for key, table in tables.items():
        for fk in table["foreign_keys"]:
            required = all(not table["columns"].get(c, {}).get("nullable", True) for c in fk["columns"])
            parent_side = "||" if required else "|o"
            child_side = "o|" if is_one_to_one(table, fk["columns"]) else "o{"
            label = _quoted(fk["name"] or ", ".join(fk["columns"]))
            lines.append(
                f"{INDENT}{names.entity(fk['ref_table'])} {parent_side}--{child_side} {names.entity(key)} : {label}"
            )
    return "".join(defuse(line) + "\n" for line in lines)


class _EntityNames:
    """Quoted entity names, one per table key, distinct even when cleaning makes two alike."""

    def __init__(self, dialect: str | None) -> None:
        self.dialect = dialect
        self.by_key: dict[str, str] = {}
        self.taken: set[str] = set()

    def entity(self, key: str) -> str:
        found = self.by_key.get(key)
        if found is None:
            base = _quoted(display_name(key, self.dialect))
            found, number = base, 2
            while found in self.taken:
                found = f'{base[:-1]}_{number}"'
                number += 1
            self.taken.add(found)
            self.by_key[key] = found
        return found


def _quoted(text: str) -> str:
    cleaned = _DIRECTION.sub(r"\1_", _ENTITY_FORBIDDEN.sub("_", visible(text))).strip()
    return f'"{cleaned or "_"}"'


def _attributes(table: dict[str, Any]) -> list[str]:
    keys = column_keys(table)
    out = []
    for name, column in table["columns"].items():
        shown = _word(name, _NOT_IN_NAME)
        notes = [name] if shown != name else []
        if column["comment"]:
            notes.append(column["comment"])
        parts = [_word(mermaid_type(column["type"]), _NOT_IN_WORD), shown]
        if keys[name]:
            parts.append(", ".join(keys[name]))
        if notes:
            parts.append(_comment(": ".join(notes)))
        out.append(" ".join(parts))
    return out


def mermaid_type(sql_type: str) -> str:
    """A column type in words Mermaid's attribute grammar accepts."""
    text = _SPACES.sub(" ", sql_type.strip())
    for pattern, replacement in _TYPE_SPELLINGS:
        text = pattern.sub(replacement, text)
    text = text.replace('"', "")
    if text.startswith(DEFAULT_PG_SCHEMA + "."):
        text = text[len(DEFAULT_PG_SCHEMA) + 1 :]
    return text


def _word(text: str, not_allowed: re.Pattern[str]) -> str:
    text = text.strip()
    if not text.isascii():
        text = "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))
    word = not_allowed.sub("_", text) or "_"
    if not _WORD_START.match(word):
        word = "_" + word
    if _KEY_WORD.match(word):
        word = f"{word[:2]}_{word[2:]}"
    return word


def _comment(text: str) -> str:
    text = _SPACES.sub(" ", visible(LINE_BREAK.sub(" ", text))).strip()
    if len(text) > COMMENT_LIMIT:
        text = text[: COMMENT_LIMIT - 1].rstrip() + "…"
    text = text.replace('"', "'").replace("<", "‹").replace(">", "›").replace("~", "∼")
    return f'"{text}"'
