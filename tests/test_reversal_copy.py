"""R002 replays each down on a copy of the schema that copies a table only when the replay
takes it (CopyOnAccess), and reuses the facts of tables the down left alone: both must give
exactly what copying every table gave, and must never change the schema they copy."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent / "benchmarks"), str(HERE)]

from conftest import corpus_path  # noqa: E402

from linter.config import config_from_mapping  # noqa: E402
from linter.records import replace  # noqa: E402
from linter.run import check  # noqa: E402
from linter.schema import CopyOnAccess, Enum, Index, IndexElement, Name, Schema, Table, peek_items  # noqa: E402
from rules import all_rules  # noqa: E402


def _full_clone(self: Schema) -> Schema:
    """What Schema.clone did before copy-on-access: every table and enum copied up front."""
    return replace(
        self,
        tables={key: table.clone() for key, table in self.tables.items()},
        enums={key: replace(enum, values=list(enum.values)) for key, enum in self.enums.items()},
        views=dict(self.views),
        schemas=set(self.schemas),
        search_path=list(self.search_path),
    )


def _findings(root: Path) -> list[tuple]:
    rules = all_rules()
    previous = Path.cwd()
    os.chdir(root)
    try:
        result = check([Path(".")], config_from_mapping({}, rules, root), rules, root)
    finally:
        os.chdir(previous)
    return [(f.rule, f.path, f.line, f.column, f.end_line, f.end_column, f.message, f.fix) for f in result.findings]


@pytest.mark.parametrize(
    "project", ["LemmyNet__lemmy", "openmeterio__openmeter", "UPchieve__subway", "harness__harness", "authelia__authelia"]
)
def test_corpus_findings_match_full_copies(project, monkeypatch):
    root = corpus_path(project)
    fast = _findings(root)
    assert any(finding[0] == "R002" for finding in fast)  # the reversal path ran
    monkeypatch.setattr(Schema, "clone", _full_clone)
    assert _findings(root) == fast


def test_synthetic_findings_match_full_copies(tmp_path, monkeypatch):
    from gen_synthetic import generate

    generate(tmp_path / "corpus", 400, seed=3)
    fast = _findings(tmp_path / "corpus")
    assert any(finding[0] == "R002" for finding in fast)
    monkeypatch.setattr(Schema, "clone", _full_clone)
    assert _findings(tmp_path / "corpus") == fast


def _tables() -> dict[str, Table]:
    return {name: Table(name, "public") for name in ("a", "b", "c")}


@pytest.mark.parametrize(
    "take",
    [
        lambda copy: copy["a"],
        lambda copy: copy.get("a"),
        lambda copy: copy.setdefault("a", None),
        lambda copy: copy.pop("a"),
        lambda copy: copy.popitem()[1] if next(reversed(copy)) == "a" else None,
        lambda copy: next(t for t in copy.values() if t.name == "a"),
        lambda copy: next(t for k, t in copy.items() if k == "a"),
        lambda copy: copy.copy()["a"],
    ],
)
def test_every_way_to_a_value_hands_out_a_copy(take):
    shared = _tables()
    shared = dict(reversed(list(shared.items())))  # "a" last, for popitem
    original = shared["a"]
    copy = CopyOnAccess(shared, Table.clone)
    taken = take(copy)
    assert taken is not None and taken is not original
    taken.comment = "changed"
    assert original.comment is None
    assert shared["a"] is original


def test_a_value_is_copied_once_and_stored_values_are_its_own():
    shared = _tables()
    copy = CopyOnAccess(shared, Table.clone)
    first = copy["a"]
    assert copy["a"] is first and copy.get("a") is first
    new = Table("d", "public")
    copy["d"] = new
    assert copy["d"] is new and "d" not in shared
    del copy["b"]
    assert "b" in shared and "b" not in copy
    assert copy.is_shared("c") and not copy.is_shared("a") and not copy.is_shared("d")


def test_peek_reads_originals_without_copying():
    shared = _tables()
    copy = CopyOnAccess(shared, Table.clone)
    taken = copy["a"]
    peeked = dict(peek_items(copy))
    assert peeked["a"] is taken and peeked["b"] is shared["b"]
    assert copy.is_shared("b")
    assert dict(peek_items(shared)) == shared


def test_merging_with_bar_is_refused():
    copy = CopyOnAccess(_tables(), Table.clone)
    with pytest.raises(TypeError):
        copy | {}
    with pytest.raises(TypeError):
        {} | copy


def test_schema_clone_and_tables_where_leave_the_original_alone():
    tables = {f"public.{name}": Table(name, "public") for name in "abc"}
    tables["public.b"].indexes["b_idx"] = Index("b_idx", Name("b", "public"), [IndexElement("x")])
    schema = Schema(tables=tables, enums={"public.mood": Enum("mood", ["ok"], "public")})
    clone = schema.clone()
    for table in clone.tables_where(lambda table: table.name != "b"):
        table.comment = "changed"
    assert clone.tables.is_shared("public.b")  # looked at, not taken
    found_table, found_index = clone.find_index(Name("b_idx"))
    assert found_table is clone.tables["public.b"] and found_table is not tables["public.b"]
    found_index.unique = True
    clone.enums["public.mood"].values.append("sad")
    clone.tables["public.x"] = Table("x", "public")
    assert [t.comment for t in schema.tables.values()] == [None, None, None]
    assert tables["public.b"].indexes["b_idx"].unique is False
    assert schema.enums["public.mood"].values == ["ok"]
    assert list(schema.tables) == ["public.a", "public.b", "public.c"]
    assert [t.comment for t in clone.tables.values()] == ["changed", None, "changed", None]
