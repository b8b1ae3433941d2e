"""Progress reports: a few lines in a log, never a flood."""

from __future__ import annotations

import io

from deterrence_sim.progress import Progress


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_log_gets_a_line_every_interval_and_one_at_the_end() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = Progress("simulating", "replication-days", stream, log_every_s=30, clock=clock)
    for step in range(1, 1001):        # 1,000 updates over 100 s
        clock.now = step * 0.1
        progress(step, 1000)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 4             # at 30, 60 and 90 s, and the end
    assert lines[0].startswith("simulating: 300/1,000 replication-days (30%)")
    assert "~70 s left" in lines[0]
    assert lines[-1].startswith("simulating: 1,000/1,000 replication-days (100%)")


def test_short_run_prints_nothing_to_a_log() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = Progress("simulating", "replication-days", stream, clock=clock)
    clock.now = 0.5
    progress(10, 10)
    assert stream.getvalue() == ""
