"""The command line: ``deterrence-sim [overrides]`` runs one scenario through Hydra.

Every override is checked before Hydra starts (and before anything is written): a bad one gives
one line on stderr and exit code 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

import hydra
from hydra._internal.utils import get_args_parser
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from deterrence_sim.analysis import headline
from deterrence_sim.api import compose_scenario, config_dir, expand_overrides, to_scenario
from deterrence_sim.config import ConfigError
from deterrence_sim.outputs import write_outputs
from deterrence_sim.results import simulate_scenario

EXIT_BAD_INPUT = 2


def fail(message: str) -> None:
    """Print one line naming what is wrong and exit with code 2."""
    print(f"deterrence-sim: error: {message}", file=sys.stderr)
    raise SystemExit(EXIT_BAD_INPUT)


@hydra.main(config_path=str(config_dir()), config_name="config", version_base="1.3")
def run(cfg: DictConfig) -> None:
    """Hydra task: simulate the composed scenario and write its outputs to the job's folder."""
    try:
        scenario = to_scenario(cfg)
    except ConfigError as exc:
        fail(str(exc))
    hydra_cfg = HydraConfig.get()
    out_dir = Path(hydra_cfg.runtime.output_dir)
    result = simulate_scenario(scenario)
    write_outputs(result, out_dir, overrides=list(hydra_cfg.overrides.task))
    title = (f"attack={scenario.attack.name} monitoring={scenario.monitoring.name} "
             f"guarantee={scenario.guarantee.name} seed={scenario.sim.seed}")
    print(title)
    print(headline(result.runs, scenario.sim.horizon_days).to_string(index=False))
    print(f"outputs: {out_dir}")


def main() -> None:
    """Console-script entry point: check the overrides, then hand over to Hydra."""
    args, _ = get_args_parser().parse_known_args(sys.argv[1:])
    expanded = expand_overrides(args.overrides)
    if expanded != args.overrides:  # hand Hydra the same overrides the check composed
        flags = [a for a in sys.argv[1:] if a not in args.overrides]
        sys.argv[1:] = [*flags, *expanded]
    informational = args.help or args.hydra_help or args.cfg or args.info or args.shell_completion
    if not informational and not args.multirun:
        try:
            compose_scenario(args.overrides)
        except ConfigError as exc:
            fail(str(exc))
    run()


if __name__ == "__main__":
    main()
