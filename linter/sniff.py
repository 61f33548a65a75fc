"""Telling a migration set's dialect from its SQL, when nothing else says.

The last step before E004: configuration, lock file, Prisma provider and folder names come
first. Only syntax that one dialect alone accepts counts as evidence (PostgreSQL's `::` casts
and dollar quotes, MySQL's `AUTO_INCREMENT` and `ENGINE=`, SQLite's `AUTOINCREMENT` and
`PRAGMA`), and the answer must be clear: the leading dialect shows at least two different
markers and no other dialect shows any. Otherwise the set stays unknown.
"""

from __future__ import annotations

import re
from typing import Iterable

_MARKERS: dict[str, dict[str, re.Pattern[str]]] = {
    "postgresql": {
        "::casts": re.compile(r"::\s*[A-Za-z_\"]"),
        "$$ bodies": re.compile(r"\$(?:[A-Za-z_]\w*)?\$"),
        "jsonb": re.compile(r"\bjsonb\b", re.I),
        "timestamptz": re.compile(r"\btimestamptz\b|\btimestamp(?:\s*\(\d\))?\s+with\s+time\s+zone\b", re.I),
        "CREATE EXTENSION": re.compile(r"\bcreate\s+extension\b", re.I),
        "plpgsql": re.compile(r"\bplpgsql\b", re.I),
        "CONCURRENTLY": re.compile(r"\bindex\s+concurrently\b", re.I),
        "bigserial": re.compile(r"\bbigserial\b", re.I),
        "enum types": re.compile(r"\bcreate\s+type\s+\S+\s+as\s+enum\b", re.I),
        "OWNER TO": re.compile(r"\bowner\s+to\b", re.I),
    },
    "mysql": {
        "AUTO_INCREMENT": re.compile(r"\bauto_increment\b", re.I),
        "ENGINE=": re.compile(r"\bengine\s*=\s*\w", re.I),
        "UNSIGNED": re.compile(r"\bunsigned\b", re.I),
        "CHARSET": re.compile(r"\b(?:default\s+)?charset\s*=", re.I),
        "DELIMITER": re.compile(r"^\s*delimiter\s", re.I | re.M),
        "MODIFY COLUMN": re.compile(r"\bmodify\s+column\b", re.I),
    },
    "sqlite": {
        "AUTOINCREMENT": re.compile(r"\bautoincrement\b", re.I),
        "PRAGMA": re.compile(r"^\s*pragma\b", re.I | re.M),
        "WITHOUT ROWID": re.compile(r"\bwithout\s+rowid\b", re.I),
    },
}

# Enough text to decide; a large set's first files say as much as all of them.
_BUDGET = 2_000_000

# A word each marker's pattern cannot match without (checked in the lower-cased text first:
# `in` is far quicker than a case-insensitive regex over text that lacks the word).
_NEEDS = {
    "::casts": "::", "$$ bodies": "$", "jsonb": "jsonb", "timestamptz": "timestamp", "CREATE EXTENSION": "extension",
    "plpgsql": "plpgsql", "CONCURRENTLY": "concurrently", "bigserial": "bigserial", "enum types": "enum",
    "OWNER TO": "owner", "AUTO_INCREMENT": "auto_increment", "ENGINE=": "engine", "UNSIGNED": "unsigned",
    "CHARSET": "charset", "DELIMITER": "delimiter", "MODIFY COLUMN": "modify", "AUTOINCREMENT": "autoincrement",
    "PRAGMA": "pragma", "WITHOUT ROWID": "rowid",
}  # fmt: skip

# A second such word, where the first is common in SQL that the pattern does not match:
# "timestamptz" also needs a "z" (in "tz" or "zone"; no character but Z folds to z), or the
# search would run, and fail, on every file of plain `timestamp` columns.
_ALSO_NEEDS = {"timestamptz": "z"}


def sniff_dialect(texts: Iterable[str]) -> tuple[str | None, str]:
    """The dialect the SQL shows, and the evidence in words; (None, why) when it is not clear."""
    found: dict[str, set[str]] = {dialect: set() for dialect in _MARKERS}
    read = 0
    for text in texts:
        lowered = text.lower()
        for dialect, markers in _MARKERS.items():
            for label, pattern in markers.items():
                if (
                    label not in found[dialect]
                    and _NEEDS[label] in lowered
                    and _ALSO_NEEDS.get(label, "") in lowered
                    and pattern.search(text)
                ):
                    found[dialect].add(label)
        read += len(text)
        if read > _BUDGET:
            break
    ranked = sorted(found.items(), key=lambda item: len(item[1]), reverse=True)
    (best, evidence), others = ranked[0], ranked[1:]
    if len(evidence) >= 2 and not any(markers for _, markers in others):
        return best, ", ".join(sorted(evidence))
    shown = "; ".join(f"{d}: {', '.join(sorted(m))}" for d, m in ranked if m) or "no dialect-specific syntax"
    return None, shown
