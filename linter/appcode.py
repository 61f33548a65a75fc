"""A small JavaScript/TypeScript tokenizer: enough to find raw SQL calls without a JS parser.

It knows what hides code from a text search — strings, template literals (with nested `${}`
expressions, themselves holding strings and templates), comments and regex literals — and
yields the tokens that remain: identifiers, punctuation, string literals and template literals.
Tokens inside a template's `${}` follow the template's own token, each marked with the end of
the template it sits in, so a reader of a call's arguments can skip them.
"""

from __future__ import annotations

from linter.records import Record

IDENT = "ident"
PUNCT = "punct"
STRING = "string"
TEMPLATE = "template"
NUMBER = "number"
REGEX = "regex"

# After these keywords an expression starts, so a `/` opens a regex literal, not a division.
_EXPRESSION_KEYWORDS = frozenset(
    {"return", "typeof", "case", "in", "of", "new", "delete", "void", "throw", "instanceof", "yield", "await", "else", "do"}
)


class Token(Record, frozen=True):
    kind: str
    text: str  # identifiers and punctuation; empty for literals
    start: int
    end: int
    substitutions: bool = False  # a template literal with `${…}` in it
    inside: int = 0  # the end of the innermost template whose `${}` holds this token (0: top level)


def _identifier_char(char: str) -> bool:
    return char.isalnum() or char in "_$"


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens: list[Token] = []

    def run(self) -> list[Token]:
        self._code(0, 0, top=True)
        return self.tokens

    def _regex_allowed(self) -> bool:
        if not self.tokens:
            return True
        last = self.tokens[-1]
        if last.kind == IDENT:
            return last.text in _EXPRESSION_KEYWORDS
        if last.kind == PUNCT:
            return last.text not in ")]}"
        return False

    def _code(self, position: int, inside: int, top: bool) -> int:
        """Tokens from `position` up to the `}` closing a `${` (or the end of the text when `top`);
        returns the offset just after that brace."""
        text = self.text
        length = len(text)
        depth = 0
        while position < length:
            char = text[position]
            if char in " \t\r\n\f\v\ufeff\u00a0\u2028\u2029":
                position += 1
            elif char == "/" and text.startswith("//", position):
                newline = text.find("\n", position)
                position = length if newline < 0 else newline
            elif char == "/" and text.startswith("/*", position):
                close = text.find("*/", position + 2)
                position = length if close < 0 else close + 2
            elif char == "/" and self._regex_allowed():
                position = self._regex(position, inside)
            elif char in "'\"":
                end = self._string(position, char)
                self.tokens.append(Token(STRING, "", position, end, inside=inside))
                position = end
            elif char == "`":
                position = self._template(position, inside)
            elif _identifier_char(char):
                start = position
                while position < length and _identifier_char(text[position]):
                    position += 1
                kind = NUMBER if char.isdigit() else IDENT
                self.tokens.append(Token(kind, text[start:position], start, position, inside=inside))
            else:
                if char == "{":
                    depth += 1
                elif char == "}":
                    if depth == 0 and not top:
                        return position + 1
                    depth = max(0, depth - 1)
                self.tokens.append(Token(PUNCT, char, position, position + 1, inside=inside))
                position += 1
        return position

    def _string(self, position: int, quote: str) -> int:
        """End of a quoted string; an unescaped line break ends a broken one (JSX text may hold a
        lone apostrophe: the damage stays on its line)."""
        text = self.text
        position += 1
        while position < len(text):
            char = text[position]
            if char == "\\":
                position += 2
            elif char == quote:
                return position + 1
            elif char == "\n":
                return position
            else:
                position += 1
        return len(text)

    def _template(self, start: int, inside: int) -> int:
        text = self.text
        index = len(self.tokens)
        self.tokens.append(Token(TEMPLATE, "", start, start))  # completed below, once its end is known
        nested_from = len(self.tokens)
        substitutions = False
        position = start + 1
        while position < len(text):
            char = text[position]
            if char == "\\":
                position += 2
            elif char == "`":
                position += 1
                break
            elif char == "$" and text.startswith("${", position):
                substitutions = True
                position = self._code(position + 2, -1, top=False)
            else:
                position += 1
        else:
            position = len(text)
        end = min(position, len(text))
        self.tokens[index] = Token(TEMPLATE, "", start, end, substitutions=substitutions, inside=inside)
        # Mark the tokens of the `${}` expressions (placeholders -1) with this template's end.
        for number in range(nested_from, len(self.tokens)):
            token = self.tokens[number]
            if token.inside == -1:
                self.tokens[number] = Token(token.kind, token.text, token.start, token.end, token.substitutions, end)
        return end

    def _regex(self, start: int, inside: int) -> int:
        text = self.text
        position = start + 1
        in_class = False
        while position < len(text):
            char = text[position]
            if char == "\\":
                position += 2
                continue
            if char == "\n":
                break  # a regex cannot span lines: stop at the line's end
            if char == "[":
                in_class = True
            elif char == "]":
                in_class = False
            elif char == "/" and not in_class:
                position += 1
                while position < len(text) and _identifier_char(text[position]):
                    position += 1
                break
            position += 1
        self.tokens.append(Token(REGEX, "", start, position, inside=inside))
        return position


def tokenize(text: str) -> list[Token]:
    """The code tokens of a JavaScript or TypeScript source text."""
    return _Scanner(text).run()
