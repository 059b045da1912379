"""Many users, faults and hostile input, driven by AppTest: hostile names stay plain text, a
diverging training ends with a message, sessions never share anything, every knob is bounded."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from types import SimpleNamespace

import pytest
from streamlit.testing.v1 import AppTest

from lstm_core.config.settings import LIMITS, DataMode, ExperimentConfig
from lstm_core.data.csv.load import LoadOptions, load_csv
from lstm_core.errors import LSTMLabError
from lstm_core.runs.progress import STOPPED, TrainingResult
from lstm_core.runs.progress import message as stop_message
from tests.app.driving import (
    TRAINING_TIMEOUT,
    healthy,
    messages,
    open_page,
    session_of,
    sidebar_text,
    tiny_model,
    train_button,
    wait_for_training,
)
from tests.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
IMG = "<img src=x onerror=alert(1)>"
BOLD = "**bold** [link](http://x)"
SCRIPT_NAME = "<script>alert(1)</script>.csv"
ROWS = "".join(f"2024-{1 + d // 28:02d}-{1 + d % 28:02d},{(d * 7) % 11 + d / 10},{d % 5}\n"
               for d in range(200))
HOSTILE_CSV = (f'day,"{IMG}","{BOLD}"\n' + ROWS).encode()
# What would render as HTML, emphasis or a link; a backslash before it (ui.widgets.plain) makes
# Markdown show it literally, as text.
RENDERED = re.compile(r"(?<!\\)<img|(?<!\\)<script|\*\*bold\*\*|\]\(http")


def rendered_texts(at: AppTest) -> list[str]:
    """Every text Streamlit renders as Markdown (or HTML), as the page holds it."""
    kinds = ("markdown", "caption", "info", "success", "warning", "error", "title", "header",
             "subheader", "latex")
    return [str(element.value) for kind in kinds for element in at.get(kind)]


def test_hostile_column_and_file_names_are_never_rendered(app: AppTest) -> None:
    app.button_group(key="data.mode").set_value(DataMode.UPLOAD).run()
    app.file_uploader(key="data.uploader").upload(SCRIPT_NAME, HOSTILE_CSV, "text/csv").run()
    healthy(app)
    app.selectbox(key="config.source.target").set_value(IMG).run()
    app.multiselect(key="config.source.features").set_value([BOLD]).run()
    healthy(app)
    assert session_of(app).dataset().series.feature_names == [BOLD]
    assert IMG in app.selectbox(key="config.source.target").options
    assert SCRIPT_NAME in sidebar_text(app)  # shown, as plain text
    open_page(app, "model")
    for key, value in (("config.window", 5), ("config.units.0", 4), ("config.epochs", 2)):
        app.number_input(key=key).set_value(value).run()
    train_button(app).click().run()
    wait_for_training(app)
    for page in ("data", "model", "results", "forecast", "inside", "history"):
        open_page(app, page)
        assert not app.exception, page
        leaks = [text for text in rendered_texts(app) if RENDERED.search(text)]
        assert leaks == [], (page, leaks)


def test_a_diverging_training_stops_with_a_message_and_the_app_goes_on(app: AppTest) -> None:
    tiny_model(app)
    app.number_input(key="config.learning_rate").set_value(10.0).run()
    train_button(app).click().run()
    wait_for_training(app)
    assert not app.exception
    assert any("Training diverged at epoch 1" in m and "lower the learning rate" in m
               for m in messages(app)), messages(app)
    assert "Training failed" in sidebar_text(app)
    app.number_input(key="config.learning_rate").set_value(0.003).run()
    train_button(app).click().run()
    wait_for_training(app)
    healthy(app)
    assert session_of(app).result() is not None


def test_two_sessions_training_at_once_never_see_each_other(fresh_app) -> None:
    one = fresh_app({"g.length": "200", "g.period": "20", "window": "5", "units": "4",
                                  "epochs": "3", "patience": "0", "seed": "1"})
    two = fresh_app({"g.length": "250", "g.period": "30", "window": "6", "units": "5",
                                  "epochs": "3", "patience": "0", "seed": "2"})
    for session in (one, two):
        open_page(session, "model")
        train_button(session).click().run()
    assert session_of(one).training.job.running or session_of(two).training.job.running  # at once
    wait_until(lambda: not (session_of(one).training.job.running or session_of(two).training.job.running),
               TRAINING_TIMEOUT, interval=0.2, message="the two trainings did not end")
    for session in (one, two):
        session.run()
        healthy(session)
    first, second = session_of(one).result(), session_of(two).result()
    assert (first.config.window, len(first.data.series)) == (5, 200)
    assert (second.config.window, len(second.data.series)) == (6, 250)
    assert first.evaluation.test_metrics.rmse != second.evaluation.test_metrics.rmse
    for mine, theirs in ((one, two), (two, one)):
        assert session_of(mine) is not session_of(theirs)
        for part in ("training", "config", "data"):
            assert getattr(session_of(mine), part) is not getattr(session_of(theirs), part), part
        assert session_of(mine).training.job is not session_of(theirs).training.job
        assert session_of(mine).dataset() is not session_of(theirs).dataset()
        assert [run.number for run in session_of(mine).training.history] == [1]


def test_a_training_beyond_the_limit_waits_on_its_page_and_polls_slower(monkeypatch, fresh_app) -> None:
    """One training slot, held by someone else: the page shows the place in the queue, redraws
    itself every QUEUED_POLL_SECONDS meanwhile, and trains once the slot is free."""
    from lstm_core.jobs.pool import TrainingPool
    from tests.core.jobs.test_pool import started, wait_until
    from ui import session, widgets

    pool = TrainingPool(max_workers=1, preload=False)
    monkeypatch.setattr(session, "shared_pool", lambda: pool)
    try:
        other = started(pool)
        at = fresh_app({"g.length": "200", "window": "5", "units": "4", "epochs": "500",
                                     "patience": "0"})
        open_page(at, "model")
        train_button(at).click().run()
        job = session_of(at).training.job
        snap = job.snapshot()
        assert (snap.running, snap.queue_position) == (True, 1)
        assert widgets.poll_seconds(snap) == widgets.QUEUED_POLL_SECONDS > widgets.POLL_SECONDS
        progress = at.get("progress")[0].proto.text
        assert "number 1 in the queue" in progress, progress
        assert any("training slots" in c.value for c in at.caption)
        # The page shows the training; the sidebar says so instead of redrawing it as well.
        assert "Its progress shows on this page" in sidebar_text(at)
        other.stop()
        wait_until(lambda: job.snapshot().epoch >= 1)
        assert widgets.poll_seconds(job.snapshot()) == widgets.POLL_SECONDS
        open_page(at, "results")  # elsewhere the sidebar redraws the training itself
        assert "**Training**: epoch" in sidebar_text(at)
        job.stop()
        wait_for_training(at)
        assert widgets.poll_seconds(job.snapshot()) is None
        assert "**Trained**: test RMSE" in sidebar_text(at)
    finally:
        pool.shutdown()


def test_nothing_personal_sits_in_a_cache_shared_by_all_sessions() -> None:
    sources = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "ui").glob("*.py")]
    # Streamlit's caches, Python's memoizers and module globals all outlive a session.
    cached = re.compile(r"st\.cache_(data|resource)|lru_cache|functools\.cache\b|@cache\b|^\s*global\s",
                        re.MULTILINE)
    shared_caches = [str(path.relative_to(ROOT)) for path in sources if cached.search(path.read_text())]
    assert shared_caches == list(SHARED_ON_PURPOSE)


# Module state kept across sessions on purpose, and why it holds nothing of a person's.
SHARED_ON_PURPOSE = {
    "ui/closing.py": "the closed-tab watcher: session ids and weak references to their jobs only",
}


def test_the_closed_tab_watcher_keeps_no_job_alive() -> None:
    import gc

    from lstm_core.jobs.job import TrainingJob
    from ui.closing import Watcher

    watcher = Watcher(lambda _: True, grace=3600, check_seconds=3600)
    job = TrainingJob()
    watcher.watch("someone", [job])
    del job
    gc.collect()
    watcher.check()
    assert watcher._jobs == {}  # the session's jobs were collected, and the watcher forgot it


def test_every_knob_on_the_model_page_is_bounded_like_lstm_core(app: AppTest) -> None:
    open_page(app, "model")
    bounded = {w.key.removeprefix("config."): w for kind in ("number_input", "slider")
               for w in app.get(kind) if w.key and w.key.startswith("config.")}
    names = {"window", "epochs", "batch_size", "learning_rate", "patience", "seed", "season_length",
             "dropout", "layers", "units.0"}
    assert names <= set(bounded)
    for name in names:
        low, high = LIMITS[name.split(".")[0]]
        assert (bounded[name].min, bounded[name].max) == (low, high), name
    for name, (_, high) in LIMITS.items():
        too_big = high + 1 if isinstance(high, int) else high * 2
        config = ExperimentConfig(units=[too_big] if name == "units" else [32])
        if name not in ("units", "layers"):
            setattr(config, name, too_big)
        elif name == "layers":
            config.units = [8] * (int(high) + 1)
        assert any(name in problem for problem in config.problems()), name


def test_the_server_config_sets_safe_defaults() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["maxUploadSize"] == 50
    assert config["server"]["fileWatcherType"] == "none"
    assert config["browser"]["gatherUsageStats"] is False
    assert config["client"]["showErrorDetails"] == "none"


def test_an_oversized_upload_is_refused_by_lstm_core_too() -> None:
    with pytest.raises(LSTMLabError, match=r"over the 1000 bytes limit"):
        load_csv(HOSTILE_CSV, target=IMG, options=LoadOptions(max_bytes=1000))


def test_chart_texts_from_user_strings_are_not_plotly_markup() -> None:
    """Plotly reads some HTML in titles and trace names (<a href>, <b>); a column name is none."""
    import numpy as np

    from ui import plots

    name = '<a href="http://x">click</a> <b>bold</b>'
    figure = plots.series_figure(np.arange(5), np.arange(5.0), name)
    assert figure.data[0].name == figure.layout.yaxis.title.text == (
        '&lt;a href="http://x"&gt;click&lt;/a&gt; &lt;b&gt;bold&lt;/b&gt;')


def test_a_series_the_server_has_no_memory_for_is_a_message_and_every_page_goes_on(
        app: AppTest, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui import session as session_module

    def out_of_memory(source: object) -> None:
        raise MemoryError

    monkeypatch.setattr(session_module, "load_series", out_of_memory)
    app.number_input(key="param.sine.length").set_value(300).run()  # a new source: loaded anew
    assert not app.exception, [e.value for e in app.exception]
    assert any("needs more memory than the server can spare" in m for m in messages(app)), messages(app)
    assert "no usable series" in sidebar_text(app)
    for name in ("model", "results", "sequence_lab"):
        assert not open_page(app, name).exception, name
    monkeypatch.undo()
    open_page(app, "data").number_input(key="param.sine.length").set_value(400).run()
    assert "400 samples" in sidebar_text(healthy(app))


def until_stopped(*, progress, stop, on_stage) -> SimpleNamespace:
    """A stand-in training (no TensorFlow) that runs until it is stopped, and ends as lstm_core's
    trainings do when they are: a result whose training says it was stopped."""
    on_stage("training")
    epochs = 0
    while not stop.wait(0.05):
        epochs += 1
    return SimpleNamespace(training=TrainingResult(STOPPED, stop_message(STOPPED, epochs, epochs, 0),
                                                   epochs, epochs, epochs * 0.05))


def test_a_job_ended_by_the_time_limit_says_so_and_one_stopped_by_its_person_says_that(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from lstm_core.jobs.job import TrainingJob
    from lstm_core.jobs.pool import TrainingPool

    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # the worker imports the stand-in by its name
    pool = TrainingPool(max_workers=1, preload=False, max_seconds=1, housekeeping_seconds=0.2)
    try:
        capped = TrainingJob(pool=pool)
        capped.start_work(until_stopped, 1)
        assert capped.join(TRAINING_TIMEOUT)
        assert capped.result.training.message.startswith(
            "stopped at the time limit of 1 second a job may run on this server, after "), capped.result
        stopped = TrainingJob(pool=pool)
        stopped.start_work(until_stopped, 1)
        wait_until(lambda: stopped.snapshot().stage == "training")
        stopped.stop()
        assert stopped.join(TRAINING_TIMEOUT)
        assert stopped.result.training.message.startswith("stopped on request after "), stopped.result
    finally:
        pool.shutdown()


def xsrf_cookie(token: bytes, mask: bytes, version: int = 2) -> str:
    """The XSRF cookie Streamlit sends a browser: its token masked anew in each response."""
    if version == 1:
        return token.hex()
    masked = bytes(byte ^ mask[k % 4] for k, byte in enumerate(token))
    return f"2|{mask.hex()}|{masked.hex()}|1796690500"


def test_a_browser_is_named_by_its_xsrf_token_whatever_its_mask() -> None:
    from ui.session import XSRF_COOKIE, browser_owner

    token, other = bytes(range(16)), bytes(range(1, 17))
    first = browser_owner({XSRF_COOKIE: xsrf_cookie(token, b"\x01\x02\x03\x04")})
    assert first is not None and token.hex() not in first  # hashed: the token guards requests
    assert browser_owner({XSRF_COOKIE: xsrf_cookie(token, b"\xff\x00\xaa\x55")}) == first
    assert browser_owner({XSRF_COOKIE: xsrf_cookie(token, b"", version=1)}) == first
    assert browser_owner({XSRF_COOKIE: xsrf_cookie(other, b"\x01\x02\x03\x04")}) != first
    for cookies in ({}, {XSRF_COOKIE: ""}, {XSRF_COOKIE: "2|zz|yy|1"}, {XSRF_COOKIE: "2|01|02"},
                    {XSRF_COOKIE: "2||0102|1"}, {"other": token.hex()}):
        assert browser_owner(cookies) is None, cookies


def test_the_tabs_of_one_browser_share_one_running_and_one_queued_job(
        monkeypatch: pytest.MonkeyPatch, fresh_app) -> None:
    """Six tabs of one browser once held both slots of a 2-slot server: each tab is a session of
    its own. Its jobs are now the browser's: a second waits for the first although a slot is
    free, a third is refused, and another browser's job takes the free slot."""
    from lstm_core.jobs.job import JobBusyError
    from lstm_core.jobs.pool import TrainingPool
    from ui import session

    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # the worker imports the stand-in by its name
    pool = TrainingPool(max_workers=2, preload=False)
    monkeypatch.setattr(session, "shared_pool", lambda: pool)
    browsers = iter(["browser one", "browser one", "browser one", "browser two"])
    monkeypatch.setattr(session, "browser_owner", lambda cookies: next(browsers))
    try:
        tabs = [session_of(fresh_app({})) for _ in range(4)]
        assert len({tab.owner for tab in tabs}) == 2 and len({id(tab) for tab in tabs}) == 4
        tabs[0].training.job.start_work(until_stopped, 1)
        wait_until(lambda: tabs[0].training.job.snapshot().stage == "training")
        tabs[1].search.job.start_work(until_stopped, 1)
        with pytest.raises(JobBusyError, match="one job running and one waiting .in this tab or another"):
            tabs[2].lab.job.start_work(until_stopped, 1)
        tabs[3].training.job.start_work(until_stopped, 1)
        wait_until(lambda: tabs[3].training.job.snapshot().stage == "training")
        assert tabs[1].search.job.snapshot().queue_position == 1  # behind its own browser's first
        tabs[0].training.job.stop()
        wait_until(lambda: tabs[1].search.job.snapshot().stage == "training")
    finally:
        pool.shutdown()
