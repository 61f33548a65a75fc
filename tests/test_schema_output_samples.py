"""Hand-built schemas that the `dbvet schema` output tests print (no tests of its own).

They are built from the schema model directly, not replayed, so a change in the replay
cannot move these snapshots: the renderers are what is under test.
"""

from __future__ import annotations

from linter.schema import (
    MYSQL,
    POSTGRESQL,
    SQLITE,
    Check,
    Column,
    Enum,
    ForeignKey,
    Index,
    IndexElement,
    Name,
    PrimaryKey,
    Schema,
    Table,
)
from linter.schema_output import SchemaSource


def _table(name: str, schema: str | None, columns: list[Column], comment: str | None = None) -> Table:
    return Table(name, schema, columns={column.name: column for column in columns}, comment=comment)


def _index(table: Table, name: str, elements: list[IndexElement], **options) -> None:
    table.indexes[name] = Index(name, Name(table.name, table.schema), elements, **options)


def pg_schema() -> Schema:
    """Two schemas, an enum, foreign keys (one of them one-to-one), a composite primary key,
    an expression index, a partial index, and comments holding `|`, `@someone`, a line break,
    HTML and non-ASCII text."""
    schema = Schema(dialect=POSTGRESQL)
    schema.schemas.add("billing")
    schema.enums["public.role"] = Enum("role", ["member", "admin"], schema="public")
    users = _table(
        "users",
        "public",
        [
            Column("id", "uuid", nullable=False, default="gen_random_uuid()"),
            Column("email", "character varying(255)", nullable=False, comment="Login | unique; ask @someone"),
            Column("role", "role", nullable=False, default="'member'::role"),
            Column("display name", "text", comment="Nom affiché «Zoë»\nshown in <b>bold</b>"),
            Column("created_at", "timestamp(3) with time zone", nullable=False, default="now()"),
        ],
        comment="People who sign in | staff @someone\n# not a heading — café",
    )
    users.primary_key = PrimaryKey("users_pkey", ["id"])
    _index(users, "users_pkey", [IndexElement("id")], unique=True, constraint="primary")
    _index(users, "users_email_key", [IndexElement("email")], unique=True, constraint="unique")
    _index(users, "users_lower_idx", [IndexElement("lower((email)::text)", is_expression=True)], unique=True)
    invoices = _table(
        "invoices",
        "billing",
        [
            Column("account_id", "uuid", nullable=False),
            Column("number", "integer", nullable=False),
            Column("user_id", "uuid"),
            Column("total", "numeric(19,4)", nullable=False, comment="In the account's currency"),
            Column("deleted_at", "timestamp without time zone"),
            Column("id_seq", "bigint", nullable=False, identity="by default"),
        ],
    )
    invoices.primary_key = PrimaryKey("invoices_pkey", ["account_id", "number"])
    _index(
        invoices,
        "invoices_pkey",
        [IndexElement("account_id"), IndexElement("number")],
        unique=True,
        constraint="primary",
    )
    _index(
        invoices,
        "invoices_open_idx",
        [IndexElement("user_id"), IndexElement("number", descending=True)],
        predicate="(deleted_at IS NULL)",
        include=["total"],
    )
    invoices.foreign_keys["invoices_user_id_fkey"] = ForeignKey(
        "invoices_user_id_fkey", ["user_id"], Name("users", "public"), ["id"], on_delete="set null", on_update="cascade"
    )
    invoices.checks["invoices_total_check"] = Check("invoices_total_check", "(total >= (0)::numeric)", validated=False)
    receipts = _table(
        "receipts",
        "billing",
        [
            Column("account_id", "uuid", nullable=False),
            Column("number", "integer", nullable=False),
            Column("pk", "text", nullable=False, comment="Printed key, `code` style"),
        ],
    )
    receipts.primary_key = PrimaryKey("receipts_pkey", ["account_id", "number"])
    _index(
        receipts,
        "receipts_pkey",
        [IndexElement("account_id"), IndexElement("number")],
        unique=True,
        constraint="primary",
    )
    receipts.foreign_keys["receipts_account_id_number_fkey"] = ForeignKey(
        "receipts_account_id_number_fkey",
        ["account_id", "number"],
        Name("invoices", "billing"),
        ["account_id", "number"],
    )
    # Inserted out of order: the output sorts tables by name.
    schema.tables = {"public.users": users, "billing.receipts": receipts, "billing.invoices": invoices}
    return schema


def mysql_schema() -> Schema:
    schema = Schema(dialect=MYSQL)
    customers = _table(
        "Customers",
        None,
        [
            Column("id", "int unsigned", nullable=False),
            Column("email", "varchar(191)", nullable=False),
        ],
    )
    customers.primary_key = PrimaryKey("PRIMARY", ["id"])
    _index(customers, "Customers_email_key", [IndexElement("email")], unique=True)
    orders = _table(
        "orders",
        None,
        [
            Column("id", "int unsigned", nullable=False),
            Column("customer_id", "int unsigned", nullable=False),
            Column("status", "enum('new','paid')", nullable=False, default="'new'"),
            Column("amount", "decimal(10,2)", nullable=False),
            Column("note", "text", comment="Free text"),
        ],
    )
    orders.primary_key = PrimaryKey("PRIMARY", ["id"])
    _index(orders, "orders_ibfk_1", [IndexElement("customer_id")])
    _index(orders, "orders_note_idx", [IndexElement("note")], method="fulltext")
    orders.foreign_keys["orders_ibfk_1"] = ForeignKey("orders_ibfk_1", ["customer_id"], Name("Customers"), ["id"])
    schema.tables = {"orders": orders, "customers": customers}
    return schema


def sqlite_schema() -> Schema:
    schema = Schema(dialect=SQLITE)
    users = _table("User", None, [Column("id", "text", nullable=False), Column("email", "text", nullable=False)])
    users.primary_key = PrimaryKey(None, ["id"])
    _index(users, "User_email_key", [IndexElement("email")], unique=True)
    notes = _table(
        "Note",
        None,
        [
            Column("id", "integer", nullable=False),
            Column("ownerId", "text"),
            Column("createdAt", "datetime", nullable=False, default="CURRENT_TIMESTAMP"),
        ],
    )
    notes.primary_key = PrimaryKey(None, ["id"])
    notes.foreign_keys["Note_ownerId_fkey"] = ForeignKey(
        "Note_ownerId_fkey", ["ownerId"], Name("User"), ["id"], on_delete="cascade", on_update="cascade"
    )
    schema.tables = {"user": users, "note": notes}
    return schema


def source(schema: Schema, path: str = "db/migrations", kind: str = "migrations") -> SchemaSource:
    return SchemaSource(path, kind, schema, schema.dialect)
