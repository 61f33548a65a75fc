"""`linter.records`: records behave as the dataclasses they replace (`frozen=True, slots=True`,
or `slots=True` with or without `eq=False`), and a one-file run needs neither `dataclasses`
nor `inspect`."""

from __future__ import annotations

import copy
import dataclasses
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any, ClassVar

import pytest

from linter import records
from linter.records import FrozenInstanceError, Record, field, fields, is_record, replace

REPO = Path(__file__).resolve().parents[1]


class Point(Record, frozen=True):
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()
    seen: list[str] = field(default_factory=list, compare=False, repr=False)
    kind: ClassVar[str] = "point"


@dataclasses.dataclass(frozen=True, slots=True)
class PointDC:
    x: int
    y: int = 0
    tags: tuple[str, ...] = ()
    seen: list[str] = dataclasses.field(default_factory=list, compare=False, repr=False)
    kind: ClassVar[str] = "point"


class Box(Record):
    width: int
    items: list[int] = field(default_factory=list)
    _cache: str | None = field(default=None, init=False, repr=False)


@dataclasses.dataclass(slots=True)
class BoxDC:
    width: int
    items: list[int] = dataclasses.field(default_factory=list)
    _cache: str | None = dataclasses.field(default=None, init=False, repr=False)


class Node(Record, eq=False):
    name: str
    children: list[Node] = field(default_factory=list)


class Event(Record, frozen=True, kw_only=True):
    at: int
    note: str = ""


class Moved(Event):  # options come from the base: frozen, keyword-only
    to: str


RECORDS = (Point, Box, Node, Event, Moved)


@pytest.fixture(params=["generic", "compiled"])
def tier(request, monkeypatch):
    """Each behaviour test runs with the `__init__` a class starts with, which binds its own
    arguments, and with the compiled one it gets after a few instances."""
    compiled = request.param == "compiled"
    monkeypatch.setattr(records, "_COMPILE_AFTER", 0 if compiled else 10**9)
    for cls in RECORDS:
        made = records._compiled(cls, "__init__", records._init_source) if compiled else records._bound_until_used(cls)
        monkeypatch.setattr(cls, "__init__", made)
    return request.param


def _same(record: Any, dataclass: Any) -> None:
    assert repr(record) == repr(dataclass).replace("DC(", "(")


def test_a_frozen_record_is_a_frozen_dataclass(tier):
    a, b = Point(1, 2, ("t",)), PointDC(1, 2, ("t",))
    _same(a, b)
    assert Point(1) == Point(1, 0) and Point(1) != Point(2) and Point(1) != PointDC(1)
    assert Point(1, seen=["a"]) == Point(1, seen=["b"])  # compare=False
    assert hash(Point(1, 2)) == hash(Point(1, 2, seen=["x"])) == hash((1, 2, ()))
    assert hash(Point(1, 2)) == hash(PointDC(1, 2))
    assert Point(1).seen is not Point(1).seen  # a new list each time
    assert Point.kind == "point" and [spec.name for spec in fields(Point)] == ["x", "y", "tags", "seen"]
    with pytest.raises(FrozenInstanceError):
        a.x = 5  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del a.x  # type: ignore[misc]
    assert isinstance(FrozenInstanceError("x"), AttributeError)
    with pytest.raises(AttributeError):
        object.__setattr__(a, "other", 1)  # slots: no other attributes
    assert not hasattr(a, "__dict__")


def test_a_mutable_record_is_a_slotted_dataclass(tier):
    a, b = Box(3), BoxDC(3)
    _same(a, b)
    a.items.append(1)
    a.width = 4
    assert a == Box(4, [1]) and a != Box(4)
    assert a._cache is None
    a._cache = "kept"
    dc = BoxDC(4, [1])
    dc._cache = "kept"
    assert a != Box(4, [1]) and dc != BoxDC(4, [1])  # `_cache` compares too
    assert Box.__hash__ is None and BoxDC.__hash__ is None  # equal by value, so not hashable
    assert [spec.name for spec in fields(a)] == ["width", "items", "_cache"]


def test_eq_false_keeps_identity(tier):
    a = Node("a")
    assert a == a and a != Node("a") and hash(a) == object.__hash__(a)
    assert repr(Node("a", [Node("b")])) == "Node(name='a', children=[Node(name='b', children=[])])"


def test_keyword_only_records_and_inherited_options(tier):
    moved = Moved(at=1, to="x")
    assert moved == Moved(to="x", at=1, note="") and moved != Event(at=1)
    assert [spec.name for spec in fields(Moved)] == ["at", "note", "to"]
    assert repr(moved) == "Moved(at=1, note='', to='x')"
    with pytest.raises(TypeError):
        Moved(1, "", "x")  # type: ignore[misc]
    with pytest.raises(TypeError):
        Moved(at=1)  # type: ignore[call-arg]
    with pytest.raises(FrozenInstanceError):
        moved.to = "y"  # type: ignore[misc]
    assert hash(moved) == hash(Moved(at=1, to="x"))


def _errors(cls: type) -> list[str | None]:
    """What constructing `cls` wrongly says, with its name left out."""
    said: list[str | None] = []
    for args, kwargs in [((), {}), ((1,), {"z": 2}), ((1, 2, (), [], 5), {}), ((1,), {"x": 1}), ((), {"y": 1})]:
        try:
            cls(*args, **kwargs)
            said.append(None)
        except TypeError as error:
            said.append(str(error).replace(cls.__qualname__, "C"))
    return said


def test_constructor_errors_are_the_dataclass_ones(tier):
    assert (
        _errors(Point)
        == _errors(PointDC)
        == [
            "C.__init__() missing 1 required positional argument: 'x'",
            "C.__init__() got an unexpected keyword argument 'z'",
            "C.__init__() takes from 2 to 5 positional arguments but 6 were given",
            "C.__init__() got multiple values for argument 'x'",
            "C.__init__() missing 1 required positional argument: 'x'",
        ]
    )

    @dataclasses.dataclass(frozen=True, kw_only=True)
    class MovedDC:
        at: int
        note: str = ""
        to: str

    for args, kwargs in [((1,), {}), ((), {}), ((), {"at": 1}), ((), {"at": 1, "to": "x", "by": 2})]:
        with pytest.raises(TypeError) as record_error:
            Moved(*args, **kwargs)
        with pytest.raises(TypeError) as dataclass_error:
            MovedDC(*args, **kwargs)
        assert str(record_error.value).replace("Moved", "C") == str(dataclass_error.value).replace(
            "test_constructor_errors_are_the_dataclass_ones.<locals>.MovedDC", "C"
        )
    with pytest.raises(TypeError, match="unexpected keyword argument '_cache'"):
        Box(1, _cache="x")  # type: ignore[call-arg]

    class Two(Record):
        a: int
        b: int
        c: int

    with pytest.raises(TypeError, match=r"missing 3 required positional arguments: 'a', 'b', and 'c'$"):
        Two()
    with pytest.raises(TypeError, match=r"missing 2 required positional arguments: 'b' and 'c'$"):
        Two(1)
    with pytest.raises(TypeError, match=r"Two.__init__\(\) takes 4 positional arguments but 5 were given$"):
        Two(1, 2, 3, 4)


def test_declaration_errors():
    with pytest.raises(TypeError, match="'b' without a default follows 'a'"):

        class Bad(Record):
            a: int = 0
            b: int

    with pytest.raises(ValueError, match="mutable default"):

        class Shared(Record):
            a: list[int] = []  # noqa: RUF012

    with pytest.raises(TypeError, match="frozen and a mutable"):

        class Thawed(Point, frozen=False):
            z: int = 0

    with pytest.raises(ValueError, match="both default and default_factory"):
        field(default=1, default_factory=list)


def test_replace_fields_and_is_record(tier):
    a = Point(1, 2, seen=["s"])
    b = replace(a, y=3)
    assert b == Point(1, 3) and b.seen == ["s"] and a.y == 2
    box = Box(1)
    box._cache = "stale"
    assert replace(box, width=2)._cache is None  # not an init argument: starts afresh
    with pytest.raises(ValueError):
        replace(box, _cache="x")
    assert replace(Moved(at=1, to="x"), to="y") == Moved(at=1, to="y")
    assert is_record(Point) and is_record(a) and not is_record(PointDC) and not is_record(1)
    with pytest.raises(TypeError):
        fields(1)


def test_post_init_runs_after_the_fields_are_set(tier):
    class Checked(Record):
        low: int
        high: int

        def __post_init__(self) -> None:
            if self.low > self.high:
                raise ValueError("low above high")

    assert Checked(1, 2).high == 2
    with pytest.raises(ValueError):
        Checked(3, 2)


def test_pickle_and_copy_keep_every_field(tier):
    """Worker processes send records back by pickle; `copy` takes the same way."""
    frozen = Point(1, 2, ("a",), ["s"])
    for restored in (pickle.loads(pickle.dumps(frozen)), copy.copy(frozen), copy.deepcopy(frozen)):
        assert restored == frozen and restored.seen == ["s"] and type(restored) is Point
    box = Box(1, [2])
    box._cache = "c"
    restored_box = pickle.loads(pickle.dumps(box))
    assert (restored_box.width, restored_box.items, restored_box._cache) == (1, [2], "c")

    class Partial(Record):
        a: int
        later: str = field(init=False)

    partial = copy.copy(Partial(1))  # a field never set stays unset
    assert partial.a == 1 and not hasattr(partial, "later")


def test_methods_are_compiled_then_the_classs_own():
    """`__eq__` and `__hash__` on their first call; `__init__` after a few instances, made
    until then by the generic one."""

    class Fresh(Record, frozen=True):
        a: int
        b: tuple[int, ...] = field(default_factory=tuple)

    generic = Fresh.__init__
    made = [Fresh(number) for number in range(records._COMPILE_AFTER)]
    assert Fresh.__init__ is generic and made[1] == Fresh(1) and hash(made[2]) == hash((2, ()))
    assert Fresh.__init__ is not generic
    assert [(item.a, item.b) for item in made + [Fresh(9, (1,))]] == [
        (n, ()) for n in range(records._COMPILE_AFTER)
    ] + [(9, (1,))]
    for method in (Fresh.__init__, Fresh.__eq__, Fresh.__hash__):
        assert method.__code__.co_filename.startswith("<record ") and method.__qualname__.startswith("test_")


def test_a_one_file_check_imports_neither_dataclasses_nor_inspect(tmp_path):
    """What start-up is spared (see `linter.records`): a pre-commit run on one file."""
    (tmp_path / "0001_add.sql").write_text("ALTER TABLE users ADD COLUMN email text;\n", encoding="utf-8")
    code = (
        "import sys, io, contextlib\n"
        "before = set(sys.modules)  # a .pth file may have imported them at start: not ours\n"
        "from linter.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    main(['check', '--no-cache', '--dialect', 'postgresql', {str(tmp_path / '0001_add.sql')!r}])\n"
        "print(sorted(m for m in ('dataclasses', 'inspect') if m in set(sys.modules) - before))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
