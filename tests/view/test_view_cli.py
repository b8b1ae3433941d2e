"""deterrence-sim-view: bad input gives one line and exit code 2 before any server starts; good
input hands a local, offline Solara server the checked overrides."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deterrence_sim.view import OVERRIDES_ENV, cli

SCRIPT = shutil.which("deterrence-sim-view", path=str(Path(sys.executable).parent))


@pytest.mark.parametrize(("args", "message"), [
    (["attack.temperature=-1"], "attack.temperature: invalid value -1; allowed: a number >= 0"),
    (["guarantee=nato"], "guarantee: unknown preset 'nato'; allowed: "),
    (["sim.trace=[5000]"], "sim.trace[0]: invalid value 5000; allowed: a replication of this run"),
    (["--port", "70000"], "--port: invalid value 70000; allowed: a whole number in [0, 65535]"),
    (["--port", "http"], "argument --port: invalid int value: 'http'"),
    (["--verbose"], "unrecognized arguments: --verbose"),
])
def test_bad_input_gives_one_line_and_exit_2_before_any_server(args, message) -> None:
    assert SCRIPT, "the deterrence-sim-view console script is not installed next to this Python"
    start = time.monotonic()
    done = subprocess.run([SCRIPT, *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.startswith(f"deterrence-sim-view: error: {message}"), done.stderr
    assert done.stderr.count("\n") == 1 and done.stdout == ""   # nothing served, nothing printed
    assert time.monotonic() - start < 60


def test_missing_view_extra_is_named_with_the_install_command(monkeypatch, capsys) -> None:
    real = cli.importlib.util.find_spec
    monkeypatch.setattr(cli.importlib.util, "find_spec",
                        lambda name: None if name == "solara_assets" else real(name))
    with pytest.raises(SystemExit) as stop:
        cli.main([])
    assert stop.value.code == 2
    assert capsys.readouterr().err == ("deterrence-sim-view: error: missing solara_assets; install the "
                                       "view's dependencies: pip install 'deterrence-sim[view]'\n")


def test_good_input_starts_solara_on_localhost_offline_with_the_checked_overrides(monkeypatch) -> None:
    started = []
    monkeypatch.setattr(cli.os, "execve", lambda path, argv, env: started.append((path, argv, env)))
    cli.main(["guarantee=none", "sim.replications=50", "--port", "9123", "--no-open"])
    (path, argv, env), = started
    assert path == sys.executable
    assert argv[1:5] == ["-m", "solara", "run", "deterrence_sim.view.app"]
    assert argv[argv.index("--host") + 1] == "127.0.0.1" and argv[argv.index("--port") + 1] == "9123"
    assert {"--production", "--no-check-version", "--no-open"} <= set(argv)
    assert json.loads(env[OVERRIDES_ENV]) == ["guarantee=none", "sim.replications=50"]
    assert env["SOLARA_ASSETS_PROXY"] == "true" and env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] == "false"
    assert env["SOLARA_ASSETS_CDN"].startswith("offline://")
