"""The load test: N browser sessions on one server generate data and train at once.

Used by tests/browser/test_browser.py (N = 8) and benchmarks/load.py. Loopback only, bounded in count
and time. Each session opens the app and picks its own seed, so every result must differ; then
all of them press Train within a second or so, so the trainings truly overlap and the queue
forms whatever the machine's speed. While they train, a fresh visitor's first page load is timed.

In a workshop every participant's browser runs on their own laptop. Here all of them share the
server's two cores, and eight live pages redrawing their loss charts take more CPU than the
server and the trainings together; so the participants' Chromium runs in the kernel's idle
scheduling class (``chrt --idle``: Chromium resets plain ``nice`` values), standing in for
"elsewhere", while the visitor whose page load is timed runs in a normal Chromium, as a
newcomer's laptop would, driven by a Playwright of its own.
"""

from __future__ import annotations

import math
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.browser.app_server import CHROMIUM, CHROMIUM_ARGS, ROOT, launch_chromium, running_app

SESSIONS = 8
EPOCHS = 15
TIMEOUT_MS = 300_000
PAGE_LOADS = 5  # at most, each begun while some session still trains
RMSE = re.compile(r"Trained: test RMSE ([0-9.]+)")


def _set(page, name: str, value: int) -> None:
    field = page.get_by_role("spinbutton", name=name)
    field.fill(str(value))
    field.press("Enter")


def _prepare(page, url: str, seed: int) -> None:
    """Open the app, generate the default series, set this session's seed and epochs."""
    page.goto(url)
    page.get_by_role("heading", name="Data", level=1).wait_for()
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Model & training").click()
    page.get_by_role("heading", name="Model & training", level=1).wait_for()
    _set(page, "Seed", seed)
    _set(page, "Epochs (at most)", EPOCHS)
    page.wait_for_timeout(300)


def _train(page) -> None:
    page.get_by_role("button", name=re.compile(r"Train$")).click()


def _sidebar(page):
    return page.get_by_test_id("stSidebar")


def _page_load_seconds(url: str) -> float:
    """A newcomer's first page load: a fresh Chromium, driven by its own Playwright in a process
    of its own, so the participants' traffic through this process's Playwright can't delay it."""
    done = subprocess.run([sys.executable, "-m", "tests.browser.load", url], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def visit(url: str) -> float:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        browser.new_page().goto("about:blank")  # a newcomer's browser is already running
        page = browser.new_context().new_page()
        began = time.monotonic()
        page.goto(url)
        page.get_by_role("heading", name="Data", level=1).wait_for()
        seconds = time.monotonic() - began
        browser.close()
    return seconds


def _participants_browser(browser_type, folder: Path):
    """Debian's Chromium in the idle scheduling class: the participants' browsers."""
    launcher = folder / "chromium-idle"
    launcher.write_text(f'#!/bin/sh\nexec chrt --idle 0 {CHROMIUM} "$@"\n')
    launcher.chmod(0o755)
    return browser_type.launch(executable_path=str(launcher), args=CHROMIUM_ARGS)


def run(sessions: int = SESSIONS, browser_type=None, env: dict[str, str] | None = None) -> dict:
    """Train from ``sessions`` browser sessions at once (Chromium from ``browser_type``, else
    a new Playwright's) and time newcomers' page loads meanwhile; ``env``: the server's extra
    environment (LSTM_LAB_RAY_ADDRESS: the trainings run on Ray)."""
    if browser_type is None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            return _run(sessions, playwright.chromium, env)
    return _run(sessions, browser_type, env)


def _run(sessions: int, browser_type, env: dict[str, str] | None) -> dict:
    with tempfile.TemporaryDirectory() as name, running_app(Path(name) / "streamlit.log", env=env) as server:
        browser = _participants_browser(browser_type, Path(name))
        _page_load_seconds(server.url)  # the server's very first page
        contexts = [browser.new_context() for _ in range(sessions)]
        pages = [context.new_page() for context in contexts]
        for seed, page in enumerate(pages, start=1):
            _prepare(page, server.url, seed)
        began = time.monotonic()  # everyone presses Train within a second or so
        for page in pages:
            _train(page)
        # More sessions than cores: the last one waits its turn, and its page says so.
        pages[-1].get_by_text(re.compile(r"in the queue")).first.wait_for(timeout=10_000)
        queued = True
        # Newcomers arrive while the trainings run: the queue is first come, first served, so
        # the last session's training ends last.
        loads = [_page_load_seconds(server.url)]
        while len(loads) < PAGE_LOADS and not RMSE.search(_sidebar(pages[-1]).inner_text()):
            loads.append(_page_load_seconds(server.url))
        rmses = []
        for page in pages:
            sidebar = _sidebar(page)
            sidebar.get_by_text(RMSE).wait_for(timeout=TIMEOUT_MS)
            rmses.append(float(RMSE.search(sidebar.inner_text()).group(1)))
        total = time.monotonic() - began
        alive = server.process.poll() is None
        browser.close()
    return {
        "benchmark": "load",
        "sessions": sessions,
        "epochs": EPOCHS,
        "test_rmse_by_session": rmses,
        "distinct_results": len(set(rmses)),
        "all_finite": all(math.isfinite(r) for r in rmses),
        "queue_shown": queued,
        "page_loads_during_training_seconds": [round(s, 2) for s in loads],
        "slowest_page_load_seconds": round(max(loads), 2),
        "total_seconds": round(total, 1),
        "server_alive": alive,
        "target": "every session trained with its own result; slowest_page_load_seconds < 2",
    }


if __name__ == "__main__":
    print(visit(sys.argv[1]))
