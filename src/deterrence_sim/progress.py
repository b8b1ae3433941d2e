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


def format_duration(seconds: float) -> str:
    """A duration in the largest sensible units, rounded: for estimates, not for timings.

    Examples
    --------
    >>> format_duration(42.4), format_duration(125), format_duration(5 * 3600 + 1234)
    ('about 42 s', 'about 2 min', 'about 5 h 21 min')
    >>> format_duration(3 * 86400 + 7200)
    'about 3 days 2 h'
    """
    s = round(seconds)
    if s < 120:
        return f"about {s} s"
    if s < 3600:
        return f"about {round(s / 60)} min"
    if s < 2 * 86400:
        hours, minutes = divmod(round(s / 60), 60)
        return f"about {hours} h {minutes} min"
    days, hours = divmod(round(s / 3600), 24)
    return f"about {days} days {hours} h"
