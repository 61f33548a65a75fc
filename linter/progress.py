"""A one-line progress bar on stderr, for runs long enough that silence looks like a hang.

It appears only once a run has taken `DELAY` seconds (`$DBVET_PROGRESS_DELAY` overrides it), only
on a terminal, never under CI (`$CI` set: logs keep every `\\r` as a line) and never for machine
formats or `--quiet` (the caller decides those). It redraws one line in place and erases itself
when the run ends, so the report that follows starts on a clean line.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Callable, TextIO

DELAY = 2.0
WIDTH = 30
REDRAW_EVERY = 0.1  # seconds: a terminal needs no more than ten frames a second


class Progress:
    def __init__(self, stream: TextIO | None, delay: float = DELAY, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream  # None: draw nothing
        self.delay = delay
        self.clock = clock
        self.started = clock()
        self.drawn_at: float | None = None
        self.width = 0  # characters on the line now

    @classmethod
    def for_run(cls, enabled: bool, stream: TextIO | None = None) -> "Progress":
        """A bar on stderr if the caller wants one and stderr is a terminal outside CI; else a silent one."""
        stream = stream or sys.stderr
        if not enabled or os.environ.get("CI") or not _is_terminal(stream):
            return cls(None)
        try:
            delay = float(os.environ.get("DBVET_PROGRESS_DELAY", DELAY))
        except ValueError:
            delay = DELAY
        return cls(stream, delay)

    def update(self, done: int, total: int) -> None:
        if self.stream is None:
            return
        now = self.clock()
        if now - self.started < self.delay:
            return
        if self.drawn_at is not None and now - self.drawn_at < REDRAW_EVERY and done < total:
            return
        fraction = done / total if total else 1.0
        filled = int(WIDTH * fraction)
        line = f"dbvet: [{'#' * filled}{'.' * (WIDTH - filled)}] {int(100 * fraction):3d}%"
        self._write("\r" + line)
        self.width = len(line)
        self.drawn_at = now

    def clear(self) -> None:
        if self.stream is not None and self.width:
            self._write("\r" + " " * self.width + "\r")
            self.width = 0

    def _write(self, text: str) -> None:
        assert self.stream is not None
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # a closed or broken terminal: stop drawing, keep linting
            self.stream = None

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: object) -> None:
        self.clear()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
