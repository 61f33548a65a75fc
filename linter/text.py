"""Small text helpers shared by rules and reporters."""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NON_WORD = re.compile(r"[^0-9A-Za-z]+")
SNAKE_CASE = re.compile(r"[a-z][a-z0-9_]*")


def is_snake_case(name: str) -> bool:
    return SNAKE_CASE.fullmatch(name) is not None


def to_snake_case(name: str) -> str:
    """`createdAt` → `created_at`, `HTTPServer` → `http_server`, `Order Items` → `order_items`."""
    words = _NON_WORD.sub("_", _BOUNDARY.sub("_", name)).strip("_").lower()
    words = re.sub(r"_+", "_", words)
    if not words:
        return "x"
    return words if words[0].isalpha() else f"x_{words}"


def plural(count: int, word: str, plural_form: str | None = None) -> str:
    return f"{count} {word if count == 1 else (plural_form or word + 's')}"
