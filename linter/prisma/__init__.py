"""Reading Prisma schemas: a parser of our own with exact spans (`parse_prisma`), and the
translation of a schema into the neutral `Schema` that Prisma Migrate would create
(`to_schema`)."""

from linter.prisma.ast import PrismaDocument
from linter.prisma.parser import parse_prisma
from linter.prisma.to_schema import to_schema

__all__ = ["PrismaDocument", "parse_prisma", "to_schema"]
