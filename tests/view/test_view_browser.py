"""The view in a real browser: `solara run` on 127.0.0.1, Debian's chromium driven by Playwright.

Playwright is pointed at the system chromium (``executable_path``); no browser is downloaded. Every
request that is not for 127.0.0.1 is refused and recorded, so the page must load with no network.
The test writes the README's screenshot, docs/img/view.png.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from deterrence_sim.view import cli
from deterrence_sim.view.panels import PANELS

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOT = Path(__file__).parents[2] / "docs" / "img" / "view.png"
OVERRIDES = ["attack=revisionist", "guarantee=reassurance_force", "sim.replications=300"]
DAY = re.compile(r"Day (\d+) of")
ALL_REDRAWN = ("old => { const now = Array.from(document.images, i => i.src);"
               " return now.length === old.length && now.every((s, k) => s !== old[k]); }")

pytestmark = pytest.mark.skipif(CHROMIUM is None,
                                reason="chromium is not installed (apt-get install -y chromium)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """The app under `solara run`, as deterrence-sim-view starts it; its URL, then its log."""
    port = free_port()
    log = (tmp_path / "server.log").open("w")
    proc = subprocess.Popen(cli.solara_command(port, open_browser=False), env=cli.solara_env(OVERRIDES),
                            cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert proc.poll() is None, (tmp_path / "server.log").read_text()
                assert time.monotonic() < deadline, "the server did not answer within 60 s"
                time.sleep(0.5)
        yield url, tmp_path / "server.log"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def day(page) -> int:
    return int(DAY.search(page.inner_text("body")).group(1))


def plots(page) -> list[str]:
    return page.locator("img").evaluate_all("images => images.map(i => i.src)")


def test_step_then_play_change_every_plot_offline_and_show_no_error(server, tmp_path) -> None:
    from playwright.sync_api import sync_playwright

    url, server_log = server
    external, failed, console = [], [], []

    def local_only(route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, args=ARGS, headless=True,
            viewport={"width": 1400, "height": 1750})
        try:
            browser.route("**/*", local_only)
            page = browser.new_page()
            page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
            page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
            page.goto(url)
            page.get_by_role("button", name="Step").wait_for(timeout=60_000)
            page.get_by_text("Day 0 of 730").wait_for(timeout=30_000)
            start = plots(page)
            assert len(start) == len(PANELS)

            page.get_by_role("button", name="Step").click()
            page.get_by_text("Day 1 of 730").wait_for(timeout=30_000)
            page.wait_for_function(ALL_REDRAWN, arg=start, timeout=30_000)
            stepped = plots(page)

            interval = page.get_by_role("slider").nth(1)         # Render Interval (steps): 1 -> 25
            interval.focus()
            for _ in range(12):
                interval.press("ArrowRight")
            page.get_by_role("button", name="▶").click()
            page.wait_for_function("() => { const m = /Day (\\d+) of/.exec(document.body.innerText);"
                                   " return m && Number(m[1]) >= 90; }", timeout=60_000)
            page.get_by_role("button", name="❚❚").click()
            page.wait_for_timeout(1500)                           # the last step's redraw
            played = plots(page)
            assert day(page) >= 90
            assert all(a != b for a, b in zip(stepped, played, strict=True)), "a plot did not change"

            assert page.locator(".v-alert").count() == 0, page.locator(".v-alert").all_inner_texts()
            body = page.inner_text("body")
            assert "Traceback" not in body and "error" not in body.lower()
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT))
        finally:
            browser.close()
    assert external == [], f"requests left the machine: {external}"
    assert failed == [] and console == [], (failed, console)
    log = server_log.read_text()
    assert "Traceback" not in log and "Could not load URL" not in log, log[-3000:]
