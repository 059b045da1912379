"""Seconds from starting the Streamlit server to the first page being served to a browser.

The server is started as `make run` starts it (serve.py). Figures: start -> the server
accepts connections (its health check answers); accepting -> the first page is served (its
heading shows in a fresh Chromium page); accepting -> its preview chart is drawn too (the
browser loads the charting library then); and whether the server process had imported
TensorFlow by then (it must not have).
"""

import json
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.app_server import launch_chromium, running_app, tensorflow_loaded


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        with running_app(Path(folder) / "streamlit.log") as server:
            accepting = time.monotonic()
            page = browser.new_page()
            page.goto(server.url)
            page.get_by_role("heading", name="Data", level=1).wait_for()
            first_page = time.monotonic() - accepting
            page.locator(".js-plotly-plot").first.wait_for()
            chart_drawn = time.monotonic() - accepting
            tensorflow = tensorflow_loaded(server.process)
        browser.close()
    print(json.dumps({
        "benchmark": "startup",
        "server_start_to_accepting_seconds": round(server.seconds_to_healthy, 2),
        "accepting_to_first_page_seconds": round(first_page, 2),
        "accepting_to_chart_drawn_seconds": round(chart_drawn, 2),
        "tensorflow_imported_by_first_page": tensorflow,
        "target": "accepting_to_first_page_seconds <= 2, tensorflow_imported_by_first_page false",
    }))


if __name__ == "__main__":
    main()
