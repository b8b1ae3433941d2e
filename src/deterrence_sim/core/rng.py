"""Named random streams from one ``SeedSequence`` per block of replications.

A run's replications come in fixed-size blocks; block ``b`` of root seed ``s`` gets
``SeedSequence(s, spawn_key=(b,))``, spawned into one generator per stream name. Nothing about the
monitoring or guarantee design enters the seed, so two designs run on the same seed see the same
weather, the same aggressor dice and the same detection dice: common random numbers.
"""

from __future__ import annotations

import numpy as np

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


def block_streams(seed: int, block: int) -> dict[str, np.random.Generator]:
    """One independent generator per name in :data:`STREAMS` for replication block ``block``.

    Examples
    --------
    >>> a = block_streams(7, 0)["weather"].random()
    >>> b = block_streams(7, 0)["weather"].random()
    >>> c = block_streams(7, 1)["weather"].random()
    >>> a == b, a == c
    (True, False)
    """
    root = np.random.SeedSequence(entropy=seed, spawn_key=(block,))
    return {
        name: np.random.Generator(np.random.PCG64(child))
        for name, child in zip(STREAMS, root.spawn(len(STREAMS)), strict=True)
    }


def daily_stream(seed: int, block: int, name: str, day: int) -> np.random.Generator:
    """The generator of stream ``name`` (one of :data:`DAILY_STREAMS`) for one day of one block.

    Examples
    --------
    >>> g = daily_stream(7, 0, "response", 3).random()
    >>> g == daily_stream(7, 0, "response", 3).random() != daily_stream(7, 0, "response", 4).random()
    True
    """
    key = (block, len(STREAMS) + DAILY_STREAMS.index(name), day)
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=key)))
