"""`dbvet schema --format json`: INTERFACE.md's shape, exactly, for PostgreSQL, MySQL and SQLite."""

from __future__ import annotations

import json

from test_schema_output_samples import mysql_schema, pg_schema, source, sqlite_schema

from linter.schema import Schema, Table
from linter.schema_output import render_schemas, schema_facts


def _dumped(document: dict) -> str:
    """The exact text expected: two-space indentation, key order as written, UTF-8 kept."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _column(type_: str, nullable: bool, default: str | None = None, comment: str | None = None, **extra) -> dict:
    return {"type": type_, "nullable": nullable, "default": default, "comment": comment, **extra}


PG_FACTS = {
    "version": 1,
    "tables": {
        "billing.invoices": {
            "columns": {
                "account_id": _column("uuid", False),
                "number": _column("integer", False),
                "user_id": _column("uuid", True),
                "total": _column("numeric(19,4)", False, comment="In the account's currency"),
                "deleted_at": _column("timestamp without time zone", True),
                "id_seq": _column("bigint", False, identity="by default"),
            },
            "primary_key": ["account_id", "number"],
            "indexes": [
                {
                    "name": "invoices_open_idx",
                    "columns": ["user_id", "number"],
                    "unique": False,
                    "predicate": "(deleted_at IS NULL)",
                    "include": ["total"],
                    "descending": ["number"],
                }
            ],
            "foreign_keys": [
                {
                    "name": "invoices_user_id_fkey",
                    "columns": ["user_id"],
                    "ref_table": "public.users",
                    "ref_columns": ["id"],
                    "on_delete": "set null",
                    "on_update": "cascade",
                }
            ],
            "checks": [{"name": "invoices_total_check", "expression": "(total >= (0)::numeric)", "validated": False}],
            "comment": None,
        },
        "billing.receipts": {
            "columns": {
                "account_id": _column("uuid", False),
                "number": _column("integer", False),
                "pk": _column("text", False, comment="Printed key, `code` style"),
            },
            "primary_key": ["account_id", "number"],
            "indexes": [],
            "foreign_keys": [
                {
                    "name": "receipts_account_id_number_fkey",
                    "columns": ["account_id", "number"],
                    "ref_table": "billing.invoices",
                    "ref_columns": ["account_id", "number"],
                    "on_delete": "no action",
                }
            ],
            "checks": [],
            "comment": None,
        },
        "public.users": {
            "columns": {
                "id": _column("uuid", False, "gen_random_uuid()"),
                "email": _column("character varying(255)", False, comment="Login | unique; ask @someone"),
                "role": _column("role", False, "'member'::role"),
                "display name": _column("text", True, comment="Nom affiché «Zoë»\nshown in <b>bold</b>"),
                "created_at": _column("timestamp(3) with time zone", False, "now()"),
            },
            "primary_key": ["id"],
            "indexes": [
                {"name": "users_email_key", "columns": ["email"], "unique": True, "constraint": "unique"},
                {"name": "users_lower_idx", "columns": ["lower((email)::text)"], "unique": True},
            ],
            "foreign_keys": [],
            "checks": [],
            "comment": "People who sign in | staff @someone\n# not a heading — café",
        },
    },
    "enums": {"public.role": ["member", "admin"]},
}

MYSQL_FACTS = {
    "version": 1,
    "tables": {
        "Customers": {
            "columns": {"id": _column("int unsigned", False), "email": _column("varchar(191)", False)},
            "primary_key": ["id"],
            "indexes": [{"name": "Customers_email_key", "columns": ["email"], "unique": True}],
            "foreign_keys": [],
            "checks": [],
            "comment": None,
        },
        "orders": {
            "columns": {
                "id": _column("int unsigned", False),
                "customer_id": _column("int unsigned", False),
                "status": _column("enum('new','paid')", False, "'new'"),
                "amount": _column("decimal(10,2)", False),
                "note": _column("text", True, comment="Free text"),
            },
            "primary_key": ["id"],
            "indexes": [
                {"name": "orders_ibfk_1", "columns": ["customer_id"], "unique": False},
                {"name": "orders_note_idx", "columns": ["note"], "unique": False, "method": "fulltext"},
            ],
            # MariaDB records an unstated ON DELETE as RESTRICT.
            "foreign_keys": [
                {
                    "name": "orders_ibfk_1",
                    "columns": ["customer_id"],
                    "ref_table": "Customers",
                    "ref_columns": ["id"],
                    "on_delete": "restrict",
                }
            ],
            "checks": [],
            "comment": None,
        },
    },
    "enums": {},
}

SQLITE_FACTS = {
    "version": 1,
    "tables": {
        "Note": {
            "columns": {
                "id": _column("integer", False),
                "ownerId": _column("text", True),
                "createdAt": _column("datetime", False, "CURRENT_TIMESTAMP"),
            },
            "primary_key": ["id"],
            "indexes": [],
            "foreign_keys": [
                {
                    "name": "Note_ownerId_fkey",
                    "columns": ["ownerId"],
                    "ref_table": "User",
                    "ref_columns": ["id"],
                    "on_delete": "cascade",
                    "on_update": "cascade",
                }
            ],
            "checks": [],
            "comment": None,
        },
        "User": {
            "columns": {"id": _column("text", False), "email": _column("text", False)},
            "primary_key": ["id"],
            "indexes": [{"name": "User_email_key", "columns": ["email"], "unique": True}],
            "foreign_keys": [],
            "checks": [],
            "comment": None,
        },
    },
    "enums": {},
}


def test_postgresql_schema_prints_interface_shape_without_the_primary_key_index():
    assert schema_facts(pg_schema()) == PG_FACTS
    assert render_schemas([source(pg_schema())], "json") == _dumped(PG_FACTS)


def test_mysql_schema_keys_tables_by_written_name_and_unstated_on_delete_is_restrict():
    assert render_schemas([source(mysql_schema())], "json") == _dumped(MYSQL_FACTS)


def test_sqlite_schema():
    assert render_schemas([source(sqlite_schema())], "json") == _dumped(SQLITE_FACTS)


def test_several_schemas_are_keyed_by_path_without_their_own_version():
    sources = [source(pg_schema(), "db/pg"), source(sqlite_schema(), "prisma", kind="prisma")]
    expected = {
        "version": 1,
        "schemas": {
            "db/pg": {"tables": PG_FACTS["tables"], "enums": PG_FACTS["enums"]},
            "prisma": {"tables": SQLITE_FACTS["tables"], "enums": {}},
        },
    }
    assert render_schemas(sources, "json") == _dumped(expected)


def test_no_schema_prints_an_empty_schemas_object():
    assert render_schemas([], "json") == '{\n  "version": 1,\n  "schemas": {}\n}\n'


def test_empty_table_and_a_workflow_command_in_a_comment():
    schema = Schema()
    schema.tables["public.t"] = Table("t", "public", comment="##[error]not a command")
    output = render_schemas([source(schema)], "json")
    # JSON escapes the bracket, so the document still holds exactly the comment.
    assert output.splitlines()[9] == '      "comment": "##\\u005berror]not a command"'
    assert json.loads(output) == {
        "version": 1,
        "tables": {
            "public.t": {
                "columns": {},
                "primary_key": None,
                "indexes": [],
                "foreign_keys": [],
                "checks": [],
                "comment": "##[error]not a command",
            }
        },
        "enums": {},
    }
