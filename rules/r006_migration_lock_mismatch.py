import re

from linter.context import SetContext
from linter.findings import Severity, Span
from linter.migrations import MigrationSet
from linter.rule import Doc, Example, Rule


class MigrationLockMismatch(Rule):
    id = "R006"
    name = "migration-lock-mismatch"
    severity = Severity.ERROR
    summary = "migration_lock.toml names a different provider than the Prisma datasource."
    doc = Doc(
        what="A Prisma project whose `migrations/migration_lock.toml` says one `provider` and whose schema's "
        "`datasource` block says another. `postgres` and `postgresql` are the same provider; `cockroachdb` "
        "is a provider of its own, as Prisma treats it, so a lock saying `postgresql` beside a `cockroachdb` "
        "datasource is a mismatch. Silent when either provider is missing or not a plain string.",
        why="`prisma migrate deploy` and `migrate dev` refuse to run when the two differ, so the mismatch "
        "surfaces at deploy time; and the migrations were written in the SQL of the lock's database, which "
        "the datasource's database may not accept.",
        instead="If the migrations are right, set the datasource `provider` back to the lock's. If the project "
        "really moved to another database, recreate the migrations for it (a new baseline with "
        "`prisma migrate diff`), which rewrites the lock file too.",
        bad=Example(
            'provider = "mysql"\n',
            kind="lock",
            before=('datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n',),
            expect=((1, 12),),
        ),
        good=Example(
            'provider = "postgres"\n',
            kind="lock",
            before=('datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n',),
        ),
    )

    def check_set(self, migration_set: MigrationSet, ctx: SetContext) -> None:
        lock, datasource = migration_set.lock_provider, migration_set.prisma_provider
        lock_file = migration_set.lock_file
        if lock is None or datasource is None or lock_file is None:
            return
        if _normalised(lock) == _normalised(datasource):
            return
        schema = migration_set.prisma_schema[0].name if len(migration_set.prisma_schema) == 1 else "the Prisma schema"
        match = _PROVIDER_VALUE.search(lock_file.text)
        span = Span(lock_file, match.start(1), match.end(1)) if match else Span(lock_file, 0, 0)
        ctx.report(
            span,
            f'migration_lock.toml says provider "{lock}" but the datasource in {schema} says "{datasource}"',
            fix=f'if the migrations are written for {lock}, set the datasource provider in {schema} to "{lock}"; '
            f"if the project moved to {datasource}, recreate the migrations for it, which rewrites this lock file",
        )


def _normalised(provider: str) -> str:
    # Prisma accepts `postgres` as another spelling of `postgresql`; every other name is its own.
    name = provider.strip()
    return "postgresql" if name == "postgres" else name


# The value as written, quotes included: that is what to change.
_PROVIDER_VALUE = re.compile(r"""^[ \t]*provider[ \t]*=[ \t]*("[^"\r\n]*"|'[^'\r\n]*'|[^\s#]+)""", re.M)
