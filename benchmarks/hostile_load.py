"""Hostile inputs from two sessions while a third keeps loading pages (issue 20, item 6).

One fresh server, started as `make run` starts it, and three browser contexts at once:

- A opens the Data page, chooses "Upload CSV" and uploads a CSV of 100,000 columns
  (tests/hostile/cases_csv.py's case ``csv_100000_columns``);
- B opens "Run history" and imports a run zip whose ``weights.npz`` holds 800 MB of compressed
  zeros (tests/hostile/cases_import.py's ``npz_bomb``, a few kilobytes on disk);
- C, meanwhile, loads the app fresh in a new page, again and again, and each load is timed until
  the heading "Data" shows: at least :data:`PAGE_LOADS` times, and on until A and B have both
  been answered.

The server process's resident memory is sampled every :data:`SAMPLE_S` seconds throughout. A and B
watch their own pages for the refusal (an error box) with a timer in the page, so the seconds each
took don't depend on when this script looks. Each page load is also given from the moment the
browser had run the app's scripts (taken from its cache after the first load): on a 2-core machine
the browser's own part weighs on every load, so the idle loads before A and B begin are the
yardstick for the loads while they are at work. Prints one JSON object; the target is a slowest
page load under 2 s, both inputs refused with one line, and the server's memory kept low.

    PYTHONPATH=. .venv/bin/python benchmarks/hostile_load.py
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

from tests.browser.app_server import launch_chromium, resident_mb, running_app, worker_pids
from tests.hostile import cases_csv
from tests.hostile.cases_import import npz_bomb

PAGE_LOADS = 10  # at least; more while A or B still waits for its answer
IDLE_PAGE_LOADS = 5  # before the uploads: the same machine's page loads with nothing hostile going on
MAX_PAGE_LOADS = 100
SAMPLE_S = 0.2
REFUSAL_TIMEOUT_MS = 300_000
# Set in the page before the upload: the first error (or exception) box in the page's main block,
# and how long after the upload began it appeared.
WATCH = """() => {
  window.__began = Date.now();
  window.__refused = null;
  const timer = setInterval(() => {
    const box = document.querySelector(
      '[data-testid="stMain"] [data-testid="stAlertContentError"],'
      + ' [data-testid="stMain"] [data-testid="stException"]');
    if (box) {
      const words = box.querySelector('[data-testid="stMarkdownContainer"]') || box;
      window.__refused = {ms: Date.now() - window.__began, text: words.innerText.trim(),
                          exception: box.dataset.testid === "stException"};
      clearInterval(timer);
    }
  }, 50);
}"""


class Sampler(threading.Thread):
    """The peak resident memory of the server process (and of its workers) until stopped."""

    def __init__(self, process) -> None:
        super().__init__(daemon=True)
        self.process = process
        self.peak_mb = 0.0
        self.worker_peak_mb = 0.0
        self.samples = 0
        self.halt = threading.Event()

    def run(self) -> None:
        while not self.halt.is_set():
            try:
                self.peak_mb = max(self.peak_mb, resident_mb(self.process.pid))
                self.samples += 1
            except OSError:  # the server has ended
                return
            for pid in worker_pids(self.process):
                with contextlib.suppress(OSError):  # the worker ended meanwhile
                    self.worker_peak_mb = max(self.worker_peak_mb, resident_mb(pid))
            self.halt.wait(SAMPLE_S)

    def stop(self) -> None:
        self.halt.set()
        self.join(timeout=5)


def _open(page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    page.get_by_role("heading", name=title, level=1).wait_for()


def _first_page(page, url: str) -> None:
    page.goto(url)
    page.get_by_role("heading", name="Data", level=1).wait_for()


def _page_load(context, url: str) -> tuple[float, float]:
    """Seconds until the heading shows, and how many of them came after the browser had run the
    app's (cached) scripts: the part the server's answer and the first drawing take."""
    page = context.new_page()
    began = time.monotonic()
    _first_page(page, url)
    seconds = time.monotonic() - began
    scripts_ms = page.evaluate(
        "() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
    page.close()
    return seconds, max(0.0, seconds - scripts_ms / 1000)


def _figures(loads: list[tuple[float, float]]) -> dict:
    whole = [seconds for seconds, _ in loads]
    after = [rest for _, rest in loads]
    return {"list": [round(s, 2) for s in whole],
            "median": round(statistics.median(whole), 2),
            "max": round(max(whole), 2),
            "after_scripts_ran": {"list": [round(s, 2) for s in after],
                                  "median": round(statistics.median(after), 2),
                                  "max": round(max(after), 2)}}


def _refused(page) -> dict | None:
    return page.evaluate("() => window.__refused")


def _answer(page) -> dict:
    """The refusal A or B saw: its seconds and text, waited for as long as the timeout allows."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function("() => window.__refused !== null", timeout=REFUSAL_TIMEOUT_MS)
    except PlaywrightTimeout:
        return {"seconds": None, "message": f"no refusal within {REFUSAL_TIMEOUT_MS // 1000} s"}
    seen = _refused(page)
    answer = {"seconds": round(seen["ms"] / 1000, 2), "message": seen["text"]}
    if seen["exception"]:
        answer["exception"] = True
    return answer


def run() -> dict:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as name, sync_playwright() as playwright:
        folder = Path(name)
        wide = next(case for case in cases_csv.CASES if case.name == "csv_100000_columns").build(folder)
        bomb = folder / "lstm-lab-run.zip"
        bomb.write_bytes(npz_bomb())
        inputs = {"a": f"CSV of 100,000 columns, {wide.stat().st_size / 2**20:.1f} MB, uploaded on Data",
                  "b": f"run zip of {bomb.stat().st_size / 2**10:.0f} KB whose weights.npz holds 800 MB "
                       "of compressed zeros, imported on Run history"}
        with running_app(folder / "streamlit.log") as server:
            sampler = Sampler(server.process)
            sampler.start()
            browser = launch_chromium(playwright)
            a, b, c = (browser.new_context(viewport={"width": 1600, "height": 1000}) for _ in range(3))
            first_load, _ = _page_load(c, server.url)  # the server's very first page
            uploader = a.new_page()
            _first_page(uploader, server.url)
            uploader.get_by_test_id("stButtonGroup").get_by_text("Upload CSV", exact=True).click()
            uploader.locator("input[type=file]").wait_for(state="attached")
            importer = b.new_page()
            _first_page(importer, server.url)
            _open(importer, "Run history")
            time.sleep(2)  # the pages settle before the baseline is read
            baseline = resident_mb(server.process.pid)
            idle_loads = [_page_load(c, server.url) for _ in range(IDLE_PAGE_LOADS)]
            load_average_before = os.getloadavg()[0]

            for page, path in ((uploader, wide), (importer, bomb)):
                page.evaluate(WATCH)
                page.locator("input[type=file]").set_input_files(str(path))
            loads: list[tuple[float, float]] = []
            overlapping = 0  # loads begun before both refusals were shown
            while len(loads) < MAX_PAGE_LOADS:
                pending = _refused(uploader) is None or _refused(importer) is None
                if len(loads) >= PAGE_LOADS and not pending:
                    break
                overlapping += pending
                loads.append(_page_load(c, server.url))
            load_average_after = os.getloadavg()[0]
            a_refusal, b_refusal = _answer(uploader), _answer(importer)
            time.sleep(1)  # what the server keeps after answering
            after = resident_mb(server.process.pid)
            sampler.stop()
            alive = server.process.poll() is None
            browser.close()
    return {
        "benchmark": "hostile_load",
        "inputs": inputs,
        "first_page_load_seconds": round(first_load, 2),
        "page_load_seconds": _figures(loads),
        "page_loads_begun_before_both_refusals": overlapping,
        "idle_page_load_seconds": _figures(idle_loads),
        "machine_load_average_1min": {"before_uploads": round(load_average_before, 2),
                                      "after_page_loads": round(load_average_after, 2),
                                      "cores": os.cpu_count()},
        "a_refusal": a_refusal,
        "b_refusal": b_refusal,
        "server_peak_rss_mb": round(sampler.peak_mb),
        "server_baseline_rss_mb": round(baseline),
        "server_rss_after_mb": round(after),
        "worker_peak_rss_mb": round(sampler.worker_peak_mb),
        "rss_samples": sampler.samples,
        "server_alive": alive,
        "target": "page_load_seconds.max < 2; A and B each refused with one line",
    }


def main() -> None:
    print(json.dumps(run()))


if __name__ == "__main__":
    main()
