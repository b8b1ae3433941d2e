"""Named random streams from one ``SeedSequence`` per block of replications.

A run's replications come in fixed-size blocks. Block ``b`` of a scenario gets
``SeedSequence((seed, scenario_key), spawn_key=(b,))``, spawned into one generator per stream name,
where ``scenario_key`` is a hash of the scenario's names (theatre and attack profile; see
:func:`scenario_entropy`). Nothing about the monitoring or guarantee design enters the seed, so two
designs run on the same seed and scenario see the same weather, the same aggressor dice and the same
detection dice: common random numbers. Neither does the job that ran the block, so one scenario
can be split over many jobs and recombined.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Sequence

import numpy as np

#: A ``SeedSequence`` entropy: the root seed alone, or the root seed and a scenario key.
Entropy = int | Sequence[int]

#: Stream names, in spawn order. Appending a name keeps every existing stream unchanged.
STREAMS: tuple[str, ...] = (
    "types",         # the replication's hidden types (revisionism, political will)
    "weather",       # cloud and electronic-warfare pressure
    "aggressor",     # sector and theatre decisions
    "defender",      # retaliation and spontaneous violations
    "detection",     # whether each event is seen, and how it is attributed
    "verification",  # single-source verification, false alarms
    "assets",        # loss of monitoring assets
    "response",      # guarantors' decisions and clashes
    "mesa",          # the generator handed to mesa.Model (unused by the daily phases)
)

#: Streams whose consumption per day depends on what happened (binomial counts, decisions taken
#: only where a commitment triggered); they are re-seeded every day so that a difference between
#: two designs on one day cannot shift the draws of the days after.
DAILY_STREAMS: tuple[str, ...] = ("verification", "response")


def scenario_entropy(seed: int, scenario: Sequence[str]) -> tuple[int, int]:
    """The entropy of a scenario's streams: the root seed and a 128-bit key of the scenario's names.

    ``scenario`` names the uncertainties (the theatre and the attack profile). Overriding a value
    inside a named scenario keeps its draws, so a sensitivity sweep over it is paired too.

    Examples
    --------
    >>> scenario_entropy(7, ["ukraine_2026", "opportunist"])[1] % 10**6   # the same on every machine
    610679
    >>> scenario_entropy(7, ["ukraine_2026", "cautious"])[1] % 10**6
    719154
    """
    text = json.dumps(list(scenario))
    return seed, int.from_bytes(hashlib.sha256(text.encode()).digest()[:16], "little")


def block_streams(entropy: Entropy, block: int) -> dict[str, np.random.Generator]:
    """One independent generator per name in :data:`STREAMS` for replication block ``block``.

    Examples
    --------
    >>> a = block_streams(7, 0)["weather"].random()
    >>> b = block_streams(7, 0)["weather"].random()
    >>> c = block_streams(7, 1)["weather"].random()
    >>> a == b, a == c
    (True, False)
    """
    root = np.random.SeedSequence(entropy=entropy, spawn_key=(block,))
    return {
        name: np.random.Generator(np.random.PCG64(child))
        for name, child in zip(STREAMS, root.spawn(len(STREAMS)), strict=True)
    }


def daily_stream(entropy: Entropy, block: int, name: str, day: int) -> np.random.Generator:
    """The generator of stream ``name`` (one of :data:`DAILY_STREAMS`) for one day of one block.

    Examples
    --------
    >>> g = daily_stream(7, 0, "response", 3).random()
    >>> g == daily_stream(7, 0, "response", 3).random() != daily_stream(7, 0, "response", 4).random()
    True
    """
    key = (block, len(STREAMS) + DAILY_STREAMS.index(name), day)
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy, spawn_key=key)))


class Uniforms:
    """``size`` float32 uniforms, drawn exactly as ``rng.random(size, dtype=np.float32)`` draws them.

    Bit for bit the same numbers, and ``rng`` is left in the same state, but only the uniforms a
    phase reads are turned into floats: the rest are compared as integers. NumPy makes each float32
    as ``k / 2**24`` from the top 24 of 32 random bits, taking the low half of a 64-bit draw first
    and keeping the high half for the next float32 (``has_uint32`` in the generator's state). Here
    the 64-bit draws are read directly (``random_raw``), which costs about a third less per uniform
    than building every float (see docs/performance.md). Most sector-days use their uniforms only
    to find the few events below a small probability.

    Examples
    --------
    >>> a, b = np.random.default_rng(3), np.random.default_rng(3)
    >>> u, expected = Uniforms(a, 5), b.random(5, dtype=np.float32)
    >>> bool((u.at(np.arange(5)) == expected).all()), u.below(0.5).tolist() == np.flatnonzero(
    ...     expected < np.float32(0.5)).tolist()
    (True, True)
    >>> bool(a.random(dtype=np.float32) == b.random(dtype=np.float32))   # the same state after
    True
    """

    def __init__(self, rng: np.random.Generator, size: int) -> None:
        bits = rng.bit_generator
        if sys.byteorder != "little" or not isinstance(bits, np.random.PCG64):
            self._bits = (rng.random(size, dtype=np.float32) * np.float32(2**32)).astype(np.uint32)
            return
        state = bits.state
        head = np.zeros(0, dtype=np.uint32)
        if state["has_uint32"] and size:                   # a half kept from the last draw
            head, size = np.array([state["uinteger"]], dtype=np.uint32), size - 1
            state["has_uint32"] = 0
            bits.state = state
        halves = bits.random_raw((size + 1) // 2).view(np.uint32)   # low half first
        if size % 2:                                       # keep the unused high half, as NumPy does
            state = bits.state
            state["has_uint32"], state["uinteger"] = 1, int(halves[-1])
            bits.state = state
            halves = halves[:-1]
        self._bits = np.concatenate([head, halves]) if len(head) else halves   # u = (bits >> 8) / 2**24

    def at(self, index: np.ndarray) -> np.ndarray:
        """The uniforms at ``index`` (float32)."""
        return (self._bits[index] >> np.uint32(8)).astype(np.float32) * np.float32(2**-24)

    def below(self, p: float) -> np.ndarray:
        """Indices of the uniforms below ``p``, compared as float32 (as ``u < p`` compares)."""
        k = int(np.ceil(np.float64(np.float32(p)) * 2**24))   # u < p  <=>  bits >> 8 < k, exactly
        if k > 2**24 - 1:
            return np.arange(len(self._bits))
        return np.flatnonzero(self._bits < np.uint32(max(k, 0) << 8))
