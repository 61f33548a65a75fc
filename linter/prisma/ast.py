"""The Prisma schema syntax tree: every node knows its exact place in its file.

Nodes mirror Prisma's own AST (`psl/schema-ast`): blocks (`model`, `view`, `type`, `enum`,
`datasource`, `generator`), fields, enum values, config entries, attributes with their
arguments, and expressions (strings, numbers, constants, function calls, arrays). Spans are
character offsets into the file's text, so a rule can point at an attribute or insert text
right after a field's type.
"""

from __future__ import annotations

from linter.dialects import SyntaxProblem
from linter.findings import Span
from linter.records import Record, field
from linter.source import SourceFile

MODEL = "model"
VIEW = "view"
COMPOSITE_TYPE = "type"
ENUM = "enum"
DATASOURCE = "datasource"
GENERATOR = "generator"
BLOCK_KEYWORDS = frozenset({MODEL, VIEW, COMPOSITE_TYPE, ENUM, DATASOURCE, GENERATOR})


# --- expressions --------------------------------------------------------------------------
class StringValue(Record, eq=False):
    value: str  # escapes decoded
    span: Span  # including the quotes


class NumberValue(Record, eq=False):
    text: str  # as written: "10", "-1", "0.5"
    span: Span

    @property
    def is_integer(self) -> bool:
        return "." not in self.text


class ConstantValue(Record, eq=False):
    """A bare identifier or dotted path: `true`, `Cascade`, `Desc`, `Hash`, a field name."""

    name: str
    span: Span


class FunctionValue(Record, eq=False):
    """`now()`, `dbgenerated("…")`, `env("URL")`, or a field reference with arguments
    such as `title(sort: Desc, length: 10)`."""

    name: str
    arguments: list[Argument]
    span: Span

    def argument(self, name: str | None, position: int | None = None) -> Argument | None:
        return find_argument(self.arguments, name, position)


class ArrayValue(Record, eq=False):
    items: list[Value]
    span: Span


Value = StringValue | NumberValue | ConstantValue | FunctionValue | ArrayValue


class Argument(Record, eq=False):
    name: str | None  # None for a positional argument
    value: Value | None  # None only for `name:` with nothing after it (reported as an error)
    span: Span
    name_span: Span | None = None


def find_argument(arguments: list[Argument], name: str | None, position: int | None = None) -> Argument | None:
    """The argument called `name`, else the `position`-th unnamed one (Prisma lets the first
    argument of most attributes be written either way: `@map("x")` or `@map(name: "x")`)."""
    if name is not None:
        for argument in arguments:
            if argument.name == name:
                return argument
    if position is not None:
        index = 0
        for argument in arguments:
            if argument.name is None:
                if index == position:
                    return argument
                index += 1
    return None


# --- attributes, fields, entries ----------------------------------------------------------
class Attribute(Record, eq=False):
    name: str  # without the @ signs: "id", "default", "db.VarChar", "index"
    block: bool  # written with @@
    arguments: list[Argument]
    span: Span  # from the @ to the closing parenthesis (or the end of the name)
    name_span: Span
    parent: object = field(default=None, repr=False)  # the Field, EnumValue or Block it is on

    def argument(self, name: str | None, position: int | None = None) -> Argument | None:
        return find_argument(self.arguments, name, position)

    def value(self, name: str | None, position: int | None = None) -> Value | None:
        argument = find_argument(self.arguments, name, position)
        return argument.value if argument is not None else None

    def string(self, name: str | None, position: int | None = None) -> str | None:
        value = self.value(name, position)
        return value.value if isinstance(value, StringValue) else None


class FieldType(Record, eq=False):
    name: str  # the type name; for Unsupported("…") the quoted text
    span: Span  # the type as written, including `?` or `[]`
    optional: bool = False
    list: bool = False
    unsupported: bool = False


class Field(Record, eq=False):
    name: str
    name_span: Span
    type: FieldType | None
    attributes: list[Attribute]
    span: Span  # from the name to the end of the last attribute (trailing comment excluded)
    doc: str | None = None  # `///` lines before it and a trailing `///` comment
    block: Block | None = field(default=None, repr=False)

    def attribute(self, name: str) -> Attribute | None:
        for attribute in self.attributes:
            if attribute.name == name:
                return attribute
        return None

    def has(self, name: str) -> bool:
        return self.attribute(name) is not None


class EnumValue(Record, eq=False):
    name: str
    name_span: Span
    attributes: list[Attribute]
    span: Span
    doc: str | None = None

    def attribute(self, name: str) -> Attribute | None:
        for attribute in self.attributes:
            if attribute.name == name:
                return attribute
        return None


class ConfigEntry(Record, eq=False):
    """`provider = "postgresql"` in a datasource or generator block."""

    key: str
    key_span: Span
    value: Value | None
    span: Span


class Block(Record, eq=False):
    kind: str  # MODEL, VIEW, COMPOSITE_TYPE, ENUM, DATASOURCE or GENERATOR
    name: str
    name_span: Span
    header_span: Span  # from the keyword to the end of the name: where block findings point
    span: Span  # the whole block, keyword to closing brace
    doc: str | None = None
    fields: list[Field] = field(default_factory=list)  # models, views, composite types
    values: list[EnumValue] = field(default_factory=list)  # enums
    entries: list[ConfigEntry] = field(default_factory=list)  # datasource, generator
    attributes: list[Attribute] = field(default_factory=list)  # @@ attributes

    @property
    def file(self) -> SourceFile:
        return self.span.file

    def attribute(self, name: str) -> Attribute | None:
        for attribute in self.attributes:
            if attribute.name == name:
                return attribute
        return None

    def entry(self, key: str) -> ConfigEntry | None:
        for entry in self.entries:
            if entry.key == key:
                return entry
        return None

    def find_field(self, name: str) -> Field | None:
        for item in self.fields:
            if item.name == name:
                return item
        return None


class PrismaDocument(Record, eq=False):
    """All blocks of a schema (one file, or every file of a schema folder), in file order."""

    files: list[SourceFile] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    errors: list[SyntaxProblem] = field(default_factory=list)
    # Every `//`, `///` and `/* */` comment with its span and raw text (slashes included), for
    # suppression comments such as `// dbvet: ignore N002`.
    comments: list[tuple[Span, str]] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Block]:
        return [block for block in self.blocks if block.kind == kind]

    @property
    def models(self) -> list[Block]:
        return self.of_kind(MODEL)

    @property
    def views(self) -> list[Block]:
        return self.of_kind(VIEW)

    @property
    def enums(self) -> list[Block]:
        return self.of_kind(ENUM)

    @property
    def composite_types(self) -> list[Block]:
        return self.of_kind(COMPOSITE_TYPE)

    @property
    def datasource(self) -> Block | None:
        for block in self.blocks:
            if block.kind == DATASOURCE:
                return block
        return None

    def config_string(self, key: str) -> str | None:
        """A string setting of the datasource, e.g. `provider` or `relationMode`."""
        datasource = self.datasource
        entry = datasource.entry(key) if datasource is not None else None
        if entry is not None and isinstance(entry.value, StringValue):
            return entry.value.value
        return None

    @property
    def provider(self) -> str | None:
        return self.config_string("provider")
