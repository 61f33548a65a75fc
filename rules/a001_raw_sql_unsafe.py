from linter.appcode import IDENT, PUNCT, STRING, TEMPLATE, Token, tokenize
from linter.context import RuleContext
from linter.findings import Severity, Span
from linter.rule import Doc, Example, Rule
from linter.source import SourceFile

_UNSAFE_METHODS = frozenset({"$queryRawUnsafe", "$executeRawUnsafe"})
_RAW_METHODS = frozenset({"$queryRaw", "$executeRaw"})
# What may come right before a template literal that is tagged (`sql`, `Prisma.sql`, `f()`, `a[0]`).
_TAG_ENDS = frozenset({")", "]", ">"})


class RawSqlUnsafe(Rule):
    id = "A001"
    name = "raw-sql-unsafe"
    severity = Severity.ERROR
    summary = "Raw SQL built from strings in application code: $queryRawUnsafe, Prisma.raw, concatenation into $queryRaw."
    doc = Doc(
        what="In `.ts`/`.js` files: calls of `$queryRawUnsafe(…)` / `$executeRawUnsafe(…)`, `Prisma.raw(…)` with anything "
        "but a constant string, and `$queryRaw(…)` / `$executeRaw(…)` given a string built by concatenation (`+`) or an "
        "untagged template literal with `${…}`. Tagged templates — `prisma.$queryRaw\\`… ${id}\\``, `Prisma.sql\\`…\\`` — "
        "are safe: Prisma turns each `${}` into a bind parameter.",
        why="Text spliced into SQL is SQL injection: one user-controlled value can read or delete any table.",
        instead="Use the tagged template form `prisma.$queryRaw\\`SELECT … WHERE id = ${id}\\`` and compose pieces with "
        "`Prisma.sql` and `Prisma.join`; for identifiers pick from a fixed allow-list.",
        bad=Example(
            "export async function find(prisma: PrismaClient, email: string) {\n"
            "  return prisma.$queryRawUnsafe(`SELECT * FROM users WHERE email = '${email}'`);\n"
            "}\n",
            kind="app",
            expect=((2, 17),),
        ),
        good=Example(
            "export async function find(prisma: PrismaClient, email: string) {\n"
            "  return prisma.$queryRaw`SELECT * FROM users WHERE email = ${email}`;\n"
            "}\n",
            kind="app",
        ),
    )

    def check_app(self, file: SourceFile, ctx: RuleContext) -> None:
        tokens = tokenize(file.text)
        for index, token in enumerate(tokens):
            if token.kind != IDENT or not _after_dot(tokens, index):
                continue
            name = token.text
            if name in _UNSAFE_METHODS:
                if _call_open(tokens, index) is not None:
                    self._report(ctx, file, token, f"{name}() runs a SQL string as written: SQL injection when any part of it comes from input")
            elif name == "raw" and index >= 2 and tokens[index - 2].text == "Prisma":
                open_at = _call_open(tokens, index)
                if open_at is not None and not _constant_argument(tokens, open_at):
                    self._report(ctx, file, token, "Prisma.raw() splices text into SQL unescaped: SQL injection when it comes from input")
            elif name in _RAW_METHODS:
                open_at = _call_open(tokens, index)
                if open_at is not None and _built_string(tokens, open_at):
                    self._report(
                        ctx, file, token, f"{name}() is given a string built by concatenation or interpolation: SQL injection; use the tagged template {name}`…`"
                    )

    def _report(self, ctx: RuleContext, file: SourceFile, token: Token, message: str) -> None:
        ctx.report(Span(file, token.start, token.end), message, fix="use prisma.$queryRaw`… ${value} …` (values become bind parameters)")


def _after_dot(tokens: list[Token], index: int) -> bool:
    return index > 0 and tokens[index - 1].kind == PUNCT and tokens[index - 1].text == "."


def _call_open(tokens: list[Token], index: int) -> int | None:
    """The index of the `(` that calls the identifier at `index` (after an optional `<T>`), or
    None when it is not called with parentheses (a tagged template, a property read)."""
    position = _skip_generic(tokens, index + 1)
    if position < len(tokens) and tokens[position].kind == PUNCT and tokens[position].text == "(":
        return position
    return None


def _skip_generic(tokens: list[Token], position: int) -> int:
    if position >= len(tokens) or tokens[position].text != "<" or tokens[position].kind != PUNCT:
        return position
    depth = 0
    while position < len(tokens):
        token = tokens[position]
        if token.kind == PUNCT and token.text == "<":
            depth += 1
        elif token.kind == PUNCT and token.text == ">":
            depth -= 1
            if depth == 0:
                return position + 1
        elif token.kind == PUNCT and token.text in ";{}":
            break  # a comparison, not type arguments
        position += 1
    return len(tokens)


def _first_argument(tokens: list[Token], open_at: int) -> list[tuple[int, Token]]:
    """The tokens of the first argument of the call opened at `open_at`, at that call's template
    nesting, with their indexes (tokens inside a template's `${}` are left out)."""
    level = tokens[open_at].inside
    depth = 0
    argument: list[tuple[int, Token]] = []
    for position in range(open_at + 1, len(tokens)):
        token = tokens[position]
        if token.inside != level:
            continue
        if token.kind == PUNCT:
            if token.text in "([{":
                depth += 1
            elif token.text in ")]}":
                if depth == 0:
                    break
                depth -= 1
            elif token.text == "," and depth == 0:
                break
        argument.append((position, token))
    return argument


def _constant_argument(tokens: list[Token], open_at: int) -> bool:
    """A single string literal, or a template literal without `${}`."""
    argument = _first_argument(tokens, open_at)
    if len(argument) != 1:
        return False
    token = argument[0][1]
    return token.kind == STRING or (token.kind == TEMPLATE and not token.substitutions)


def _built_string(tokens: list[Token], open_at: int) -> bool:
    """Whether the first argument builds SQL text: a string concatenation, or an untagged
    template with `${}`. A lone variable is not judged: it may hold a `Prisma.sql` fragment."""
    argument = _first_argument(tokens, open_at)
    depth = 0
    literal = False
    plus = False
    for position, token in argument:
        if token.kind == PUNCT and token.text in "([{":
            depth += 1
        elif token.kind == PUNCT and token.text in ")]}":
            depth -= 1
        if depth != 0:
            continue
        if token.kind == TEMPLATE:
            before = tokens[position - 1]
            tagged = before.kind == IDENT or (before.kind == PUNCT and before.text in _TAG_ENDS)
            if not tagged:
                if token.substitutions:
                    return True
                literal = True
        elif token.kind == STRING:
            literal = True
        elif token.kind == PUNCT and token.text == "+":
            plus = True
    return literal and plus
