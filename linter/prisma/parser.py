"""A parser for the Prisma Schema Language, written after Prisma's own grammar
(`psl/schema-ast/src/parser/datamodel.pest`), that never raises.

The grammar is line-based: a field, enum value, config entry or `@@` attribute is one line,
and attribute arguments cannot span lines. Doc comments (`///`, and `/* */` blocks) directly
above a block, or anywhere above a field or enum value since the previous comment run, become
its `doc`, as in Prisma. A syntax error becomes a `SyntaxProblem` at the token where parsing
stopped; the parser then skips to the next line (inside a block) or to the next top-level
block, so one mistake does not hide the rest of the schema.
"""

from __future__ import annotations

from linter.findings import Span
from linter.prisma.ast import (
    BLOCK_KEYWORDS,
    COMPOSITE_TYPE,
    DATASOURCE,
    ENUM,
    GENERATOR,
    MODEL,
    VIEW,
    Block,
    ConfigEntry,
    EnumValue,
    Field,
    FieldType,
    PrismaDocument,
    Value,
)
from linter.prisma.cursor import LINE_END, Abort, TokenCursor
from linter.prisma.lexer import BAD, COMMENT_KINDS, EOF, IDENT, NEWLINE, NUMBER, STRING
from linter.source import SourceFile

_FIELD_BLOCKS = frozenset({MODEL, VIEW, COMPOSITE_TYPE})
_NAME_KINDS = frozenset({IDENT, NUMBER})


def parse_prisma(files: list[SourceFile]) -> PrismaDocument:
    """Parse one schema file, or all files of a schema folder, into one document."""
    document = PrismaDocument(files=list(files))
    for file in files:
        _FileParser(file, document).parse()
    return document


class _FileParser(TokenCursor):
    def starts_block(self, index: int) -> bool:
        kinds = self.kinds
        return (
            kinds[index] == IDENT
            and kinds[index + 1] in _NAME_KINDS
            and kinds[index + 2] == "{"
            and self.token_text(index) in BLOCK_KEYWORDS
        )

    def comment_run(self) -> str | None:
        """Consume consecutive comment lines; return their doc text (None without `///`)."""
        kinds = self.kinds
        lines: list[str] = []
        while kinds[self.i] in COMMENT_KINDS and kinds[self.i + 1] in LINE_END:
            doc = self.doc_text(self.i)
            if doc is not None:
                lines.append(doc)
            self.i += 1
            if kinds[self.i] == NEWLINE:
                self.i += 1
        return "\n".join(lines) if lines else None

    # --- top level ------------------------------------------------------------------------
    def parse(self) -> None:
        kinds = self.kinds
        comments = self.document.comments
        for kind, start, end in zip(kinds, self.starts, self.ends):
            if kind in COMMENT_KINDS:
                comments.append((Span(self.file, start, end), self.text[start:end]))
        pending_doc: str | None = None
        while True:
            kind = kinds[self.i]
            if kind == EOF:
                return
            if kind == NEWLINE:
                self.i += 1
                pending_doc = None
                continue
            if kind in COMMENT_KINDS:
                if kinds[self.i + 1] in LINE_END:
                    pending_doc = self.comment_run()
                else:
                    self.i += 1  # a /* */ comment before other text on the line
                continue
            doc, pending_doc = pending_doc, None
            if kind == IDENT and self.token_text(self.i) in BLOCK_KEYWORDS:
                self.block(doc)
            else:
                self.invalid_top_level_line()

    def invalid_top_level_line(self) -> None:
        kinds = self.kinds
        first = self.i
        index = first
        while kinds[index] not in LINE_END and kinds[index] != "{":
            index += 1
        if kinds[first] == IDENT and kinds[index] == "{":
            self.error(
                first,
                f"block `{self.token_text(first)}` does not start with a Prisma keyword "
                "(model, enum, view, type, datasource or generator)",
            )
            self.i = index
            self.skip_to_block_end()
            return
        if kinds[first] == BAD:
            text = self.token_text(first)
            if text.startswith('"'):
                message = self.bad_string(first)
            elif text == "/*":
                message = "comment `/*` is never closed with `*/`"
            else:
                message = f"unexpected {self.describe(first)}"
        else:
            message = (
                f"unexpected {self.describe(first)}: a line outside blocks must start a model, enum, view, type, "
                "datasource or generator block"
            )
        self.error(first, message)
        self.skip_rest_of_line()

    def skip_to_block_end(self) -> None:
        """After an unreadable block header: skip to its `}` (or to the next block)."""
        kinds = self.kinds
        line_start = False
        while True:
            kind = kinds[self.i]
            if kind == EOF:
                return
            if kind == "}":
                self.i += 1
                return
            if line_start and self.starts_block(self.i):
                return
            line_start = kind == NEWLINE
            self.i += 1

    # --- blocks ---------------------------------------------------------------------------
    def block(self, doc: str | None) -> None:
        kinds = self.kinds
        keyword_index = self.i
        keyword = self.token_text(keyword_index)
        self.i += 1
        if kinds[self.i] not in _NAME_KINDS:
            self.error(self.i, f"expected a name after `{keyword}`, found {self.describe(self.i)}")
            self.recover_header()
            return
        name_index = self.i
        name = self.token_text(name_index)
        self.i += 1
        if keyword == COMPOSITE_TYPE and kinds[self.i] == "=":
            self.error(keyword_index, f"invalid type definition `type {name} = …`: type aliases are not supported")
            self.skip_rest_of_line()
            return
        if kinds[self.i] != "{":
            self.error(self.i, f"expected `{{` after `{keyword} {name}`, found {self.describe(self.i)}")
            self.recover_header()
            return
        self.i += 1
        header = self.span(self.starts[keyword_index], self.ends[name_index])
        block = Block(
            kind=keyword,
            name=name,
            name_span=self.token_span(name_index),
            header_span=header,
            span=header,
            doc=doc,
        )
        self.document.blocks.append(block)
        # Prisma ignores whatever follows `{` on its line. A `}` there would be ignored too,
        # leaving the block open: report it, but close the block to read on sensibly.
        while kinds[self.i] not in LINE_END:
            if kinds[self.i] == "}":
                self.error(self.i, f"expected a line break between `{{` and `}}` of {keyword} `{name}`")
                block.span = self.span(header.start, self.ends[self.i])
                self.i += 1
                return
            self.i += 1
        self.block_body(block, keyword_index)

    def recover_header(self) -> None:
        kinds = self.kinds
        index = self.i
        while kinds[index] not in LINE_END and kinds[index] != "{":
            index += 1
        if kinds[index] == "{":
            self.i = index
            self.skip_to_block_end()
        else:
            self.skip_rest_of_line()

    def block_body(self, block: Block, keyword_index: int) -> None:
        kinds = self.kinds
        pending_doc: str | None = None
        opened_line = self.file.position(self.starts[keyword_index]).line
        while True:
            kind = kinds[self.i]
            if kind == "}":
                block.span = self.span(block.header_span.start, self.ends[self.i])
                self.i += 1
                return
            if kind == EOF:
                self.error(self.i, f"expected `}}` to close {block.kind} `{block.name}` (opened on line {opened_line})")
                block.span = self.span(block.header_span.start, self.starts[self.i])
                return
            if kind == NEWLINE:
                self.i += 1
                continue
            if kind in COMMENT_KINDS:
                if kinds[self.i + 1] in LINE_END:
                    pending_doc = self.comment_run()
                else:
                    self.i += 1
                continue
            if self.starts_block(self.i):
                self.error(
                    self.i,
                    f"expected `}}` to close {block.kind} `{block.name}` (opened on line {opened_line}) "
                    f"before this {self.token_text(self.i)}",
                )
                block.span = self.span(block.header_span.start, self.ends[self.i - 1])
                return
            try:
                if kind == "@@" and block.kind not in (DATASOURCE, GENERATOR):
                    attribute = self.attribute(block, block_level=True)
                    block.attributes.append(attribute)
                    self.end_of_line(f"attribute `@@{attribute.name}`")
                elif kind in _NAME_KINDS:
                    doc, pending_doc = pending_doc, None
                    if block.kind in _FIELD_BLOCKS:
                        self.field(block, doc)
                    elif block.kind == ENUM:
                        self.enum_value(block, doc)
                    else:
                        self.config_entry(block)
                else:
                    what = {ENUM: "an enum value", DATASOURCE: "a setting", GENERATOR: "a setting"}.get(
                        block.kind, "a field"
                    )
                    extra = "" if block.kind in (DATASOURCE, GENERATOR) else " or a block attribute (`@@…`)"
                    self.fail(self.i, f"unexpected {self.describe(self.i)}: expected {what}{extra}")
            except Abort:
                self.skip_rest_of_line()

    # --- lines ----------------------------------------------------------------------------
    def field(self, block: Block, doc: str | None) -> None:
        kinds = self.kinds
        name_index = self.i
        name = self.token_text(name_index)
        self.i += 1
        if kinds[self.i] == ":":
            self.error(self.i, "field declarations don't take a `:` (write `name Type`)")
            self.i += 1
        field_type = self.field_type()
        if field_type is None:
            self.fail(
                self.i,
                f"field `{name}` has no type (expected `{name} Type`), found {self.describe(self.i)}",
            )
        field = Field(
            name=name,
            name_span=self.token_span(name_index),
            type=field_type,
            attributes=[],
            span=self.token_span(name_index),
            doc=doc,
            block=block,
        )
        while kinds[self.i] == "@":
            field.attributes.append(self.attribute(field, block_level=False))
        field.span = self.span(self.starts[name_index], self.ends[self.i - 1])
        block.fields.append(field)
        trailing = self.end_of_line(f"field `{name}`")
        if trailing is not None:
            field.doc = trailing if field.doc is None else f"{field.doc}\n{trailing}"

    def field_type(self) -> FieldType | None:
        kinds = self.kinds
        start_index = self.i
        if kinds[start_index] == "[":
            if kinds[start_index + 1] == IDENT and kinds[start_index + 2] == "]":
                self.i += 3
                self.error(start_index, "to declare a list, write `Type[]` instead of `[Type]`")
                name = self.token_text(start_index + 1)
                return FieldType(name, self.span(self.starts[start_index], self.ends[self.i - 1]), list=True)
            return None
        if kinds[start_index] != IDENT:
            return None
        name = self.token_text(start_index)
        self.i += 1
        unsupported = False
        if name == "Unsupported" and kinds[self.i] == "(":
            self.i += 1
            if kinds[self.i] != STRING:
                self.fail_expected(self.i, 'the database type as a string, as in `Unsupported("tsvector")`')
            name = self.string_value(self.i).value
            self.i += 1
            if kinds[self.i] != ")":
                self.fail_expected(self.i, "`)`")
            self.i += 1
            unsupported = True
        optional = is_list = False
        if kinds[self.i] == "[" and kinds[self.i + 1] == "]":
            is_list = True
            self.i += 2
            if kinds[self.i] == "?":
                self.error(self.i, "optional lists are not supported; use either `Type[]` or `Type?`")
                self.i += 1
        elif kinds[self.i] == "?":
            optional = True
            self.i += 1
        elif kinds[self.i] == "!":
            self.error(self.i, "fields are required by default; `!` is no longer needed")
            self.i += 1
        span = self.span(self.starts[start_index], self.ends[self.i - 1])
        return FieldType(name, span, optional=optional, list=is_list, unsupported=unsupported)

    def enum_value(self, block: Block, doc: str | None) -> None:
        name_index = self.i
        self.i += 1
        value = EnumValue(
            name=self.token_text(name_index),
            name_span=self.token_span(name_index),
            attributes=[],
            span=self.token_span(name_index),
            doc=doc,
        )
        while self.kinds[self.i] == "@":
            value.attributes.append(self.attribute(value, block_level=False))
        value.span = self.span(self.starts[name_index], self.ends[self.i - 1])
        block.values.append(value)
        trailing = self.end_of_line(f"enum value `{value.name}`")
        if trailing is not None:
            value.doc = trailing if value.doc is None else f"{value.doc}\n{trailing}"

    def config_entry(self, block: Block) -> None:
        key_index = self.i
        key = self.token_text(key_index)
        self.i += 1
        if self.kinds[self.i] != "=":
            self.fail_expected(self.i, f"`=` after `{key}` (settings are written `{key} = value`)")
        self.i += 1
        value: Value | None = None
        if self.kinds[self.i] in LINE_END or self.kinds[self.i] in COMMENT_KINDS:
            self.error(self.i, f"setting `{key}` has no value")
        else:
            value = self.expression()
        end = self.ends[self.i - 1]
        block.entries.append(
            ConfigEntry(key, self.token_span(key_index), value, self.span(self.starts[key_index], end))
        )
        self.end_of_line(f"setting `{key}`")
