"""One function run in a thread while the caller goes on (git working out a change, say)."""

from __future__ import annotations

import threading
from typing import Any, Callable


class InBackground:
    """`function(*args)` run in a thread; `result()` waits for its value or raises its error.
    (`concurrent.futures` does this too, but importing it, with `logging`, costs a hook ~5 ms.)"""

    def __init__(self, function: Callable[..., Any], *args: Any) -> None:
        self._outcome: tuple[bool, Any] | None = None
        self._thread = threading.Thread(target=self._run, args=(function, args), daemon=True)
        self._thread.start()

    def _run(self, function: Callable[..., Any], args: tuple) -> None:
        try:
            self._outcome = (True, function(*args))
        except BaseException as exc:  # handed to the caller of result()
            self._outcome = (False, exc)

    def result(self) -> Any:
        self._thread.join()
        assert self._outcome is not None
        succeeded, value = self._outcome
        if not succeeded:
            raise value
        return value
