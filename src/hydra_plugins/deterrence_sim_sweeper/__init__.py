"""Hydra's basic sweeper, without its second composition of every job before the launch.

``deterrence-sim`` composes and validates every job of a sweep against the typed schema before Hydra
starts (``cli._preflight_sweep``), a stricter check than Hydra's ``validate_batch_is_legal``, which
would compose each job once more in the parent process (about 0.2 s per job, serial). Everything
else is Hydra's ``BasicSweeper``. Hydra accepts plugins only from the ``hydra_plugins`` package.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from hydra._internal.core_plugins.basic_sweeper import BasicSweeper, BasicSweeperConf
from hydra.core.config_store import ConfigStore


@dataclass
class CheckedSweeperConf(BasicSweeperConf):
    """``hydra/sweeper=checked``: the basic sweeper's settings (``params``, ``max_batch_size``)."""

    _target_: str = "hydra_plugins.deterrence_sim_sweeper.CheckedSweeper"


class CheckedSweeper(BasicSweeper):
    """The basic sweeper for sweeps whose jobs the ``deterrence-sim`` command has already checked."""

    def validate_batch_is_legal(self, batch: Sequence[Sequence[str]]) -> None:
        """Nothing to do: every job was composed and validated before Hydra started."""


ConfigStore.instance().store(group="hydra/sweeper", name="checked", node=CheckedSweeperConf,
                             provider="deterrence_sim")
