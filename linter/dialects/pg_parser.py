"""pglast's C parser (libpg_query), entered without loading pglast's Python AST.

dbvet uses three names of `pglast.parser`: `parse_sql_json`, `split` and `ParseError`. Importing
that module the ordinary way first runs pglast's package, which imports its enum modules, and
the extension itself imports the AST module: ~20 ms, a fifth of a one-file pre-commit run,
for modules the JSON parse never touches. So when pglast is not imported yet, its package is
set up here with `pglast.enums` and `pglast.ast` as lazy modules (`importlib.util.LazyLoader`,
the standard library's lazy import): each is still a module in `sys.modules` and an attribute
of the package, and runs in full the first time anything reads an attribute of it. Code that
does use pglast's AST in the same process (a plugin, a test) sees no difference.

Where pglast is already imported, or is not laid out as expected, this is the plain import.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys

# Submodules of pglast that its package and its parser import eagerly, and dbvet never reads.
_LAZY = ("enums", "ast")


def _import_with_lazy_submodules(package: str, lazy: tuple[str, ...]) -> None:
    """Import `package` with `lazy` submodules bound to it, each run on first attribute access.

    The lazy modules are attributes of the package before its `__init__` runs, so its
    `from . import enums` (and the extension's `from . import ast, enums`) find them there and
    leave them unloaded: the import system would otherwise read their `__spec__`, which runs them.
    """
    spec = importlib.util.find_spec(package)  # a top-level package: found, not run
    if spec is None or spec.loader is None or spec.submodule_search_locations is None:
        raise ImportError(f"{package} is not a package")
    try:
        module = importlib.util.module_from_spec(spec)
        for name in lazy:
            setattr(module, name, _lazy_module(f"{package}.{name}", spec.submodule_search_locations))
        sys.modules[package] = module
        spec.loader.exec_module(module)
    except BaseException:  # leave nothing half-imported behind for the plain import to trip on
        for name in [n for n in sys.modules if n == package or n.startswith(f"{package}.")]:
            del sys.modules[name]
        raise


def _lazy_module(name: str, search: list[str]):
    """Register `name` in sys.modules as a lazy module, and return it.

    A lazy package's own submodules are registered lazily too, and bound to it as the import
    system would bind them: importing one of them first (`from pglast.enums.parsenodes import
    ConstrType`) would otherwise run the package on the way, which imports the submodule, and
    the import system would then load it a second time, a copy with enums of its own.
    """
    spec = importlib.machinery.PathFinder.find_spec(name, search)
    if spec is None or spec.loader is None:
        raise ImportError(f"{name} not found")
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules[name] = module
    if spec.submodule_search_locations:
        for found in _submodules(spec.submodule_search_locations):
            # Set before the package runs: the lazy loader keeps such attributes when it does.
            setattr(module, found, _lazy_module(f"{name}.{found}", spec.submodule_search_locations))
    return module


def _submodules(folders: list[str]) -> list[str]:
    """The names of the modules and packages in a package's folders, as `pkgutil.iter_modules`
    finds them, without the `inspect` import (~4 ms) that it makes to read file names."""
    suffixes = sorted(importlib.machinery.all_suffixes(), key=len, reverse=True)
    names = set()
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir():
                if "." not in entry.name and os.path.isfile(os.path.join(entry.path, "__init__.py")):
                    names.add(entry.name)
                continue
            suffix = next((suffix for suffix in suffixes if entry.name.endswith(suffix)), None)
            name = entry.name[: -len(suffix)] if suffix else ""
            if name and name != "__init__" and "." not in name:
                names.add(name)
    return sorted(names)


if "pglast" not in sys.modules:
    try:
        _import_with_lazy_submodules("pglast", _LAZY)
    except Exception:  # noqa: BLE001 -- a pglast laid out differently: the import below does it the plain way
        pass

from pglast.parser import ParseError, parse_sql_json, split  # noqa: E402

__all__ = ["ParseError", "parse_sql_json", "split"]
