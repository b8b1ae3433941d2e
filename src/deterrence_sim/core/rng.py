"""Random numbers: named streams of one replication block, dense and counter-based.

Every random number of a run is a function of the root seed, the replication block, a stream
*name* and a position, and of nothing else: not of the design, of the scenario's labels, of the
order in which streams are used, or of how many other streams exist. So

- two designs, or two values of any swept parameter, see the same draws wherever they ask for the
  same thing (common random numbers);
- a stream is keyed by its name (``"cloud"``, ``"param:attack.temperature"``,
  ``"honour:binding_support"``), so adding, removing or reordering one changes no other stream;
- a block's draws do not depend on the job that runs it, so one scenario can be split over jobs.

Two kinds of stream serve the two kinds of need:

- **dense** streams (:meth:`BlockStreams.generator`): a PCG64 generator per name, for the uniforms
  drawn for every sector-day (opportunities, spontaneous violations), read through
  :class:`Uniforms` at the cost of the generator's raw bits;
- **counter** streams (:func:`counter_uniforms`): a uniform computed from (key, day, index) by the
  SplitMix64 mixing function, for draws needed only at a few positions (an event, a report, a
  replication's weather). The draw at a position never depends on which other positions were drawn.

Replications in a model can be *copies*: ``ds.evaluate`` runs ``P`` points x ``k`` replications in
one model, and replication ``j`` of every point uses the draws of position ``j`` (``period = k``),
so points are compared on common random numbers and chunking the points changes nothing.
"""

from __future__ import annotations

import hashlib
import sys
from functools import cache

import numpy as np

_GAMMA = np.uint64(0x9E3779B97F4A7C15)        # SplitMix64's increment (odd: a bijection)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_DAY_SHIFT = np.uint64(40)                    # counters are (day << 40) | index: 10^12 positions a day


@cache
def name_words(name: str) -> tuple[int, ...]:
    """Four 32-bit words of the SHA-256 of a stream name (entropy for its seed).

    Examples
    --------
    >>> name_words("cloud")[0]          # the same on every machine
    269510742
    """
    digest = hashlib.sha256(name.encode()).digest()
    return tuple(int.from_bytes(digest[i:i + 4], "little") for i in range(0, 16, 4))


def _seed_sequence(seed: int, block: int, name: str) -> np.random.SeedSequence:
    return np.random.SeedSequence([seed, *name_words(name)], spawn_key=(block,))


def stream_key(seed: int, block: int, name: str) -> np.uint64:
    """The 64-bit key of counter stream ``name`` in replication block ``block``.

    Examples
    --------
    >>> bool(stream_key(7, 0, "cloud") == stream_key(7, 0, "cloud") != stream_key(7, 1, "cloud"))
    True
    """
    return np.uint64(_seed_sequence(seed, block, name).generate_state(1, np.uint64)[0])


def counter_uniforms(key: np.uint64, day: int, index: np.ndarray) -> np.ndarray:
    """Uniforms on (0, 1) at positions ``index`` of day ``day`` of a counter stream (float64).

    Parameters
    ----------
    key : numpy.uint64
        The stream's key (:func:`stream_key`).
    day : int
        Day of the draw, 0 to 2**24 - 1 (0 for draws made before the first day).
    index : array_like of int
        Positions, 0 to 2**40 - 1 (a replication, a flat sector cell, ...).

    Returns
    -------
    ndarray
        ``u = ((z >> 11) + 1/2) / 2**53``, strictly inside (0, 1), with
        ``z = mix(key + gamma * (day * 2**40 + index))``, where ``mix`` is SplitMix64's finaliser
        (Steele, Lea & Flood 2014): each counter gives its own uniform, so a draw never depends on
        which other positions were drawn.

    Examples
    --------
    >>> import numpy as np
    >>> key = stream_key(1, 0, "example")
    >>> a = counter_uniforms(key, 3, np.arange(5))
    >>> b = counter_uniforms(key, 3, np.array([4, 0]))
    >>> bool(a[4] == b[0] and a[0] == b[1]), bool(((a > 0) & (a < 1)).all())
    (True, True)
    """
    counter = (np.uint64(day) << _DAY_SHIFT) | np.asarray(index, dtype=np.uint64)
    z = counter * _GAMMA + key
    z = (z ^ (z >> np.uint64(30))) * _MIX1
    z = (z ^ (z >> np.uint64(27))) * _MIX2
    z ^= z >> np.uint64(31)
    return ((z >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0**-53


class BlockStreams:
    """The named random streams of one replication block.

    Parameters
    ----------
    seed : int
        The run's root seed (``sim.seed``).
    block : int
        The replication block.
    """

    def __init__(self, seed: int, block: int) -> None:
        self.seed = seed
        self.block = block
        self._keys: dict[str, np.uint64] = {}

    def generator(self, name: str) -> np.random.Generator:
        """A fresh dense PCG64 generator for stream ``name`` of this block."""
        return np.random.Generator(np.random.PCG64(_seed_sequence(self.seed, self.block, name)))

    def key(self, name: str) -> np.uint64:
        """The key of counter stream ``name`` of this block (computed once, then cached)."""
        if name not in self._keys:
            self._keys[name] = stream_key(self.seed, self.block, name)
        return self._keys[name]

    def uniforms(self, name: str, day: int, index: np.ndarray) -> np.ndarray:
        """Counter uniforms of stream ``name`` at ``index`` on ``day`` (see :func:`counter_uniforms`)."""
        return counter_uniforms(self.key(name), day, index)


class Uniforms:
    """Uniforms for ``copies`` copies of ``size`` cells, drawn as ``rng.random(size, dtype=float32)``.

    Bit for bit the numbers NumPy would draw, and ``rng`` is left in the same state, but only the
    uniforms a phase reads are turned into floats: the rest are compared as integers. NumPy makes
    each float32 as ``k / 2**24`` from the top 24 of 32 random bits, taking the low half of a 64-bit
    draw first and keeping the high half for the next float32 (``has_uint32`` in the generator's
    state). Here the 64-bit draws are read directly (``random_raw``), which costs about a third less
    per uniform than building every float. Most cells use their uniform only to find the few events
    below a small probability. Cell ``c`` of a model with ``copies * size`` cells reads uniform
    ``c mod size``: the copies share their draws (common random numbers across points).

    Examples
    --------
    >>> a, b = np.random.default_rng(3), np.random.default_rng(3)
    >>> u, expected = Uniforms(a, 5), b.random(5, dtype=np.float32)
    >>> bool((u.at(np.arange(5)) == expected).all()), u.below(0.5).tolist() == np.flatnonzero(
    ...     expected < np.float32(0.5)).tolist()
    (True, True)
    >>> bool(a.random(dtype=np.float32) == b.random(dtype=np.float32))   # the same state after
    True
    >>> twice = Uniforms(np.random.default_rng(3), 5, copies=2)
    >>> bool((twice.at(np.arange(10)) == np.tile(expected, 2)).all())
    True
    """

    def __init__(self, rng: np.random.Generator, size: int, copies: int = 1) -> None:
        self.size, self.copies = size, copies
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
        """The uniforms at cells ``index`` (float32)."""
        if self.copies > 1:
            index = index % self.size
        return (self._bits[index] >> np.uint32(8)).astype(np.float32) * np.float32(2**-24)

    def below(self, p: float) -> np.ndarray:
        """Cells whose uniform is below ``p``, ascending, compared as float32 (as ``u < p`` compares)."""
        k = int(np.ceil(np.float64(np.float32(p)) * 2**24))   # u < p  <=>  bits >> 8 < k, exactly
        if k > 2**24 - 1:
            base = np.arange(len(self._bits))
        else:
            base = np.flatnonzero(self._bits < np.uint32(max(k, 0) << 8))
        if self.copies == 1:
            return base
        return (base + self.size * np.arange(self.copies)[:, None]).reshape(-1)


class CounterField:
    """Counter uniforms for every ``(replication, sector)`` cell of one day, by the cells' positions.

    The same interface as :class:`Uniforms` (``at``, ``below``), for models whose replications do
    not repeat a period of positions (independent points in ``ds.evaluate``).
    """

    def __init__(self, key: np.uint64, day: int, positions: np.ndarray, n_sectors: int) -> None:
        cells = (positions[:, None] * n_sectors + np.arange(n_sectors)).reshape(-1)
        self._u = counter_uniforms(key, day, cells).astype(np.float32)

    def at(self, index: np.ndarray) -> np.ndarray:
        """The uniforms at cells ``index`` (float32)."""
        return self._u[index]

    def below(self, p: float) -> np.ndarray:
        """Cells whose uniform is below ``p``, ascending."""
        return np.flatnonzero(self._u < np.float32(p))


class Dice:
    """The model's random numbers by replication and by sector cell, drawn at their positions.

    A replication's *position* in its block decides its draws. By default replication ``r`` sits
    at ``r mod period``: with ``copies = n / period`` > 1 (points of ``ds.evaluate`` on common random
    numbers), replication ``j`` of every point draws the same numbers. ``positions`` may instead
    give every replication its own position (independent points).

    Examples
    --------
    >>> dice = Dice(BlockStreams(5, 0), n=6, period=3, n_sectors=2)
    >>> u = dice.replications("cloud", day=1)
    >>> bool((u[:3] == u[3:]).all()), bool((dice.cells("x", 1, np.array([1, 7])) ==
    ...                                     dice.cells("x", 1, np.array([1, 1]))).all())
    (True, True)
    >>> own = Dice(BlockStreams(5, 0), n=6, period=6, n_sectors=2, positions=np.arange(6, 12))
    >>> bool((own.replications("cloud", 1)[:3] != u[:3]).all())
    True
    """

    def __init__(self, streams: BlockStreams, n: int, period: int, n_sectors: int,
                 positions: np.ndarray | None = None) -> None:
        self.streams = streams
        self.n, self.period, self.n_sectors = n, period, n_sectors
        self.periodic = positions is None
        self.position = np.arange(n) % period if positions is None else np.asarray(positions, np.int64)
        self._cell_position = (self.position[:, None] * n_sectors + np.arange(n_sectors)).reshape(-1)

    def replications(self, name: str, day: int, rows: np.ndarray | None = None) -> np.ndarray:
        """One uniform per replication (or per replication in ``rows``) of stream ``name`` today."""
        where = self.position if rows is None else self.position[rows]
        return self.streams.uniforms(name, day, where)

    def cells(self, name: str, day: int, cells: np.ndarray) -> np.ndarray:
        """One uniform per flat ``(replication, sector)`` cell of stream ``name`` today."""
        return self.streams.uniforms(name, day, self._cell_position[cells])

    def sector_field(self, rng: np.random.Generator, name: str, day: int) -> Uniforms | CounterField:
        """Today's uniform for every cell: from the dense generator ``rng`` (positions repeat a
        period) or from counter stream ``name`` (positions of their own)."""
        if self.periodic:
            return Uniforms(rng, self.period * self.n_sectors, self.n // self.period)
        return CounterField(self.streams.key(name), day, self.position, self.n_sectors)
