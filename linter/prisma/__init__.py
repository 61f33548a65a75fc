"""Reading Prisma schemas: a parser of our own with exact spans (`parse_prisma`), and the
translation of a schema into the neutral `Schema` that Prisma Migrate would create
(`to_schema`)."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from linter.prisma.ast import PrismaDocument
    from linter.prisma.parser import parse_prisma
    from linter.prisma.to_schema import to_schema

__all__ = ["PrismaDocument", "parse_prisma", "to_schema"]

# Each name's module, imported on first use: rules import `linter.prisma.ast` for a type or two,
# and a check without a Prisma schema should not pay for the parser and the translation.
_HOME = {
    "PrismaDocument": "linter.prisma.ast",
    "parse_prisma": "linter.prisma.parser",
    "to_schema": "linter.prisma.to_schema",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_HOME[name]), name)
    globals()[name] = value
    return value
