from __future__ import annotations

from fnmatch import fnmatchcase

from linter.context import SchemaContext
from linter.findings import Severity
from linter.rule import Doc, Example, Option, Rule
from linter.schema import Schema
from linter.text import to_snake_case
from rules.n001_table_name_snake_case import prisma_model, table_anchor

# Words whose number cannot be told from their ending, or that are the same in both: never judged.
_UNJUDGED = frozenset(
    """data metadata media info information news series species status equipment feedback staff software
    hardware firmware evidence knowledge traffic history inventory analytics statistics physics sheep fish
    deer aircraft moose bison offspring audio music money cash police personnel research advice""".split()
)
_IRREGULAR = {
    "person": "people", "child": "children", "man": "men", "woman": "women", "mouse": "mice",
    "goose": "geese", "tooth": "teeth", "foot": "feet", "criterion": "criteria", "phenomenon": "phenomena",
    "index": "indices", "matrix": "matrices", "vertex": "vertices", "appendix": "appendices",
}
_IRREGULAR_PLURALS = {plural: singular for singular, plural in _IRREGULAR.items()}
# Singular words that end in s (beyond the -ss, -us, -is endings handled below).
_SINGULAR_S = frozenset("alias atlas bias canvas gas lens chaos ethos cosmos kudos yes".split())


def number_of(word: str) -> str | None:
    """"plural", "singular", or None when the word cannot be judged safely."""
    word = word.lower()
    if len(word) <= 3 or not any(vowel in word for vowel in "aeiouy") or word in _UNJUDGED:
        return None  # abbreviations (api, sso, sms) and mass nouns
    # -ed: adjectives that end a name (`usage_based`, `saved_combined`) have no number
    if word.endswith(("ss", "us", "is", "ics", "ing", "ed", "ware", "ment")) and word not in _IRREGULAR_PLURALS:
        return None if not word.endswith("ment") else "singular"
    if word in _IRREGULAR_PLURALS:
        return "plural"
    if word in _IRREGULAR or word in _SINGULAR_S:
        return "singular"
    return "plural" if word.endswith("s") else "singular"


def pluralize(word: str) -> str:
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("y") and word[-2:-1] not in tuple("aeiou"):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def singularize(word: str) -> str:
    if word in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "zes", "ches", "shes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


class TableNameNumber(Rule):
    id = "N007"
    name = "table-name-number"
    severity = Severity.INFO
    default_on = False
    summary = "A table name is not plural (or singular, by configuration) like the others."
    prisma = True
    options = {
        "number": Option("plural", 'the grammatical number table names use: "plural" or "singular"'),
        "exempt-tables": Option(
            ["_prisma_migrations", "schema_migrations", "__diesel_schema_migrations", "flyway_schema_history", "goose_db_version"],
            "globs of table names not judged (migration bookkeeping, join tables)",
        ),
    }
    doc = Doc(
        what="A table whose name's last word is singular when `number` is `plural` (the default), or plural "
        "when it is `singular`. For Prisma the table name is the `@@map` name, else the model name. Only "
        "words whose number is plain from their ending are judged: mass nouns (`data`, `metadata`, `status`, "
        "`news`, `series`, …), words ending in -ss, -us, -is, -ics, -ing, and abbreviations of three letters "
        "or fewer are left alone.",
        why="`SELECT … FROM user JOIN orders` — when some tables are plural and some singular, every query "
        "starts with a guess, and ORMs that derive names from tables produce mismatched class names.",
        instead="Pick one number for the whole schema and rename the odd ones out (`user` → `users`); in Prisma "
        'keep the singular model and map it: `model User { … @@map("users") }`.',
        bad=Example(
            "CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE order_item (id bigint PRIMARY KEY);\n",
            expect=((2, 1),),
        ),
        good=Example("CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE order_items (id bigint PRIMARY KEY);\n"),
    )

    def check_schema(self, schema: Schema, ctx: SchemaContext) -> None:
        wanted = str(ctx.options["number"]).strip().lower()
        if wanted not in ("plural", "singular"):
            return  # an unknown setting judges nothing rather than everything
        exempt = list(ctx.options["exempt-tables"])
        for table in schema.tables.values():
            if table.source is not None and prisma_model(table) is None:
                continue  # Prisma's implicit many-to-many tables (`_AToB`)
            if any(fnmatchcase(table.name, glob) for glob in exempt):
                continue
            snake = to_snake_case(table.name)
            head, _, last = snake.rpartition("_")
            number = number_of(last)
            if number is None or number == wanted:
                continue
            span = table_anchor(table)
            if span is None:
                continue
            fixed = pluralize(last) if wanted == "plural" else singularize(last)
            suggestion = f"{head}_{fixed}" if head else fixed
            attribute = f'@@map("{suggestion}")' if prisma_model(table) is not None else f"RENAME TO {suggestion}"
            ctx.report(
                span,
                f'table "{table.name}" is {number}; table names here are {wanted}: "{suggestion}"',
                fix=f"use {attribute}",
            )
