"""Which rules run, where, at what severity and with which options.

Everything is decided once, when the `Selection` is built: the engine asks per finding and per
file, so each answer is a set lookup (per-file answers are cached by path).

Selection follows ruff. The rules on by default form the first layer; then the configuration's
selectors, then the command line's (`Config.selections()`). Within a layer the most specific
selector wins (`ALL` < `S` < `S0` < `S00` < `S005`), and at equal specificity `ignore` beats
`select`. A layer with `select` replaces the set chosen so far; `extend-select` adds to it and
`ignore` removes from it. E001–E004 are always on; per-file-ignores and inline comments can
still silence them.

Globs (per-file-ignores, exclude) are relative to `Config.root`: `*` and `?` stay within one
path segment, `**` spans directories. A pattern matches a file when it matches the file's path
or one of its parent directories (so `legacy/` covers everything under it); a pattern without
`/` may also match any single segment (`*.down.sql` matches that file in any folder).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from linter.config import ALL, ALWAYS_ON, Config, known_prefixes
from linter.errors import UserError
from linter.findings import Severity
from linter.rule import Rule


class Selection:
    def __init__(self, config: Config, rules: Mapping[str, type[Rule]], cwd: Path | None = None) -> None:
        self.config = config
        self.rules = rules
        self._check_selectors(config)
        self._enabled = self._choose(config)
        self._severity = {rule_id: config.severity.get(rule_id, rule.severity) for rule_id, rule in rules.items()}
        self._options = {
            rule_id: {name: option.default for name, option in rule.options.items()} | config.rules.get(rule_id, {})
            for rule_id, rule in rules.items()
        }
        cwd = Path(os.path.abspath(cwd or Path.cwd()))
        root = Path(os.path.abspath(config.root))
        self._cwd = cwd
        self._root = None if root == cwd else root  # None: display paths are already relative to root
        self._per_file = [(Glob(pattern), self._resolve(ids)) for pattern, ids in config.per_file_ignores.items()]
        self._exclude = [Glob(pattern) for pattern in config.exclude]
        self._ignored_cache: dict[str, frozenset[str]] = {}

    # --- questions the engine asks ----------------------------------------------------------
    def enabled(self, rule_id: str) -> bool:
        return rule_id in self._enabled

    @property
    def enabled_ids(self) -> frozenset[str]:
        return self._enabled

    def enabled_rules(self) -> list[type[Rule]]:
        """The rule classes that run, in id order."""
        return [rule for rule_id, rule in sorted(self.rules.items()) if rule_id in self._enabled]

    def severity(self, rule_id: str) -> Severity:
        return self._severity[rule_id]

    def options(self, rule_id: str) -> dict:
        """The rule's declared defaults under the configured values."""
        return self._options.get(rule_id, {})

    def ignored_for(self, rule_id: str, path: str) -> bool:
        """Whether per-file-ignores silence `rule_id` in the file shown as `path`."""
        if not self._per_file:
            return False
        ignored = self._ignored_cache.get(path)
        if ignored is None:
            relative = self.relative(path)
            ignored = frozenset().union(*(ids for glob, ids in self._per_file if glob.matches(relative)))
            self._ignored_cache[path] = ignored
        return rule_id in ignored

    def excluded(self, path: str) -> bool:
        """Whether an `exclude` glob covers the file or directory shown as `path`."""
        if not self._exclude:
            return False
        relative = self.relative(path)
        return any(glob.matches(relative) for glob in self._exclude)

    def relative(self, path: str) -> str:
        """A display path (relative to the working directory, or absolute) made relative to the root."""
        if self._root is None and not os.path.isabs(path):
            return _clean(path)
        absolute = os.path.normpath(os.path.join(self._cwd, path))
        try:
            return _clean(os.path.relpath(absolute, self._root or self._cwd))
        except ValueError:  # another drive on Windows
            return _clean(absolute)

    # --- building ---------------------------------------------------------------------------
    def _check_selectors(self, config: Config) -> None:
        """Catches ids that reached the config unchecked (apply_cli without `rules`)."""
        prefixes = known_prefixes(self.rules)
        for number, layer in enumerate(config.selections()):
            source = "the command line" if number else str(config.path or "the configuration")
            unknown = [
                item for item in (*(layer.select or ()), *layer.extend_select, *layer.ignore) if item not in prefixes
            ]
            if unknown:
                raise UserError(f"unknown rule id or prefix {', '.join(map(repr, unknown))} in {source}")
            pinned = sorted(ALWAYS_ON.intersection(layer.ignore))
            if pinned:
                raise UserError(
                    f"{', '.join(pinned)} cannot be ignored (in {source}): input problems are always reported"
                )

    def _resolve(self, selectors: Iterable[str]) -> frozenset[str]:
        ids: set[str] = set()
        for selector in selectors:
            ids.update(rule_id for rule_id in self.rules if selector == ALL or rule_id.startswith(selector))
        return frozenset(ids)

    def _choose(self, config: Config) -> frozenset[str]:
        chosen = {rule_id for rule_id, rule in self.rules.items() if rule.default_on}
        for layer in config.selections():
            updates: dict[str, bool] = {}
            picks = (*(layer.select or ()), *layer.extend_select)
            # Less specific selectors first, so that more specific ones overwrite them.
            for specificity in sorted({_specificity(item) for item in (*picks, *layer.ignore)}):
                for selector in picks:
                    if _specificity(selector) == specificity:
                        updates.update(dict.fromkeys(self._resolve((selector,)), True))
                for selector in layer.ignore:
                    if _specificity(selector) == specificity:
                        updates.update(dict.fromkeys(self._resolve((selector,)), False))
            if layer.select is not None:
                chosen = {rule_id for rule_id, on in updates.items() if on}
            else:
                chosen |= {rule_id for rule_id, on in updates.items() if on}
                chosen -= {rule_id for rule_id, on in updates.items() if not on}
        return frozenset(chosen | ALWAYS_ON.intersection(self.rules))


def _specificity(selector: str) -> int:
    return 0 if selector == ALL else len(selector)


def _clean(path: str) -> str:
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


class Glob:
    """A gitignore-like glob over '/'-separated paths relative to the configuration root."""

    __slots__ = ("_regex", "_segment", "pattern")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        cleaned = _clean(pattern).strip("/")
        try:
            self._regex = re.compile(translate(cleaned))
        except re.error as exc:  # a character range such as [z-a]
            raise UserError(f"invalid glob {pattern!r}: {exc.msg}") from None
        # Without '/', the pattern names a file or directory wherever it is.
        self._segment = "/" not in cleaned

    def matches(self, path: str) -> bool:
        """Whether the pattern covers `path` (a file or directory, relative to the root)."""
        parts = path.split("/")
        for end in range(len(parts), 0, -1):
            if self._regex.match("/".join(parts[:end])):
                return True
        return self._segment and any(self._regex.match(part) for part in parts)


def translate(pattern: str) -> str:
    """A glob as a regular expression: `*`/`?` within a segment, `**` across segments."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        char = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:[^/]*/)*")  # zero or more whole directories
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif char == "*":
            out.append("[^/]*")
            i += 1
        elif char == "?":
            out.append("[^/]")
            i += 1
        elif char == "[":
            start = i + 1
            if start < n and pattern[start] in "!^":
                start += 1
            if start < n and pattern[start] == "]":  # a leading ']' is a member, not the end
                start += 1
            end = pattern.find("]", start)
            if end < 0:
                out.append(re.escape(char))
                i += 1
                continue
            body = pattern[i + 1 : end]
            negate = body[:1] in ("!", "^")
            if negate:
                body = body[1:]
            members = "".join(c if c == "-" else re.escape(c) for c in body)
            out.append("[" + ("^" if negate else "") + members + "]")
            i = end + 1
        else:
            out.append(re.escape(char))
            i += 1
    return "(?s:" + "".join(out) + r")\Z"
