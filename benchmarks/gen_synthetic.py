"""A synthetic corpus of PostgreSQL migrations for benchmarks, the same for a given seed.

    python benchmarks/gen_synthetic.py OUT_DIR [--files 2000] [--seed 8]

Writes migration sets as real projects lay them out — Prisma directories (with a lock file and
a schema.prisma for some), golang-migrate up/down pairs, Diesel directory pairs and plain
numbered files — each one schema's history: tables created, altered, indexed, linked by foreign
keys, filled and fixed by DML, with enums, trigger functions in dollar quotes, DO blocks, views,
comments, explicit transactions and non-ASCII text. A set's statements only name what earlier
statements made, so the replay and the rules do the work they do on real repositories.

About 20 statements a file (2,000 files ≈ 40,000 statements). Set sizes come from one
distribution whatever --files is, so 4× the files means 4× as many sets of the same kind: the
scale check compares like with like. The output is a benchmark input, never committed.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

MARKER = ".dbvet-synthetic"  # lets a re-run replace a directory this script made, and no other
LAYOUTS = ("prisma", "golang-migrate", "diesel", "plain")
LAYOUT_WEIGHTS = (4, 3, 2, 1)
WORDS = (
    "account", "invoice", "project", "member", "comment", "payment", "session", "report", "ticket", "order",
    "product", "review", "tag", "event", "device", "address", "team", "plan", "quota", "webhook", "audit",
    "message", "channel", "file", "folder", "dataset", "score", "trace", "metric", "alert",
)  # fmt: skip
TEXTS = ("café crème", "naïve façade", "Grüße aus Köln", "日本語のテキスト", "Ελληνικά", "emoji 🎉 ok", "plain text")
TYPES = (
    ("text", "String"), ("integer", "Int"), ("bigint", "BigInt"), ("boolean", "Boolean"),
    ("timestamp(3)", "DateTime"), ("jsonb", "Json"), ("numeric(12,2)", "Decimal"), ("double precision", "Float"),
)  # fmt: skip


@dataclass
class Table:
    name: str
    columns: list[tuple[str, str]]  # (name, SQL type)
    indexes: list[str] = field(default_factory=list)


@dataclass
class SetState:
    """What a migration set has made so far, so each new statement names real objects."""

    prefix: str
    tables: list[Table] = field(default_factory=list)
    enums: dict[str, list[str]] = field(default_factory=dict)
    functions: int = 0
    serial: int = 0

    def fresh(self, stem: str) -> str:
        self.serial += 1
        return f"{stem}_{self.serial}"


class Writer:
    """Builds one migration: its up statements and the down that reverts them."""

    def __init__(self, rng: random.Random, state: SetState) -> None:
        self.rng = rng
        self.state = state
        self.up: list[str] = []
        self.down: list[str] = []  # in up order; reversed when written

    def statement(self) -> None:
        rng, state = self.rng, self.state
        if len(state.tables) < 3:
            return self.create_table()
        kind = rng.choices(
            ("create", "add_column", "index", "fk", "dml", "enum", "function", "alter", "comment", "view", "do", "drop"),
            (10, 14, 10, 5, 24, 3, 3, 8, 6, 3, 3, 2),
        )[0]
        getattr(self, kind if kind != "create" else "create_table")()

    def create_table(self) -> None:
        rng, state = self.rng, self.state
        name = state.fresh(f"{state.prefix}_{rng.choice(WORDS)}")
        columns = [("id", "bigint")]
        lines = ['    "id" BIGSERIAL NOT NULL']
        for _ in range(rng.randint(3, 10)):
            column, (sql_type, _) = state.fresh(rng.choice(WORDS)), rng.choice(TYPES)
            columns.append((column, sql_type))
            extra = rng.choice(("", " NOT NULL", " DEFAULT CURRENT_TIMESTAMP" if sql_type.startswith("timestamp") else ""))
            lines.append(f'    "{column}" {sql_type.upper()}{extra}')
        if state.tables and rng.random() < 0.5:
            parent = rng.choice(state.tables)
            columns.append((f"{parent.name}_id", "bigint"))
            lines.append(f'    "{parent.name}_id" BIGINT REFERENCES "{parent.name}"("id") ON DELETE CASCADE')
        lines.append(f'    CONSTRAINT "{name}_pkey" PRIMARY KEY ("id")')
        self.up.append("-- CreateTable\nCREATE TABLE \"" + name + "\" (\n" + ",\n".join(lines) + "\n);")
        self.down.append(f'DROP TABLE IF EXISTS "{name}" CASCADE;')
        state.tables.append(Table(name, columns))

    def add_column(self) -> None:
        rng, state = self.rng, self.state
        table = rng.choice(state.tables)
        column, (sql_type, _) = state.fresh(rng.choice(WORDS)), rng.choice(TYPES)
        if rng.random() < 0.3 and sql_type in ("integer", "boolean", "text"):
            default = {"integer": "0", "boolean": "false", "text": "''"}[sql_type]
            clause = f" NOT NULL DEFAULT {default}"
        else:
            clause = ""
        self.up.append(f'-- AlterTable\nALTER TABLE "{table.name}" ADD COLUMN "{column}" {sql_type.upper()}{clause};')
        self.down.append(f'ALTER TABLE "{table.name}" DROP COLUMN "{column}";')
        table.columns.append((column, sql_type))

    def index(self) -> None:
        rng, state = self.rng, self.state
        table = rng.choice(state.tables)
        columns = rng.sample(table.columns, min(len(table.columns), rng.randint(1, 2)))
        name = state.fresh(f"{table.name[:40]}_idx")
        unique = "UNIQUE " if rng.random() < 0.25 else ""
        concurrently = "CONCURRENTLY " if rng.random() < 0.3 else ""
        listed = ", ".join(f'"{c}"' for c, _ in columns)
        self.up.append(f'-- CreateIndex\nCREATE {unique}INDEX {concurrently}"{name}" ON "{table.name}"({listed});')
        self.down.append(f'DROP INDEX IF EXISTS "{name}";')
        table.indexes.append(name)

    def fk(self) -> None:
        rng, state = self.rng, self.state
        child, parent = rng.sample(state.tables, 2)
        column = f"{parent.name}_ref"
        if any(c == column for c, _ in child.columns):
            return self.dml()
        constraint = state.fresh(f"{child.name[:30]}_fk")
        self.up.append(f'ALTER TABLE "{child.name}" ADD COLUMN "{column}" BIGINT;')
        self.up.append(
            f'-- AddForeignKey\nALTER TABLE "{child.name}" ADD CONSTRAINT "{constraint}" FOREIGN KEY ("{column}") '
            f'REFERENCES "{parent.name}"("id") ON DELETE SET NULL ON UPDATE CASCADE NOT VALID;'
        )
        self.up.append(f'ALTER TABLE "{child.name}" VALIDATE CONSTRAINT "{constraint}";')
        self.down.append(f'ALTER TABLE "{child.name}" DROP COLUMN "{column}";')
        child.columns.append((column, "bigint"))

    def dml(self) -> None:
        rng, state = self.rng, self.state
        table = rng.choice(state.tables)
        text_columns = [c for c, t in table.columns if t == "text"]
        form = rng.randrange(3)
        if form == 0 and text_columns:
            column = rng.choice(text_columns)
            rows = ",\n".join(f"    ('{rng.choice(TEXTS)} #{rng.randrange(10_000)}')" for _ in range(rng.randint(1, 4)))
            self.up.append(f'INSERT INTO "{table.name}" ("{column}") VALUES\n{rows};')
        elif form == 1 and text_columns:
            column = rng.choice(text_columns)
            self.up.append(
                f"UPDATE \"{table.name}\" SET \"{column}\" = '{rng.choice(TEXTS)}' WHERE \"id\" % {rng.randint(2, 9)} = 0;"
            )
        else:
            self.up.append(f'DELETE FROM "{table.name}" WHERE "id" < {rng.randrange(1, 1000)};  -- tidy old rows')

    def enum(self) -> None:
        rng, state = self.rng, self.state
        if state.enums and rng.random() < 0.5:
            name = rng.choice(sorted(state.enums))
            value = state.fresh("VALUE").upper()
            self.up.append(f"-- AlterEnum\nALTER TYPE \"{name}\" ADD VALUE '{value}';")
            state.enums[name].append(value)
            return
        name = state.fresh(f"{state.prefix}_status").title().replace("_", "")
        values = ["ACTIVE", "PAUSED", "ARCHIVÉ"][: rng.randint(2, 3)]
        listed = ", ".join(f"'{v}'" for v in values)
        self.up.append(f'-- CreateEnum\nCREATE TYPE "{name}" AS ENUM ({listed});')
        self.down.append(f'DROP TYPE "{name}";')
        state.enums[name] = values

    def function(self) -> None:
        rng, state = self.rng, self.state
        table = rng.choice(state.tables)
        state.functions += 1
        name = f"{state.prefix}_touch_{state.functions}"
        tag = rng.choice(("$$", "$body$", "$fn$"))
        self.up.append(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS {tag}\n"
            "BEGIN\n"
            "    -- keep the row's stamp current; 'quotes' and ; inside are part of the body\n"
            "    NEW.updated_at := now();\n"
            "    RAISE NOTICE 'touched % — ok;', TG_TABLE_NAME;\n"
            "    RETURN NEW;\n"
            f"END;\n{tag} LANGUAGE plpgsql;"
        )
        trigger = f"{name}_trg"
        self.up.append(f'CREATE TRIGGER {trigger} BEFORE UPDATE ON "{table.name}" FOR EACH ROW EXECUTE FUNCTION {name}();')
        self.down.append(f"DROP FUNCTION IF EXISTS {name}() CASCADE;")

    def alter(self) -> None:
        rng, state = self.rng, self.state
        table = rng.choice(state.tables)
        column, sql_type = rng.choice(table.columns[1:] or table.columns)
        form = rng.randrange(3)
        if form == 0:
            self.up.append(f'ALTER TABLE "{table.name}" ALTER COLUMN "{column}" SET NOT NULL;')
            self.down.append(f'ALTER TABLE "{table.name}" ALTER COLUMN "{column}" DROP NOT NULL;')
        elif form == 1 and sql_type == "integer":
            self.up.append(f'ALTER TABLE "{table.name}" ALTER COLUMN "{column}" TYPE BIGINT;')
            self.down.append(f'ALTER TABLE "{table.name}" ALTER COLUMN "{column}" TYPE INTEGER;')
            table.columns[table.columns.index((column, sql_type))] = (column, "bigint")
        else:
            self.up.append(f'ALTER TABLE "{table.name}" ALTER COLUMN "{column}" DROP DEFAULT;')

    def comment(self) -> None:
        table = self.rng.choice(self.state.tables)
        text = self.rng.choice(TEXTS).replace("'", "''")
        self.up.append(f"/* documentation */ COMMENT ON TABLE \"{table.name}\" IS 'Données: {text}';")

    def view(self) -> None:
        state = self.state
        table = self.rng.choice(state.tables)
        name = state.fresh(f"{table.name[:40]}_view")
        columns = ", ".join(f'"{c}"' for c, _ in table.columns[:4])
        self.up.append(f'CREATE VIEW "{name}" AS\n  SELECT {columns}\n  FROM "{table.name}"\n  WHERE "id" > 0;')
        self.down.append(f'DROP VIEW "{name}";')

    def do(self) -> None:
        table = self.rng.choice(self.state.tables)
        self.up.append(
            "DO $$\nBEGIN\n"
            f"    IF NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = '{table.name}') THEN\n"
            "        RAISE EXCEPTION 'missing table';\n"
            "    END IF;\nEND\n$$;"
        )

    def drop(self) -> None:
        rng, state = self.rng, self.state
        table = rng.choice(state.tables)
        if len(table.columns) > 3 and rng.random() < 0.7:
            column = table.columns.pop(rng.randrange(1, len(table.columns)))
            self.up.append(f'-- AlterTable\nALTER TABLE "{table.name}" DROP COLUMN "{column[0]}";')
            self.down.append(f'ALTER TABLE "{table.name}" ADD COLUMN "{column[0]}" {column[1].upper()};')
        else:
            self.dml()


def migration(rng: random.Random, state: SetState, statements: int) -> tuple[str, str]:
    """One migration's up and down text."""
    writer = Writer(rng, state)
    while len(writer.up) < statements:
        writer.statement()
    up = list(writer.up)
    if rng.random() < 0.15:
        up = ["BEGIN;", *up, "COMMIT;"]
    if rng.random() < 0.2:
        up.insert(0, "/*\n  Warnings:\n  - Données existantes conservées; « review » before deploying.\n*/")
    down = list(reversed(writer.down)) or ["SELECT 1;  -- nothing to revert"]
    return "\n\n".join(up) + "\n", "\n".join(down) + "\n"


def prisma_schema(state: SetState) -> str:
    """A schema.prisma describing the set's tables (roughly: the drift rule may disagree)."""
    prisma_type = dict(TYPES)
    lines = ['datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n']
    for table in state.tables:
        model = "".join(part.title() for part in table.name.split("_"))
        lines.append(f"model {model} {{")
        for column, sql_type in table.columns:
            if column == "id":
                lines.append("  id BigInt @id @default(autoincrement())")
            else:
                lines.append(f'  {column} {prisma_type.get(sql_type, "String")}? @map("{column}")')
        lines.append(f'\n  @@map("{table.name}")\n}}\n')
    for name, values in state.enums.items():
        lines.append(f"enum {name} {{\n" + "".join(f"  {v.replace('É', 'E')} @map(\"{v}\")\n" for v in values) + "}\n")
    return "\n".join(lines)


def write_set(root: Path, layout: str, number: int, migrations: int, rng: random.Random) -> int:
    """Write one migration set; the number of .sql files written."""
    state = SetState(prefix=f"s{number}")
    project = root / f"{layout}-{number:03d}"
    written = 0

    def put(path: Path, text: str) -> None:
        nonlocal written
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written += path.suffix == ".sql"

    for index in range(1, migrations + 1):
        up, down = migration(rng, state, max(2, int(rng.gauss(24, 10))))
        slug = state.fresh(rng.choice(WORDS))
        if layout == "prisma":
            put(project / "prisma" / "migrations" / f"2024{index:06d}000000_{slug}" / "migration.sql", up)
        elif layout == "golang-migrate":
            put(project / "migrations" / f"{index:06d}_{slug}.up.sql", up)
            put(project / "migrations" / f"{index:06d}_{slug}.down.sql", down)
        elif layout == "diesel":
            folder = project / "migrations" / f"2023-01-01-{index:06d}_{slug}"
            put(folder / "up.sql", up)
            put(folder / "down.sql", down)
        else:
            put(project / "db" / "migrations" / f"{index:04d}_{slug}.sql", up)
    if layout == "prisma":
        put(project / "prisma" / "migrations" / "migration_lock.toml", 'provider = "postgresql"\n')
        if number % 2 == 0:
            put(project / "prisma" / "schema.prisma", prisma_schema(state))
    return written


def generate(out: Path, files: int, seed: int) -> int:
    rng = random.Random(seed)
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise SystemExit(f"gen_synthetic: {out} is not empty and was not made by this script; choose another directory")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text(f"files={files} seed={seed}\n", encoding="utf-8")
    (out / "pyproject.toml").write_text('[tool.dbvet]\ndialect = "postgresql"\n', encoding="utf-8")
    written, number = 0, 0
    while written < files:
        number += 1
        layout = rng.choices(LAYOUTS, LAYOUT_WEIGHTS)[0]
        per_migration = 2 if layout in ("golang-migrate", "diesel") else 1
        migrations = max(1, min(rng.randint(20, 180), (files - written) // per_migration))
        written += write_set(out, layout, number, migrations, rng)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="directory to (re)create")
    parser.add_argument("--files", type=int, default=2000, help="about how many .sql files (default 2000)")
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args(argv)
    written = generate(args.out, args.files, args.seed)
    print(f"wrote {written} files to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
