"""``python -m deterrence_sim.exploration``: the same as ``deterrence-sim-explore``."""

from deterrence_sim.exploration.cli import main

main()
