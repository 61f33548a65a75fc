"""The result cache: a unit's findings, stored under a hash of everything they depend on.

Content-addressed: the key of a unit (`unit_key`) hashes dbvet's version and code, the
settings of the run that change results, which of the unit's files are reported on, and the
whole unit as discovered — every file's path and text, the layout, dialect, transaction mode
and `--base` flags of each migration, whatever discovery attached. An unchanged unit hits; any
change is a different key, so entries are never invalidated, only evicted when the cache grows
past its bound, least recently used first: a hit touches its entry's modification time. Runs
that write little only count what they wrote (in `results-N.pending-eviction`); the entries are
looked at, a `stat` each, once that count is worth it or a day has passed
(`Cache.evict_when_due`), so a pre-commit run does not pay for the size of the cache.

Entries live in the user's cache directory (`$DBVET_CACHE_DIR`, else `$XDG_CACHE_HOME/dbvet`,
else `~/.cache/dbvet`), one file per key, written to a temporary name and renamed into place,
so concurrent runs never see half an entry. An entry is a magic line with the format version,
a checksum and a `marshal`-ed record of plain values (no pickle: loading an entry runs no code).
Anything unexpected on load — truncation, garbage, another format — is a miss, and the entry is
removed. A cache directory that cannot be created or written disables caching, silently.

Beside the results: the rules' index (what a run needs to know of each rule without importing
it) and parsed `.dbvet.yaml` files, both keyed by this code, so a warm pre-commit run imports
neither the rules it does not run nor ruamel.yaml.
"""

from __future__ import annotations

import enum
import functools
import marshal
import os
import sys
import time
from operator import attrgetter
from pathlib import Path, PurePath
from typing import Any, Iterable

from linter import __version__
from linter.findings import Edit, Finding, Severity
from linter.records import fields, is_record
from linter.source import SourceFile
from linter.units import Unit, UnitResult

try:  # `hashlib` loads OpenSSL (~3 ms at start-up); the built-in BLAKE2 is all the cache needs
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - CPython always has it
    from hashlib import blake2b

FORMAT = 1
MAGIC = b"dbvet-cache %d\n" % FORMAT
DIGEST_SIZE = 20
DEFAULT_MAX_BYTES = 256 * 1024 * 1024


def cache_dir() -> Path:
    configured = os.environ.get("DBVET_CACHE_DIR")
    if configured:
        return Path(configured)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "dbvet"
    return Path.home() / ".cache" / "dbvet"


# --- keys -----------------------------------------------------------------------------------
@functools.cache
def code_stamp() -> bytes:
    """dbvet's own code as installed (name, size and modification time of every module) and the
    parsers it uses: an edited checkout, or an upgraded pglast or ruamel.yaml, never reads a
    stale entry."""
    import linter
    import rules

    digest = blake2b(digest_size=DIGEST_SIZE)
    digest.update(f"{__version__} {FORMAT} {sys.version_info[:2]}".encode())
    roots = [os.path.dirname(linter.__file__), *rules.__path__]
    for root in roots:
        for where, stat in sorted(_modules(root)):
            digest.update(f"{where} {stat.st_size} {stat.st_mtime_ns}\n".encode())
    for parser in ("pglast", "sqlglot", "ruamel.yaml"):
        try:
            origin = _origin(parser)
            stamp = os.stat(origin).st_mtime_ns if origin else 0
        except (ImportError, OSError, ValueError):
            origin, stamp = None, 0
        digest.update(f"{parser} {origin} {stamp}\n".encode())
    return digest.digest()


def _origin(name: str) -> str | None:
    """Where a module's file is, found without importing it or its packages (`find_spec`
    imports `ruamel` to find `ruamel.yaml`)."""
    from importlib.machinery import PathFinder
    from importlib.util import find_spec

    top, *inner = name.split(".")
    spec = find_spec(top)  # a top-level name is found, not imported
    for depth in range(len(inner)):
        if spec is None or spec.submodule_search_locations is None:
            return None
        spec = PathFinder.find_spec(".".join([top, *inner[: depth + 1]]), spec.submodule_search_locations)
    return spec.origin if spec is not None else None


def _modules(root: str) -> Iterable[tuple[str, os.stat_result]]:
    stack = [root]
    while stack:
        where = stack.pop()
        try:
            with os.scandir(where) as entries:
                for entry in entries:
                    if entry.name.endswith(".py") and entry.is_file():
                        yield entry.path, entry.stat()
                    elif entry.is_dir() and not entry.name.startswith((".", "__")):
                        stack.append(entry.path)
        except OSError:
            continue


def settings_key(stamp: bytes, setup_parts: Iterable[Any]) -> bytes:
    """The part of every unit's key that the run's settings make."""
    return blake2b(stamp + _structure(tuple(setup_parts)), digest_size=DIGEST_SIZE).digest()


def unit_key(settings: bytes, unit: Unit, report_paths: set[str] | None) -> str:
    reported = None if report_paths is None else sorted(report_paths & unit.paths())
    return blake2b(settings + _structure((reported, unit)), digest_size=DIGEST_SIZE).hexdigest()


def _structure(value: Any) -> bytes:
    """A value written out by its structure: records field by field (so a field another part
    of dbvet adds to a migration or a set is part of the key without anyone remembering to add
    it), containers item by item, an object met twice as a reference to its first visit.

    Every piece says where it ends (a length, a count, a closing mark or `;`), so two different
    values never write the same text. The pieces are strings, joined and encoded once: a unit
    holds tens of thousands of them, and hashing each on its own costs more than the walk."""
    out: list[str] = []
    _write_value(value, out, {})
    return "".join(out).encode("utf-8", "surrogatepass")


def _write_value(value: Any, out: list[str], seen: dict[int, int]) -> None:
    kind = _KINDS.get(type(value)) or _kind(type(value))
    if kind == "str":
        out.append(f"s{len(value)}:")
        out.append(value)
        return
    if kind == "scalar":
        out.append(f"{value!a};")
        return
    if kind == "enum":
        out.append(f"e{value.value!a};")
        return
    if kind == "path":
        _write_value(os.fsdecode(value), out, seen)
        return
    if kind == "bytes":
        _write_value(value.hex(), out, seen)
        return
    marker = seen.get(id(value))
    if marker is not None:
        out.append(f"@{marker};")
        return
    seen[id(value)] = len(seen)
    end = ""
    if kind == "sequence":
        out.append(f"[{len(value)};")
        items = value
    elif kind == "set":
        out.append(f"{{{len(value)};")
        items = sorted(value, key=repr)
    elif kind == "dict":
        out.append(f"<{len(value)};")
        items = [part for pair in sorted(value.items(), key=lambda pair: repr(pair[0])) for part in pair]
    elif kind == "other":
        text = repr(value)
        out.append(f"r{len(text)}:")
        out.append(text)
        return
    else:  # a record: its type, then the fields `_kind` chose
        cls = type(value)
        out.append(f"{cls.__module__}.{cls.__qualname__}(")
        try:
            items = kind.read(value)
        except AttributeError:  # a slot never assigned reads as None
            items = [getattr(value, name, None) for name in kind.names]
        end = ")"
    for item in items:
        # Strings and numbers, most of what a unit holds, are written here rather than by a call.
        cls = type(item)
        if cls is str:
            out.append(f"s{len(item)}:{item}")
        elif cls is int or cls is bool or item is None:
            out.append(f"{item!r};")
        elif _KINDS.get(cls) == "enum":
            out.append(f"e{item.value!a};")
        else:
            _write_value(item, out, seen)
    out.append(end)


class _Record:
    """The fields of a record type that `_write_value` writes, and a reader of them all at once."""

    __slots__ = ("names", "read")

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        self.read = attrgetter(*names) if len(names) > 1 else lambda value: tuple(getattr(value, n) for n in names)


# How `_write_value` writes each type: a word, or a `_Record`.
_KINDS: dict[type, Any] = {str: "str", type(None): "scalar", bool: "scalar", int: "scalar", float: "scalar"}


def _kind(cls: type) -> Any:
    if issubclass(cls, enum.Enum):
        kind: Any = "enum"
    elif issubclass(cls, str):
        kind = "str"
    elif issubclass(cls, (bool, int, float)):
        kind = "scalar"
    elif issubclass(cls, PurePath):
        kind = "path"
    elif issubclass(cls, bytes):
        kind = "bytes"
    elif issubclass(cls, (list, tuple)):
        kind = "sequence"
    elif issubclass(cls, (set, frozenset)):
        kind = "set"
    elif issubclass(cls, dict):
        kind = "dict"
    elif issubclass(cls, SourceFile):  # its text and what reports show; not caches or where it lives
        kind = _Record(("path", "text", "bom"))
    elif is_record(cls):
        kind = _Record(tuple(spec.name for spec in fields(cls)))
    elif isinstance(getattr(cls, "__slots__", None), (tuple, list)) and cls.__module__.startswith("linter."):
        kind = _Record(tuple(cls.__slots__))
    else:
        kind = "other"
    _KINDS[cls] = kind
    return kind


# --- records --------------------------------------------------------------------------------
_FINDING_FIELDS = tuple(f.name for f in fields(Finding))


def to_record(result: UnitResult) -> tuple:
    findings = []
    for finding in result.findings:
        values = [getattr(finding, name) for name in _FINDING_FIELDS]
        values[_FINDING_FIELDS.index("severity")] = int(finding.severity)
        values[_FINDING_FIELDS.index("edits")] = tuple(
            (edit.path, edit.start, edit.end, edit.replacement) for edit in finding.edits
        )
        findings.append(tuple(values))
    sources = tuple(
        (path, None if file is None else (file.text, file.bom, file.where)) for path, file in result.sources.items()
    )
    return (_FINDING_FIELDS, tuple(findings), sources, tuple(result.dialects.items()))


def from_record(record: tuple) -> UnitResult:
    names, findings, sources, dialects = record
    if names != _FINDING_FIELDS:
        raise ValueError("findings recorded with other fields")
    severity = _FINDING_FIELDS.index("severity")
    edits = _FINDING_FIELDS.index("edits")
    levels = {int(level): level for level in Severity}  # a lookup, not an enum call per finding
    restored = []
    for values in findings:
        values = list(values)
        values[severity] = levels[values[severity]]
        if values[edits]:  # most findings carry no fix: their () stands as read
            values[edits] = tuple([Edit(*edit) for edit in values[edits]])
        restored.append(Finding(*values))
    files: dict[str, SourceFile | None] = {}
    for path, file in sources:
        if file is None:
            files[path] = None
        else:
            text, bom, where = file
            files[path] = SourceFile(path, text, where, bom)
    return UnitResult(restored, files, dict(dialects))


# --- the store ------------------------------------------------------------------------------
_LOOK_AT_LEAST_EVERY_NS = 24 * 3600 * 10**9


class Cache:
    """Entries on disk; every failure is a miss (reading) or a no-op (writing)."""

    def __init__(self, root: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.root = root / f"results-{FORMAT}"
        self.max_bytes = max_bytes
        self.usable = True
        self.written = 0
        self.hits = 0
        self.misses = 0

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / key

    def get(self, key: str) -> UnitResult | None:
        path = self._path(key)
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            self.misses += 1
            return None
        try:
            result = _decode(data)
        except Exception:  # any damage at all: recompute, and do not trip over it again
            result = None
            _remove(path)
        if result is None:
            self.misses += 1
            return None
        self.hits += 1
        _touch(path)
        return result

    def put(self, key: str, result: UnitResult) -> None:
        if not self.usable:
            return
        data = _pack(to_record(result))
        if _write(self._path(key), data):
            self.written += len(data)
        else:  # read-only or full: run without a cache
            self.usable = False

    def evict_when_due(self, now_ns: int | None = None) -> None:
        """Evict (below) when it is due. Looking at every entry costs a `stat` each, so a run that
        wrote little, a pre-commit run say, only adds what it wrote to a running count kept
        beside the entries; the cache is looked at once that count passes 1/16 of the bound, or
        a day after the last look. Meanwhile the cache may pass its bound by that much, and by
        what concurrent runs, each updating the count at once, may leave uncounted."""
        if not self.written:
            return
        now_ns = time.time_ns() if now_ns is None else now_ns
        pending, last_look = self._pending()
        pending += self.written
        if pending < self.max_bytes // 16 and 0 <= now_ns - last_look < _LOOK_AT_LEAST_EVERY_NS:
            self._set_pending(pending, last_look)
            return
        self.evict()
        self._set_pending(0, now_ns)

    def _pending(self) -> tuple[int, int]:
        """(bytes written since the last look, when that was); (0, 0), due at once, if unknown."""
        try:
            words = self._pending_path().read_bytes().split()
            if len(words) == 3 and words[0] == b"v1":
                return int(words[1]), int(words[2])
        except (OSError, ValueError):
            pass
        return 0, 0

    def _set_pending(self, pending: int, last_look: int) -> None:
        _write(self._pending_path(), b"v1 %d %d\n" % (pending, last_look))

    def _pending_path(self) -> Path:
        return self.root.parent / f"{self.root.name}.pending-eviction"

    def evict(self) -> None:
        """Remove the least recently used entries while the cache holds more than its bound."""
        if not self.written:
            return
        entries = []
        try:
            with os.scandir(self.root) as folders:
                for folder in folders:
                    if not folder.is_dir():
                        continue
                    with os.scandir(folder.path) as files:
                        for entry in files:
                            stat = entry.stat()
                            entries.append((stat.st_mtime_ns, stat.st_size, entry.path))
        except OSError:
            return
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries):
            if total <= self.max_bytes:
                break
            _remove(Path(path))
            total -= size


def _pack(record: Any) -> bytes:
    payload = marshal.dumps(record)
    return MAGIC + blake2b(payload, digest_size=DIGEST_SIZE).digest() + payload


def _unpack(data: bytes) -> Any:
    """The record in an entry; None when the entry is not one this version wrote whole."""
    if not data.startswith(MAGIC):
        return None
    checksum = data[len(MAGIC) : len(MAGIC) + DIGEST_SIZE]
    payload = data[len(MAGIC) + DIGEST_SIZE :]
    if blake2b(payload, digest_size=DIGEST_SIZE).digest() != checksum:
        return None
    return marshal.loads(payload)


def _decode(data: bytes) -> UnitResult | None:
    record = _unpack(data)
    return None if record is None else from_record(record)


def _write(path: Path, data: bytes) -> bool:
    """Write whole or not at all: a temporary file renamed into place."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
        return True
    except OSError:
        _remove(temporary)
        return False
    except BaseException:  # Ctrl-C in the middle: leave no temporary file behind
        _remove(temporary)
        raise


def _touch(path: Path) -> None:
    """Mark an entry used now, for eviction. Another run may have just evicted it, or the cache
    may be read-only: the hit stands either way."""
    try:
        os.utime(path)
    except OSError:
        pass


def _remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def open_cache() -> Cache | None:
    """The user's cache, or None when its directory cannot be made."""
    root = cache_dir()
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return Cache(root)



# --- parsed configuration files -------------------------------------------------------------
# A YAML configuration, parsed: ruamel.yaml takes ~25 ms to import, a third of a pre-commit run
# on one file, to read the same few lines every time. Keyed by this code (and ruamel's) and the
# file's text; only plain values are kept (marshal refuses anything else, which is then not kept).
MISSING = object()


def _parsed_path(kind: str, text: str) -> Path:
    keyed = code_stamp() + kind.encode() + b"\0" + text.encode("utf-8", "surrogatepass")
    return cache_dir() / f"parsed-{FORMAT}" / blake2b(keyed, digest_size=DIGEST_SIZE).hexdigest()


def read_parsed(kind: str, text: str) -> Any:
    """What `write_parsed` kept for this kind of file and text, else `MISSING`."""
    path = _parsed_path(kind, text)
    try:
        data = path.read_bytes()
    except OSError:
        return MISSING
    try:
        record = _unpack(data)
    except Exception:
        record = None
    if not isinstance(record, tuple) or len(record) != 1:
        _remove(path)
        return MISSING
    _touch(path)
    return record[0]


def write_parsed(kind: str, text: str, value: Any) -> None:
    try:
        data = _pack((value,))
    except ValueError:  # a value marshal cannot write (a YAML date, say): parse it next time
        return
    _write(_parsed_path(kind, text), data)


# --- the rule index -------------------------------------------------------------------------
def _index_path() -> Path:
    return cache_dir() / f"rules-{FORMAT}" / code_stamp().hex()


def read_rule_index() -> list | None:
    """The rules' records (`rules.record_of`) for this code, if a run left them; else None."""
    path = _index_path()
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        records = _unpack(data)
    except Exception:
        records = None
    if not isinstance(records, list):
        _remove(path)
        return None
    return records


def write_rule_index(records: list) -> None:
    """Keep the index for this code only: older code's indexes are removed."""
    path = _index_path()
    if _write(path, _pack(records)):
        try:
            others = [other for other in path.parent.iterdir() if other.name != path.name and not other.name.startswith(".")]
        except OSError:
            others = []
        for other in others:
            _remove(other)
