"""The running app in a real Chromium: load, train on the defaults, read the results, forecast.

Needs Debian's chromium at /usr/bin/chromium (``.ci/run`` installs it); Playwright drives it
and never downloads a browser of its own. Screenshots and the measured timings go to
``test-artifacts/``.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.app_server import (
    CHROMIUM,
    ROOT,
    Server,
    cpu_seconds,
    launch_chromium,
    running_app,
    tensorflow_loaded,
    worker_pids,
)
from tests.waiting import wait_until

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

ARTIFACTS = ROOT / "test-artifacts"
TRAINING_TIMEOUT_MS = 120_000

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with running_app(tmp_path / "streamlit.log") as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = launch_chromium(playwright)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    opened = context.new_page()
    yield opened
    context.close()


def _shoot(page: Page, name: str) -> None:
    """The whole page: Streamlit scrolls inside its main block, so the window is made as tall."""
    ARTIFACTS.mkdir(exist_ok=True)
    size = page.viewport_size
    height = page.get_by_test_id("stMain").evaluate("main => main.scrollHeight")
    page.set_viewport_size({"width": size["width"], "height": max(height, size["height"])})
    page.wait_for_timeout(1500)  # charts and tables redraw at the new size
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    page.set_viewport_size(size)


def _assert_no_warning_or_error(page: Page) -> None:
    """No exception box, no error or warning alert, no deprecation notice on the page."""
    for test_id in ("stException", "stAlertContentError", "stAlertContentWarning"):
        assert page.get_by_test_id(test_id).count() == 0, f"{test_id} shown"
    assert "deprecat" not in page.inner_text("body").lower()


def _open(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    page.get_by_role("heading", name=title, level=1).wait_for()


def test_default_flow_from_data_to_forecast(server: Server, page: Page) -> None:
    started = time.monotonic()
    page.goto(server.url)
    page.get_by_role("heading", name="Data", level=1).wait_for()
    page.locator(".js-plotly-plot").first.wait_for()
    first_page = time.monotonic() - started
    _shoot(page, "01-data")
    _assert_no_warning_or_error(page)

    _open(page, "Model & training")  # click 1
    page.get_by_text("What the model will see").wait_for()
    _shoot(page, "02-model")
    _assert_no_warning_or_error(page)

    clicked = time.monotonic()
    page.get_by_role("button", name=re.compile(r"Train$")).click()  # click 2
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Training", exact=False).first.wait_for()
    sidebar.get_by_text(re.compile(r"Trained: test RMSE")).wait_for(timeout=TRAINING_TIMEOUT_MS)
    training = time.monotonic() - clicked
    page.get_by_text("Loss by epoch").first.wait_for()
    rmse = float(re.search(r"test RMSE ([0-9.]+)", sidebar.inner_text()).group(1))
    _shoot(page, "03-trained")
    _assert_no_warning_or_error(page)

    _open(page, "Results")
    page.get_by_text("Actual vs predicted").first.wait_for()
    _shoot(page, "04-results")
    _assert_no_warning_or_error(page)

    _open(page, "Forecast")  # click 3: a forecast on the default data in three clicks
    page.get_by_text("Recursive forecast past the end").first.wait_for()
    _shoot(page, "05-forecast")
    _assert_no_warning_or_error(page)

    figures = {"server_start_to_healthy_s": round(server.seconds_to_healthy, 2),
               "first_page_s": round(first_page, 2), "train_click_to_trained_s": round(training, 2),
               "test_rmse": rmse}
    (ARTIFACTS / "browser-timings.json").write_text(json.dumps(figures, indent=2))
    print(figures)
    assert rmse < 0.15, "the default model should predict the default sine near its noise level (0.1)"
    assert not tensorflow_loaded(server.process), "trainings run in worker processes, not in the server"
    assert worker_pids(server.process)


def test_a_deep_link_right_after_start_gets_the_whole_app(server: Server, page: Page) -> None:
    """The first request of a fresh server asks for a page, not the root (see ui/frame.py)."""
    page.goto(f"{server.url}/forecast")
    page.get_by_test_id("stSidebar").get_by_role("heading", name="Dataset").wait_for()
    nav = page.get_by_test_id("stSidebarNav")
    assert nav.get_by_role("link", name="Model & training").count() == 1
    assert nav.get_by_role("link", name="app").count() == 0
    _assert_no_warning_or_error(page)


def test_a_closed_tab_cancels_its_training_within_a_minute_on_an_idle_server(
        tmp_path: Path, browser: Browser) -> None:
    """The only tab closes; nobody else visits; with the default settings its training stops
    within a minute (ui/closing.py), and the server goes on."""
    with running_app(tmp_path / "streamlit.log") as server:
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        page = context.new_page()
        page.goto(server.url)
        _open(page, "Model & training")
        epochs = page.get_by_role("spinbutton", name="Epochs (at most)")
        epochs.fill("1000")
        epochs.press("Enter")
        page.get_by_text("Early-stopping patience").first.wait_for()
        patience = page.get_by_role("spinbutton", name="Early-stopping patience (epochs)")
        patience.fill("0")
        patience.press("Enter")
        page.wait_for_timeout(500)
        page.get_by_role("button", name=re.compile(r"Train$")).click()
        page.get_by_text(re.compile(r"Epoch \d+ of 1000")).first.wait_for(timeout=TRAINING_TIMEOUT_MS)
        (worker,) = worker_pids(server.process)
        busy = cpu_seconds(worker)
        page.wait_for_timeout(1000)
        assert cpu_seconds(worker) - busy > 0.3, "the worker should be training"
        context.close()
        closed = time.monotonic()

        def idle_for_a_second() -> bool:
            before = cpu_seconds(worker)
            time.sleep(1)
            return cpu_seconds(worker) - before < 0.05

        wait_until(idle_for_a_second, 60, interval=0, message="the closed tab's training kept running")
        assert time.monotonic() - closed < 60
        assert server.process.poll() is None


@pytest.mark.parametrize("engine", ["local", "ray"])
def test_eight_sessions_train_at_once(browser: Browser, engine: str, request: pytest.FixtureRequest) -> None:
    """The load test (tests/browser/load.py): all finish, each with its own result, and the server
    lives; once with the server's own workers, once through a Ray cluster (3 CPUs: 3 run, 5 queue).

    Its timings (slowest page load during the run, total time) are printed and saved, not
    asserted: `make bench` (benchmarks/load.py) reports them against their target."""
    from tests.browser.load import SESSIONS, run

    env = {"LSTM_LAB_RAY_ADDRESS": request.getfixturevalue("ray_address")} if engine == "ray" else None
    figures = run(SESSIONS, browser.browser_type, env)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"load-{engine}.json").write_text(json.dumps(figures, indent=2))
    print(figures)
    assert figures["distinct_results"] == SESSIONS and figures["all_finite"]
    assert all(rmse < 0.3 for rmse in figures["test_rmse_by_session"])  # the sine's noise is 0.1
    assert figures["queue_shown"], "with more sessions than cores, some trainings wait their turn"
    assert figures["server_alive"]


def _download(page: Page, label: str) -> bytes:
    with page.expect_download() as download:
        page.get_by_role("button", name=label).click()
    return Path(download.value.path()).read_bytes()


def _train_and_wait(page: Page) -> None:
    _open(page, "Model & training")
    page.get_by_role("button", name=re.compile(r"Train$")).click()
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text(re.compile(r"Trained: test RMSE")).wait_for(timeout=TRAINING_TIMEOUT_MS)


def test_a_preset_link_and_an_exported_run_reproduce_the_numbers(server: Server, browser: Browser) -> None:
    """Pick a preset, train, copy the link, open it in a new browser context, train again: the
    same predictions. Export the run, import it in a third context: the same predictions."""
    first = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
    first.goto(server.url)
    first.get_by_role("heading", name="Data", level=1).wait_for()
    sidebar = first.get_by_test_id("stSidebar")
    sidebar.get_by_test_id("stSelectbox").filter(has_text="Preset").click()
    first.get_by_role("option", name="Tutorial: a clean sine, LSTM(10)").click()
    sidebar.get_by_text("A noise-free sine").wait_for()
    _train_and_wait(first)
    _open(first, "Results")
    predictions = _download(first, "Download the test predictions (CSV)")
    run_zip = _download(first, "Download the run (zip: weights, data, script)")
    sidebar.get_by_text("Share this setup").click()
    link = sidebar.get_by_test_id("stCode").inner_text().strip()
    assert "preset=clean_sine" in link and "units=10" in link and link.startswith(server.url)

    second = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
    second.goto(link)  # the page the link was copied on, with the whole setup
    second.get_by_role("heading", name="Results", level=1).wait_for()
    _train_and_wait(second)
    _open(second, "Results")
    assert _download(second, "Download the test predictions (CSV)") == predictions

    third = browser.new_context(viewport={"width": 1600, "height": 1000}).new_page()
    third.goto(server.url)
    _open(third, "Run history")
    third.locator("input[type=file]").set_input_files(
        files=[{"name": "lstm-lab-run.zip", "mimeType": "application/zip", "buffer": run_zip}])
    third.get_by_text(re.compile(r"Run imported from lstm-lab-run.zip")).wait_for(timeout=TRAINING_TIMEOUT_MS)
    _open(third, "Results")
    assert _download(third, "Download the test predictions (CSV)") == predictions
    _assert_no_warning_or_error(third)
    assert not tensorflow_loaded(server.process), "exports and imports need no TensorFlow"


def test_hostile_column_names_stay_text_in_the_browser(server: Server, page: Page) -> None:
    """Columns named `<img src=x onerror=alert(1)>` and `**bold** [link](http://x)` in a file named
    `<script>alert(1)</script>.csv`: no image, link, bold text, script or dialog on any page."""
    from tests.app.test_safety import HOSTILE_CSV, IMG, SCRIPT_NAME

    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(server.url)
    page.get_by_role("heading", name="Data", level=1).wait_for()
    page.get_by_test_id("stButtonGroup").get_by_text("Upload CSV", exact=True).click()
    page.locator("input[type=file]").set_input_files(
        files=[{"name": SCRIPT_NAME, "mimeType": "text/csv", "buffer": HOSTILE_CSV}])
    page.get_by_text(IMG, exact=True).first.wait_for()  # the target column, named as it is
    _shoot(page, "hostile-data")
    _open(page, "Model & training")
    page.get_by_role("button", name=re.compile(r"Train$")).click()
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text(re.compile(r"Trained: test RMSE")).wait_for(timeout=TRAINING_TIMEOUT_MS)
    for title in ("Results", "Forecast", "How the LSTM works", "Data"):
        _open(page, title)
        page.wait_for_timeout(1000)
        assert page.locator('img[src="x"]').count() == 0, title
        assert page.locator('a[href="http://x"]').count() == 0, title
        assert page.locator("strong", has_text="bold").count() == 0, title
        assert page.locator("script", has_text="alert(1)").count() == 0, title
    assert page.get_by_text(SCRIPT_NAME).count() >= 1 and page.get_by_text(IMG).count() >= 1
    assert dialogs == []


HEART_CSV = b"time,bpm,steps\n" + b"".join(f"{i},{60 + i % 7},{i * 3 % 11}\n".encode() for i in range(120))
MACRO_CSV = b"year,quarter,realgdp,realcons\n" + b"".join(
    f"{1959 + i // 4},{i % 4 + 1},{2700 + 10 * i + i % 3},{1700 + 8 * i}\n".encode() for i in range(120))


def _upload(page: Page, name: str, content: bytes) -> None:
    page.locator("input[type=file]").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": content}])


def test_a_second_file_on_the_same_uploader_replaces_the_first(server: Server, page: Page) -> None:
    """Upload A, then drop B on the same uploader without pressing ✕: B's columns, B's data, no error."""
    page.goto(server.url)
    page.get_by_role("heading", name="Data", level=1).wait_for()
    page.get_by_test_id("stButtonGroup").get_by_text("Upload CSV", exact=True).click()
    _upload(page, "heart.csv", HEART_CSV)
    page.get_by_text(re.compile(r"Using heart\.csv")).wait_for()
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("heart.csv").wait_for()
    _upload(page, "macro.csv", MACRO_CSV)
    page.get_by_text(re.compile(r"Using macro\.csv")).wait_for()
    sidebar.get_by_text("macro.csv").wait_for()
    page.locator(".js-plotly-plot").first.wait_for()
    _assert_no_warning_or_error(page)
    assert "no usable series" not in sidebar.inner_text()


def _loss_chart_epochs(page: Page) -> int:
    """How many epochs the Model page's loss chart draws (its training-loss trace's points)."""
    chart = page.locator(".js-plotly-plot").filter(has_text="Loss by epoch").first
    chart.wait_for()
    return chart.evaluate("plot => plot.calcdata[0].length")


def test_a_restored_run_shows_its_own_training_on_the_model_page(server: Server, page: Page) -> None:
    """Train 3 epochs (run 1), then 6 (run 2), restore run 1: the Model page draws run 1 only."""
    page.goto(f"{server.url}/?g.length=200&window=5&units=4&epochs=3&patience=20")
    page.get_by_role("heading", name="Data", level=1).wait_for()
    _train_and_wait(page)
    page.get_by_text(re.compile(r"Trained all 3 epochs")).first.wait_for()
    epochs = page.get_by_role("spinbutton", name="Epochs (at most)")
    epochs.fill("6")
    epochs.press("Enter")
    page.get_by_text("results are stale").wait_for()
    _train_and_wait(page)
    page.get_by_text(re.compile(r"Trained all 6 epochs")).first.wait_for()
    assert _loss_chart_epochs(page) == 6

    _open(page, "Run history")
    page.get_by_role("button", name="Restore this run").wait_for()
    page.get_by_test_id("stMain").get_by_test_id("stSelectbox").click()
    page.keyboard.type("run 1")  # the list redraws while the page settles: choose by typing
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Restore this run").click()
    page.get_by_text(re.compile(r"Run 1 is current again")).wait_for()
    _open(page, "Model & training")
    page.get_by_text(re.compile(r"Trained all 3 epochs")).first.wait_for()
    assert page.get_by_text(re.compile(r"all 6 epochs")).count() == 0
    assert _loss_chart_epochs(page) == 3
    _assert_no_warning_or_error(page)


TINY = "/?g.length=200&window=5&units=4&epochs=2&transform=none"


def _tiny_backtest(page: Page) -> None:
    """On the Backtest page, a backtest of 2 origins, 3 steps each, with its views."""
    _open(page, "Backtest")
    for name, value in (("Origins", "2"), ("Horizon (steps)", "3")):
        box = page.get_by_role("spinbutton", name=name)
        box.fill(value)
        box.press("Enter")
    page.get_by_role("button", name="Run backtest").click()
    page.get_by_text(re.compile(r"2 of 2 origins done")).wait_for(timeout=TRAINING_TIMEOUT_MS)
    page.get_by_text("Forecasts from each origin").first.wait_for()
    page.get_by_text("RMSE across origins, by step ahead").first.wait_for()
    page.get_by_text("absolute error by origin and step").first.wait_for()


def test_a_tiny_backtest_runs_from_its_page(server: Server, page: Page) -> None:
    page.goto(server.url + TINY)
    page.get_by_role("heading", name="Data", level=1).wait_for()
    _tiny_backtest(page)
    _shoot(page, "backtest")
    assert page.locator("[data-testid='stDataFrame'], [data-testid='stDataFrameResizable']").count() >= 1
    _assert_no_warning_or_error(page)


def _tiny_search(page: Page) -> None:
    """On the Find a model page, a search of 2 trials of at most 2 epochs; its winner made the
    current run."""
    _open(page, "Find a model")
    for name, value in (("Trials (at most)", "2"), ("Epochs per trial (at most)", "2")):
        box = page.get_by_role("spinbutton", name=name)
        box.fill(value)
        box.press("Enter")
    page.wait_for_timeout(500)
    page.get_by_role("button", name="Start the search").click()
    page.get_by_text(re.compile(r"Search done: 2 trials")).wait_for(timeout=2 * TRAINING_TIMEOUT_MS)
    page.get_by_text("Validation RMSE by trial").first.wait_for()
    page.get_by_role("button", name="Use this model").click()
    page.get_by_text("This model is the current run").wait_for()


def test_a_tiny_search_runs_from_its_page_and_its_winner_becomes_the_current_run(
        server: Server, page: Page) -> None:
    page.goto(server.url + TINY)
    page.get_by_role("heading", name="Data", level=1).wait_for()
    _tiny_search(page)
    _shoot(page, "search")
    _open(page, "Results")
    page.get_by_text(re.compile(r"Test RMSE")).first.wait_for()
    _assert_no_warning_or_error(page)


def test_the_whole_flow_runs_on_a_ray_cluster(ray_address: str, tmp_path: Path, page: Page) -> None:
    """With LSTM_LAB_RAY_ADDRESS set, train, stop, backtest and search from the pages: everything
    runs on the Ray cluster (started for the tests), none of it in the server or its own workers."""
    with running_app(tmp_path / "streamlit.log", env={"LSTM_LAB_RAY_ADDRESS": ray_address}) as server:
        page.goto(server.url + TINY.replace("epochs=2", "epochs=1000&patience=0"))
        page.get_by_role("heading", name="Data", level=1).wait_for()
        _open(page, "Model & training")
        page.get_by_role("button", name=re.compile(r"Train$")).click()
        page.get_by_text(re.compile(r"Epoch \d+ of 1000")).first.wait_for(timeout=TRAINING_TIMEOUT_MS)
        page.get_by_role("button", name=re.compile(r"Stop$")).click()
        page.get_by_text(re.compile(r"[Ss]topped on request after \d+ epoch")).first.wait_for(
            timeout=TRAINING_TIMEOUT_MS)
        page.goto(server.url + TINY)  # a new session, with 2 epochs
        page.get_by_role("heading", name="Data", level=1).wait_for()
        _train_and_wait(page)
        _tiny_backtest(page)
        _tiny_search(page)
        _open(page, "Results")
        page.get_by_text(re.compile(r"Test RMSE")).first.wait_for()
        _assert_no_warning_or_error(page)
        assert not tensorflow_loaded(server.process), "the server never imports TensorFlow"
        assert not worker_pids(server.process), "no training process of the server's own: Ray ran them"


# Each Plotly chart's parts as boxes on the page: its title, its legend (the visible box, a long
# one scrolls inside it), what lies under the plot (the x axis' labels and title), the labels
# Optuna's parallel view draws as annotations, and the chart itself.
_CHART_PARTS = """plot => {
    const boxes = selector => [...plot.querySelectorAll(selector)]
        .map(element => element.getBoundingClientRect()).filter(box => box.width > 0 && box.height > 0)
        .map(box => ({left: box.left, right: box.right, top: box.top, bottom: box.bottom}));
    const title = plot.querySelector('.gtitle');
    return {title: title ? title.textContent : '', titles: boxes('.gtitle'), legend: boxes('.legend .bg'),
            below: boxes('.g-xtitle, .xtick text'), labels: boxes('.annotation-text'),
            bars: boxes('.bars .textpoint text'), chart: boxes('svg.main-svg')[0]};
}"""


def _overlap(a: dict, b: dict) -> bool:
    return min(a["right"], b["right"]) - max(a["left"], b["left"]) > 1 and \
        min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 1


def _inside(a: dict, b: dict) -> bool:
    return a["left"] >= b["left"] - 1 and a["right"] <= b["right"] + 1 and \
        a["top"] >= b["top"] - 1 and a["bottom"] <= b["bottom"] + 1


def _charts_read_cleanly(page: Page, where: str, least: int = 1) -> list[str]:
    """Every chart on the page: its legend covers neither its title nor what is under the plot,
    sits inside the chart, and no two annotation labels (Optuna's ticks) cover each other; bar
    numbers inside the chart. Returns the charts' titles."""
    page.locator(".js-plotly-plot").nth(least - 1).wait_for()
    page.wait_for_timeout(1500)  # every chart drawn, its margins settled
    found = [plot.evaluate(_CHART_PARTS) for plot in page.locator(".js-plotly-plot").all()]
    for parts in found:
        chart = f"{where}: {parts['title']!r}"
        for legend in parts["legend"]:
            assert not any(_overlap(legend, box) for box in parts["titles"]), f"{chart}: legend over title"
            assert not any(_overlap(legend, box) for box in parts["below"]), f"{chart}: legend over x axis"
            assert _inside(legend, parts["chart"]), f"{chart}: legend cut off"
        for title in parts["titles"]:
            assert _inside(title, parts["chart"]), f"{chart}: title cut off"
        labels = parts["labels"]
        for index, label in enumerate(labels):
            assert not any(_overlap(label, other) for other in labels[index + 1:]), f"{chart}: labels overlap"
            assert _inside(label, parts["chart"]), f"{chart}: label cut off"
        for number in parts["bars"]:
            assert _inside(number, parts["chart"]), f"{chart}: a bar's number cut off"
    return [parts["title"] for parts in found]


def _formulas_fit(page: Page) -> None:
    """Every formula on the page shows whole: none is wider than the space it is shown in."""
    page.locator(".katex-display").first.wait_for()
    cut = page.locator(".katex-display").evaluate_all(
        "shown => shown.filter(f => f.scrollWidth > f.clientWidth + 3).map(f => f.textContent)")
    assert cut == []


def test_every_chart_of_every_page_keeps_its_legend_off_its_title(server: Server, browser: Browser) -> None:
    """A GRU with the direct strategy, its forecast beside the classical models' (the charts with
    the longest legends), then an LSTM beside it, a backtest and a search: on every page, at a
    laptop's width, every chart reads cleanly, and so do the GRU's worked formulas."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(server.url + TINY + "&cell=gru&strategy=direct&horizon=8")
    page.get_by_role("heading", name="Data", level=1).wait_for()
    _train_and_wait(page)
    _charts_read_cleanly(page, "Model & training", least=2)
    _open(page, "Forecast")
    titles = _charts_read_cleanly(page, "Forecast", least=3)
    _shoot(page, "charts-forecast")
    assert titles[0].startswith("Direct forecast")
    _open(page, "Results")
    _charts_read_cleanly(page, "Results", least=4)
    _open(page, "How the LSTM works")
    page.get_by_text(re.compile(r"Unit 1 at step")).wait_for(timeout=TRAINING_TIMEOUT_MS)
    _charts_read_cleanly(page, "How the LSTM works", least=7)
    _formulas_fit(page)
    _shoot(page, "charts-inside")
    _open(page, "Run history")
    page.get_by_role("button", name="Train as LSTM").click()
    page.get_by_test_id("stSidebar").get_by_text(re.compile(r"Trained: test RMSE")).wait_for(
        timeout=TRAINING_TIMEOUT_MS)
    page.get_by_text("Restore this run").first.wait_for()
    _charts_read_cleanly(page, "Run history", least=3)
    _shoot(page, "charts-history")
    _open(page, "Forecast")
    page.get_by_text("Networks and strategies side by side").wait_for()
    _charts_read_cleanly(page, "Forecast, side by side", least=5)
    _shoot(page, "charts-side-by-side")
    _tiny_backtest(page)
    _charts_read_cleanly(page, "Backtest", least=3)
    _shoot(page, "charts-backtest")
    _tiny_search(page)
    page.get_by_text("What mattered").wait_for()
    _charts_read_cleanly(page, "Find a model", least=3)
    _shoot(page, "charts-search")
    _open(page, "Data")
    _charts_read_cleanly(page, "Data")
    _assert_no_warning_or_error(page)
