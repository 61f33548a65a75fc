from linter.context import SchemaContext
from linter.findings import Severity
from linter.rule import Doc, Example, Option, Rule
from linter.schema import Schema

from rules.c0_columns import applies, column_span, columns, is_text, words

DEFAULT_PATTERNS = [
    "password", "passwd", "passphrase", "secret", "token", "api_key", "apikey", "private_key", "secret_key",
    "access_key", "ssn", "card_number", "cvv", "cvc", "otp_seed", "totp_seed",
]
DEFAULT_SAFE = ["_hash", "_hashed", "_digest", "_encrypted", "_enc", "_ciphertext"]
# Shown-to-the-user fragments of a secret (`display_secret_key`, `partialClientSecret`) are not it.
DEFAULT_SAFE += ["_display", "_partial", "_obfuscated", "_masked", "_redacted", "_preview"]


class PlaintextSecret(Rule):
    id = "C007"
    name = "plaintext-secret"
    severity = Severity.ERROR
    summary = "A text column named like a secret (password, token, api_key, ssn, …) with no hash/encryption marker."
    prisma = True
    options = {
        "patterns": Option(DEFAULT_PATTERNS, "secret nouns; a column fires when its name is or ends with one (by words)"),
        "safe-suffixes": Option(DEFAULT_SAFE, "markers that say the value is hashed or encrypted (as a word anywhere in the name)"),
    }
    doc = Doc(
        what="A text-typed column whose name is, or ends with, a secret noun — `password`, `passwd`, `secret`, `token`, "
        "`api_key`, `ssn`, `card_number`, `cvv`, … (configurable) — and carries no `hash`, `hashed`, `digest`, "
        "`encrypted`, `enc` or `ciphertext` word. Names that merely mention a secret (`token_type`, `secret_id`, "
        "`password_reset_expires_at`, `api_key_id`) and non-text columns (`token_count integer`) are left alone.",
        why="A database dump, a replica, a log of slow queries or an analytics export hands every credential to "
        "whoever reads it; breach notification laws treat plaintext SSNs and card numbers as the worst case.",
        instead="Store a slow hash of passwords (`password_hash`: bcrypt, argon2), a digest of tokens you only compare "
        "(`token_digest`), and encrypt what must be read back (`api_key_encrypted`); name the column so.",
        bad=Example("CREATE TABLE users (\n  id bigint PRIMARY KEY,\n  password text NOT NULL\n);\n", expect=((3, 3),)),
        good=Example("CREATE TABLE users (\n  id bigint PRIMARY KEY,\n  password_hash text NOT NULL\n);\n"),
    )

    def check_schema(self, schema: Schema, ctx: SchemaContext) -> None:
        if not applies(schema, self.dialects):
            return
        nouns = [words(pattern) for pattern in ctx.options["patterns"]]
        nouns = [noun for noun in nouns if noun]
        safe = {marker.strip("_").lower() for marker in ctx.options["safe-suffixes"]}
        # A name ends with a noun only if it ends with the noun's last word: try just those.
        by_last_word: dict[str, list[list[str]]] = {}
        for noun in nouns:
            by_last_word.setdefault(noun[-1], []).append(noun)
        for table, column in columns(schema):
            parts = words(column.name)
            candidates = by_last_word.get(parts[-1], ()) if parts else ()
            if not any(parts[-len(noun) :] == noun for noun in candidates) or safe.intersection(parts):
                continue
            if not is_text(column, schema.dialect):
                continue
            span = column_span(table, column)
            if span is None:
                continue
            ctx.report(
                span,
                f'column "{table.name}.{column.name}" looks like a secret stored in plaintext',
                fix=f'store a hash or ciphertext instead, named so (e.g. "{column.name}_hash")',
            )
