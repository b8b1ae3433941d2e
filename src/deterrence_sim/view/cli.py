"""``deterrence-sim-view [overrides]``: watch a ceasefire in the browser (Mesa's SolaraViz).

The overrides (the command line's syntax) are composed and checked first: a bad one gives one
line on stderr and exit code 2, and no server starts. Then ``solara run`` serves the app on
127.0.0.1 only, in production mode, with the front-end assets served from the ``solara-assets``
package (no CDN), Solara's telemetry and version check off: the page needs no network.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
from collections.abc import Sequence

from deterrence_sim.cli import EXIT_BAD_INPUT, fail
from deterrence_sim.config import ConfigError
from deterrence_sim.view import OVERRIDES_ENV

PROG = "deterrence-sim-view"
HOST = "127.0.0.1"
DEFAULT_PORT = 8765
APP = "deterrence_sim.view.app"
NEEDS = ("solara", "solara_assets", "networkx")

#: Solara's settings for a page that needs no network: the browser gets every asset from this
#: server's proxy cache, which solara-assets fills; on a miss the server would fetch from a CDN, so
#: the CDN is set to a scheme nothing can fetch (a missing asset fails at once, visibly); no call
#: home (telemetry off; with --production and --no-check-version, no first-run or version check).
#: Mesa 3.3's ComponentsView breaks a rule of hooks harmlessly; Solara's check would warn each start.
OFFLINE_ENV = {"SOLARA_ASSETS_PROXY": "true", "SOLARA_ASSETS_CDN": "offline://no-cdn/",
               "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "false", "SOLARA_CHECK_HOOKS": "off"}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:   # one line and exit code 2, as every command here
        fail(message, PROG)


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog=PROG, description="Watch a ceasefire in the browser: the Mesa SolaraViz app of "
                "deterrence-sim, on http://127.0.0.1:PORT.",
                epilog="Example: deterrence-sim-view guarantee=reassurance_force attack=revisionist. "
                "Overrides use the syntax of deterrence-sim; every field: docs/parameters.md.")
    p.add_argument("overrides", nargs="*", help="Hydra overrides, e.g. attack=revisionist sim.seed=3")
    p.add_argument("--port", type=int, default=DEFAULT_PORT,
                   help=f"port on 127.0.0.1 (default {DEFAULT_PORT}; 0 picks a free one)")
    p.add_argument("--no-open", action="store_true", help="do not open a browser window")
    return p


def solara_command(port: int, open_browser: bool) -> list[str]:
    """The ``solara run`` command line of the app, bound to 127.0.0.1."""
    return [sys.executable, "-m", "solara", "run", APP, "--host", HOST, "--port", str(port),
            "--production", "--no-check-version", "--open" if open_browser else "--no-open"]


def solara_env(overrides: Sequence[str]) -> dict[str, str]:
    """The app's environment: this one, the overrides, and the offline settings."""
    return {**os.environ, OVERRIDES_ENV: json.dumps(list(overrides)), **OFFLINE_ENV}


def main(argv: Sequence[str] | None = None) -> None:
    """Check the overrides, then replace this process by the Solara server."""
    args = parser().parse_args(argv)
    if not 0 <= args.port <= 65535:
        fail(f"--port: invalid value {args.port}; allowed: a whole number in [0, 65535]", PROG)
    bad = [o for o in args.overrides if o.startswith("-")]
    if bad:
        fail(f"{bad[0]}: unknown option; allowed: --port, --no-open and overrides KEY=VALUE", PROG)
    missing = [name for name in NEEDS if importlib.util.find_spec(name) is None]
    if missing:
        print(f"{PROG}: error: missing {', '.join(missing)}; install the view's dependencies: "
              "pip install 'deterrence-sim[view]'", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)
    from deterrence_sim.view.scenario import Controls

    try:
        Controls.from_overrides(args.overrides)
    except ConfigError as exc:
        fail(str(exc), PROG)
    print(f"{PROG}: serving on http://{HOST}:{args.port} (Ctrl-C stops)", flush=True)
    command = solara_command(args.port, not args.no_open)
    os.execve(command[0], command, solara_env(args.overrides))


if __name__ == "__main__":
    main()
