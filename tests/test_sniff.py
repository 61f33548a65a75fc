"""Telling a set's dialect from its SQL: clear evidence only."""

from __future__ import annotations

import pytest

from linter.sniff import sniff_dialect


@pytest.mark.parametrize(
    ("texts", "dialect", "evidence"),
    [
        (["CREATE TABLE a (id bigserial PRIMARY KEY, data jsonb DEFAULT '{}'::jsonb);"], "postgresql", "::casts, bigserial, jsonb"),
        (["CREATE TABLE a (id int AUTO_INCREMENT PRIMARY KEY) ENGINE=InnoDB;"], "mysql", "AUTO_INCREMENT, ENGINE="),
        (["PRAGMA foreign_keys=OFF;", "CREATE TABLE a (id integer PRIMARY KEY AUTOINCREMENT);"], "sqlite", "AUTOINCREMENT, PRAGMA"),
    ],
)
def test_clear_evidence_decides(texts, dialect, evidence):
    assert sniff_dialect(texts) == (dialect, evidence)


def test_one_marker_is_not_enough():
    assert sniff_dialect(["CREATE TABLE a (data jsonb);"]) == (None, "postgresql: jsonb")


def test_mixed_evidence_is_not_clear():
    assert sniff_dialect(["CREATE TABLE a (id int AUTO_INCREMENT, b jsonb, c timestamptz);"]) == (
        None,
        "postgresql: jsonb, timestamptz; mysql: AUTO_INCREMENT",
    )


def test_portable_sql_says_so():
    assert sniff_dialect(["CREATE TABLE a (id integer PRIMARY KEY);"]) == (None, "no dialect-specific syntax")
