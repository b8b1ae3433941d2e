"""Progress reports on stderr: a live line in a terminal, occasional lines in a log."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO


class Progress:
    """Reports ``done / total`` work with the time left.

    In a terminal the line is redrawn at most twice a second; in a non-interactive log a line is
    printed at most every ``log_every_s`` seconds (and at the end), so a long run never floods it.
    """

    def __init__(self, label: str, unit: str, stream: TextIO | None = None,
                 log_every_s: float = 30.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.label, self.unit = label, unit
        self.stream = stream or sys.stderr
        self.interactive = self.stream.isatty()
        self._every = 0.5 if self.interactive else log_every_s
        self._clock = clock
        self._start = clock()
        self._last = self._start

    def __call__(self, done: int, total: int) -> None:
        now = self._clock()
        finished = done >= total
        if not finished and now - self._last < self._every:
            return
        self._last = now
        elapsed = now - self._start
        left = elapsed * (total - done) / done if done else float("nan")
        text = (f"{self.label}: {done:,}/{total:,} {self.unit} ({100 * done / max(total, 1):.0f}%), "
                f"{elapsed:.0f} s elapsed, ~{left:.0f} s left")
        if self.interactive:
            self.stream.write("\r" + text + ("\n" if finished else ""))
        elif elapsed >= self._every or (finished and elapsed >= 1.0):
            self.stream.write(text + "\n")
        self.stream.flush()
