"""Pins discovery's speed shortcuts against their plain definitions."""

from __future__ import annotations

import re
import sys

import pytest

from linter import sniff
from linter.sniff import sniff_dialect


def _plain_sniff(texts: list[str]) -> tuple[str | None, str]:
    """`sniff_dialect` as defined: a marker counts when its word is in the lower-cased file and
    its pattern matches, with no second word (`_ALSO_NEEDS`) checked first."""
    found: dict[str, set[str]] = {dialect: set() for dialect in sniff._MARKERS}
    read = 0
    for text in texts:
        for dialect, markers in sniff._MARKERS.items():
            for label, pattern in markers.items():
                if sniff._NEEDS[label] in text.lower() and pattern.search(text):
                    found[dialect].add(label)
        read += len(text)
        if read > sniff._BUDGET:
            break
    ranked = sorted(found.items(), key=lambda item: len(item[1]), reverse=True)
    (best, evidence), others = ranked[0], ranked[1:]
    if len(evidence) >= 2 and not any(markers for _, markers in others):
        return best, ", ".join(sorted(evidence))
    shown = "; ".join(f"{d}: {', '.join(sorted(m))}" for d, m in ranked if m) or "no dialect-specific syntax"
    return None, shown


def test_only_z_folds_to_z() -> None:
    """The "z" every timestamptz match holds is in the lower-cased text: no other character
    matches `z` case-insensitively."""
    every_character = "".join(map(chr, range(sys.maxunicode + 1))).replace("\n", "")
    matching = set(re.findall("z", every_character, re.IGNORECASE))
    assert matching == {"z", "Z"}
    assert all(character.lower() == "z" for character in matching)


@pytest.mark.parametrize(
    "texts",
    [
        ["CREATE TABLE t (at timestamptz, id bigserial);"],
        ["CREATE TABLE t (at TIMESTAMPTZ, data JSONB);"],
        ["CREATE TABLE t (at timestamp with time zone, data jsonb);"],
        ["CREATE TABLE t (at TIMESTAMP(3)\r\n  WITH TIME ZONE, data jsonb);"],
        ['CREATE TABLE "zone" (at timestamp, data jsonb, id bigserial);'],
        ["CREATE TABLE t (at timestamp, data jsonb, id bigserial);"],
        ["CREATE TABLE t (at timestamp);", "CREATE TABLE u (at timestamptz, data jsonb);"],
        ["CREATE TABLE t (at timestamp); -- with time zone", "x int::text; SELECT $$ $$;"],
        ["CREATE TABLE t (at timestamp_tz, id bigserial, d jsonb);"],
        ["CREATE TABLE t (at timeſtamptz, d jsonb, id bigserial);"],  # long s folds to s, not into "timestamp"
        ["CREATE TABLE t (at timestamp, x TIMEſTAMPTZ, d jsonb, id bigserial);"],
        ["CREATE TABLE t (at timestamp, ǅ int) ENGINE=InnoDB AUTO_INCREMENT=3;"],
        ["CREATE TABLE über (at timestamp with time zone) ENGINE = InnoDB;"],
        ["PRAGMA foreign_keys = ON;\nCREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, z timestamp);"],
        ["a" * sniff._BUDGET, "CREATE TABLE t (at timestamptz, data jsonb);"],
        ["a" * (sniff._BUDGET - 10) + " timestamp ", "zone timestamptz jsonb"],
        [],
    ],
)
def test_sniff_matches_its_plain_definition(texts: list[str]) -> None:
    assert sniff_dialect(texts) == _plain_sniff(texts)
