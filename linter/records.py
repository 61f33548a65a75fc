"""Records: the project's value classes, declared as dataclasses are.

    class Span(Record, frozen=True):
        line: int
        column: int = 1
        seen: list[str] = field(default_factory=list, compare=False)

Each annotated class attribute is a field, base records' fields first; a default or a
`field(...)` follows it as with `dataclasses`, and `ClassVar` annotations are not fields. A
record has `__slots__`, an `__init__` taking its fields (keyword-only with `kw_only=True`),
a `__repr__`, an `__eq__` by value (none with `eq=False`: identity) and, when frozen, a
`__hash__` by value and no assignment. A record's options are its nearest record base's
unless it names them. `fields`, `replace` and `is_record` stand for their `dataclasses` twins.

Why not `@dataclass(frozen=True, slots=True)`: it writes and compiles the source of each
class's methods as its module is imported, ~0.35 ms a class, and `import dataclasses` brings
`inspect` along. The ~50 records a one-file pre-commit run imports made that a quarter of
its time. A record is a plain class with `__slots__`; its `__eq__` and `__hash__` are the code
`@dataclass` writes, compiled the first time each is called. Its `__init__` binds its own
arguments for the class's first few instances (the same defaults, the same errors), then is
replaced by the compiled one: a class a run never uses costs ~15 µs, one it makes a few of
costs no compiling (~0.1 ms a class), and an instance of a class in heavy use costs what a
dataclass's does.
"""

from __future__ import annotations

from reprlib import recursive_repr
from typing import Any, Callable, ClassVar, dataclass_transform

MISSING: Any = type("_Missing", (), {"__repr__": lambda self: "MISSING", "__slots__": ()})()
_set = object.__setattr__


class FrozenInstanceError(AttributeError):
    """Assignment to a field of a frozen record."""


class Field:
    """A field's name and options, as `field()` declares them."""

    __slots__ = ("name", "default", "default_factory", "init", "repr", "compare")

    def __init__(self, default: Any, default_factory: Any, init: bool, repr: bool, compare: bool) -> None:
        self.name = ""
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.compare = compare

    @property
    def has_default(self) -> bool:
        return self.default is not MISSING or self.default_factory is not MISSING

    def __repr__(self) -> str:
        return f"Field(name={self.name!r}, init={self.init}, repr={self.repr}, compare={self.compare})"


def field(
    *,
    default: Any = MISSING,
    default_factory: Callable[[], Any] | Any = MISSING,
    init: bool = True,
    repr: bool = True,
    compare: bool = True,
) -> Any:
    """A field's default and options, as `dataclasses.field` takes them."""
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError("cannot specify both default and default_factory")
    return Field(default, default_factory, init, repr, compare)


def fields(record: Any) -> tuple[Field, ...]:
    """A record's (or record class's) fields, in order."""
    try:
        return tuple(record.__record_fields__.values())
    except AttributeError:
        raise TypeError(f"not a record: {record!r}") from None


def is_record(value: Any) -> bool:
    """Whether this is a record class or an instance of one."""
    return hasattr(value if isinstance(value, type) else type(value), "__record_fields__")


def replace(record: Any, /, **changes: Any) -> Any:
    """A new record of the same class, with these fields changed and the others as they are."""
    for spec in record.__record_fields__.values():
        if not spec.init:
            if spec.name in changes:
                raise ValueError(f"field {spec.name} is not an __init__ argument: replace() cannot set it")
        elif spec.name not in changes:
            changes[spec.name] = getattr(record, spec.name)
    return record.__class__(**changes)


def _is_class_var(annotation: Any) -> bool:
    if isinstance(annotation, str):  # `from __future__ import annotations`: as written
        return annotation.startswith(("ClassVar", "typing.ClassVar"))
    return annotation is ClassVar or getattr(annotation, "__origin__", None) is ClassVar


@dataclass_transform(field_specifiers=(field,))
class _RecordType(type):
    def __new__(
        mcs,
        name: str,
        bases: tuple[type, ...],
        namespace: dict[str, Any],
        *,
        frozen: bool | None = None,
        eq: bool | None = None,
        kw_only: bool | None = None,
    ) -> _RecordType:
        inherited = next((base.__record_options__ for base in bases if hasattr(base, "__record_options__")), None)
        if inherited is None:  # `Record` itself
            return super().__new__(mcs, name, bases, namespace)
        frozen = inherited[0] if frozen is None else frozen
        eq = inherited[1] if eq is None else eq
        kw_only = inherited[2] if kw_only is None else kw_only
        specs: dict[str, Field] = {}
        for base in reversed(bases):
            specs.update(getattr(base, "__record_fields__", {}))
            if getattr(base, "__record_options__", (frozen,))[0] != frozen and base is not Record:
                raise TypeError(f"{name}: a frozen and a mutable record cannot inherit from each other")
        slots = []
        for field_name, annotation in namespace.get("__annotations__", {}).items():
            if _is_class_var(annotation):
                continue
            value = namespace.pop(field_name, MISSING)
            spec = value if isinstance(value, Field) else Field(value, MISSING, True, True, True)
            if type(spec.default).__hash__ is None:  # a list, dict or set shared by every instance
                raise ValueError(f"{name}.{field_name}: mutable default {spec.default!r}: use default_factory")
            spec.name = field_name
            if field_name not in specs:
                slots.append(field_name)
            specs[field_name] = spec
        _check_order(name, specs, kw_only)
        namespace["__slots__"] = tuple(slots)
        namespace["__record_fields__"] = specs
        namespace["__record_options__"] = (frozen, eq, kw_only)
        if frozen:
            namespace.setdefault("__setattr__", _refuse_assignment)
            namespace.setdefault("__delattr__", _refuse_deletion)
        cls = super().__new__(mcs, name, bases, namespace)
        if "__init__" not in namespace:
            cls.__init__ = _bound_until_used(cls)
        if eq and "__eq__" not in namespace:
            cls.__eq__ = _on_first_call(cls, "__eq__", _eq_source)
        if "__hash__" not in namespace:
            if eq and frozen:
                cls.__hash__ = _on_first_call(cls, "__hash__", _hash_source)
            elif eq:
                cls.__hash__ = None  # type: ignore[assignment]  # equal by value but changeable
        return cls


def _check_order(name: str, specs: dict[str, Field], kw_only: bool) -> None:
    """A positional field without a default cannot follow one with a default (as `dataclasses`)."""
    if kw_only:
        return
    defaulted = None
    for spec in specs.values():
        if not spec.init:
            continue
        if spec.has_default:
            defaulted = spec.name
        elif defaulted is not None:
            raise TypeError(f"{name}: field {spec.name!r} without a default follows {defaulted!r}, which has one")


def _on_first_call(cls: type, method: str, source: Callable[[type], tuple[str, dict[str, Any]]]) -> Callable:
    """A method that compiles the real one on its first call, puts it on the class, and runs it."""

    def first_call(self: Any, *args: Any, **kwargs: Any) -> Any:
        return _compiled(cls, method, source)(self, *args, **kwargs)

    first_call.__name__ = method
    first_call.__qualname__ = f"{cls.__qualname__}.{method}"
    return first_call


# How many instances a record's generic `__init__` makes before the class gets its compiled one.
# A one-file run makes few instances of most classes it uses, and compiling costs ~0.1 ms.
_COMPILE_AFTER = 8


def _bound_until_used(cls: type) -> Callable:
    """An `__init__` that binds its arguments itself, as the compiled one would (same defaults,
    same errors), for the class's first instances; then it compiles the fast one and puts it
    on the class."""
    specs = list(cls.__record_fields__.values())  # type: ignore[attr-defined]
    frozen, _, kw_only = cls.__record_options__  # type: ignore[attr-defined]
    arguments = [spec for spec in specs if spec.init]
    positional = () if kw_only else tuple(spec.name for spec in arguments)
    known = {spec.name for spec in arguments}
    required = [spec.name for spec in arguments if not spec.has_default]
    least, most = 1 + (0 if kw_only else len(required)), 1 + len(positional)  # with self
    takes = (
        f"{most} positional argument{'s' * (most > 1)}"
        if least == most
        else f"from {least} to {most} positional arguments"
    )
    post_init = getattr(cls, "__post_init__", None)
    made = 0

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        nonlocal made
        made += 1
        if made > _COMPILE_AFTER:
            compiled = _compiled(cls, "__init__", _init_source)
            return compiled(self, *args, **kwargs)
        name = f"{cls.__qualname__}.__init__()"
        if len(args) > len(positional):
            raise TypeError(f"{name} takes {takes} but {len(args) + 1} were given")
        values = dict(zip(positional, args))
        for key, value in kwargs.items():
            if key not in known:
                raise TypeError(f"{name} got an unexpected keyword argument '{key}'")
            if key in values:
                raise TypeError(f"{name} got multiple values for argument '{key}'")
            values[key] = value
        missing = [key for key in required if key not in values]
        if missing:
            kind = "keyword-only" if kw_only else "positional"
            listed = _quoted_list(missing)
            raise TypeError(
                f"{name} missing {len(missing)} required {kind} argument{'s' * (len(missing) > 1)}: {listed}"
            )
        for spec in specs:
            if spec.name in values:
                value = values[spec.name]
            elif spec.default_factory is not MISSING:
                value = spec.default_factory()
            elif spec.default is not MISSING:
                value = spec.default
            else:
                continue  # set later by the class's own code
            if frozen:
                _set(self, spec.name, value)
            else:
                setattr(self, spec.name, value)
        if post_init is not None:
            self.__post_init__()

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


def _quoted_list(names: list[str]) -> str:
    """As Python lists missing arguments: 'a', 'a' and 'b', 'a', 'b', and 'c'."""
    quoted = [f"'{name}'" for name in names]
    if len(quoted) <= 2:
        return " and ".join(quoted)
    return ", ".join(quoted[:-1]) + ", and " + quoted[-1]


def _compiled(cls: type, method: str, source: Callable[[type], tuple[str, dict[str, Any]]]) -> Callable:
    """The method `@dataclass` would write, compiled and put on the class."""
    text, names = source(cls)
    exec(compile(text, f"<record {cls.__qualname__}.{method}>", "exec"), names)
    compiled = names[method]
    compiled.__qualname__ = f"{cls.__qualname__}.{method}"
    setattr(cls, method, compiled)
    return compiled


def _init_source(cls: type) -> tuple[str, dict[str, Any]]:
    specs = cls.__record_fields__  # type: ignore[attr-defined]
    frozen, _, kw_only = cls.__record_options__  # type: ignore[attr-defined]
    names: dict[str, Any] = {"_r_set": _set, "_r_factory": MISSING}
    parameters = ["self", "*"] if kw_only else ["self"]
    body = []
    for spec in specs.values():
        value = spec.name
        if spec.default_factory is not MISSING:
            names[f"_r_make_{spec.name}"] = spec.default_factory
            if spec.init:
                parameters.append(f"{spec.name}=_r_factory")
                value = f"_r_make_{spec.name}() if {spec.name} is _r_factory else {spec.name}"
            else:
                value = f"_r_make_{spec.name}()"
        elif spec.default is not MISSING:
            names[f"_r_default_{spec.name}"] = spec.default
            if spec.init:
                parameters.append(f"{spec.name}=_r_default_{spec.name}")
            else:
                value = f"_r_default_{spec.name}"
        elif spec.init:
            parameters.append(spec.name)
        else:
            continue  # set later by the class's own code
        body.append(f"    _r_set(self, {spec.name!r}, {value})" if frozen else f"    self.{spec.name} = {value}")
    if hasattr(cls, "__post_init__"):
        body.append("    self.__post_init__()")
    text = f"def __init__({', '.join(parameters)}):\n" + ("\n".join(body) or "    pass") + "\n"
    return text, names


def _compared(cls: type, prefix: str) -> str:
    specs = cls.__record_fields__.values()  # type: ignore[attr-defined]
    return "(" + "".join(f"{prefix}.{spec.name}," for spec in specs if spec.compare) + ")"


def _eq_source(cls: type) -> tuple[str, dict[str, Any]]:
    text = (
        "def __eq__(self, other):\n"
        "    if other.__class__ is self.__class__:\n"
        f"        return {_compared(cls, 'self')} == {_compared(cls, 'other')}\n"
        "    return NotImplemented\n"
    )
    return text, {}


def _hash_source(cls: type) -> tuple[str, dict[str, Any]]:
    return f"def __hash__(self):\n    return hash({_compared(cls, 'self')})\n", {}


def _refuse_assignment(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _refuse_deletion(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


class Record(metaclass=_RecordType):
    """The base of every record; see the module's documentation."""

    __slots__ = ()
    __record_options__: ClassVar[tuple[bool, bool, bool]] = (False, True, False)
    __record_fields__: ClassVar[dict[str, Field]] = {}

    @recursive_repr()
    def __repr__(self) -> str:
        shown = ", ".join(
            f"{spec.name}={getattr(self, spec.name)!r}" for spec in self.__record_fields__.values() if spec.repr
        )
        return f"{type(self).__qualname__}({shown})"

    # Pickling (worker processes send results) and `copy`: slots hold the state, and a frozen
    # record's `__setattr__` refuses the default way of restoring it.
    def __getstate__(self) -> list[Any] | dict[str, Any]:
        try:
            return [getattr(self, name) for name in self.__record_fields__]
        except AttributeError:  # a field not set yet (`field(init=False)` without a default)
            return {name: getattr(self, name) for name in self.__record_fields__ if hasattr(self, name)}

    def __setstate__(self, state: list[Any] | dict[str, Any]) -> None:
        for name, value in state.items() if isinstance(state, dict) else zip(self.__record_fields__, state):
            _set(self, name, value)
