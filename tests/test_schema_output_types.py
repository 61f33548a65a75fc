"""`dbvet schema --format json` spells PostgreSQL types as format_type() does, quotes included."""

from __future__ import annotations

from linter.schema import Column, Schema, Table
from linter.schema_output_json import schema_facts


def test_mixed_case_user_types_are_quoted_as_the_server_prints_them():
    table = Table(name="users", schema="public")
    for name, type_ in [("role", "Role"), ("roles", "Role[]"), ("mood", "mood"), ("name", "character varying(40)")]:
        table.columns[name] = Column(name, type_)
    for dialect, expected in [("postgresql", ['"Role"', '"Role"[]', "mood", "character varying(40)"]), ("mysql", None)]:
        schema = Schema(dialect=dialect, tables={"public.users": table})
        columns = next(iter(schema_facts(schema)["tables"].values()))["columns"]
        assert [c["type"] for c in columns.values()] == (expected or ["Role", "Role[]", "mood", "character varying(40)"])
