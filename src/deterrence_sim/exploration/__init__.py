"""Explorations: global sensitivity analysis and scenario discovery in batched calls.

``deterrence-sim-explore`` (:mod:`~deterrence_sim.exploration.cli`) and :func:`explore` draw a design
matrix over a scenario's uncertain parameters (:mod:`~deterrence_sim.exploration.config`,
:mod:`~deterrence_sim.exploration.plan`), run it in chunks of batched models under each guarantee
design (:mod:`~deterrence_sim.exploration.chunks`, :mod:`~deterrence_sim.exploration.run`), and
write the points, the indices, the failure boxes and the figures into one folder, which
``deterrence-sim-report`` reads.

``explore`` is loaded on first use, so that the config schema can be imported on its own.
"""

__all__ = ["explore"]


def __getattr__(name: str) -> object:
    """Load :func:`~deterrence_sim.exploration.run.explore` on first use (PEP 562)."""
    if name == "explore":
        from deterrence_sim.exploration.run import explore

        return explore
    raise AttributeError(f"module 'deterrence_sim.exploration' has no attribute {name!r}")
