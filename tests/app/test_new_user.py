"""What a new user found in a real browser (issue 26): a horizon carried over to other data, a
stale load headline, a refused file under an old data line, runs on other data drawn on one
axis, a restore the page caught up with late, a search's winner called a restored run."""

from __future__ import annotations

import base64
import copy
import json

import numpy as np
from streamlit.testing.v1 import AppTest

from lstm_core.config.settings import DataMode
from lstm_core.data.examples import EXAMPLES
from lstm_core.search.job import SearchOutcome
from lstm_core.search.search import Budget
from tests.app.driving import (
    healthy,
    messages,
    open_page,
    session_of,
    tiny_model,
    train_button,
    unescaped,
    wait_for_training,
)
from tests.app.test_usability import SEMICOLONS, _upload

AIRLINE = EXAMPLES["airline_passengers"].path.read_bytes()
# A file with no decimals and two faults: a line with one field, and a quote never closed.
RAGGED = b't,value\n1,10\n2\n3,12,"\n4,13\n5,14\n6,15\n'
HUGE = b"t,value\n" + b"".join(f"{k},{k}e200\n".encode() for k in range(1, 301))


def _data_line(at: AppTest) -> list[str]:
    return [t.value for t in at.text if t.value.startswith("Using ")]


def test_new_data_gets_a_horizon_that_fits_it(fresh_app) -> None:
    """600 steps set for a long sine: a 144-month upload gets two years (its season twice, within
    its test part), and so does the airline example; the Data page says so."""
    app = fresh_app({"horizon": "600"})
    assert session_of(app).config.horizon == 600
    _upload(app, "passengers.csv", AIRLINE)
    assert session_of(app).config.horizon == 24
    assert any("horizon 24 steps" in c.value for c in app.caption)

    other = fresh_app({"horizon": "600"})
    open_page(other, "data")
    other.segmented_control(key="data.mode").set_value(DataMode.EXAMPLE).run()
    assert session_of(other).config.horizon == 24
    assert any("a horizon that fits it: 24 steps" in c.value for c in other.caption)
    other.selectbox(key="data.example").set_value("nile_flow").run()
    assert session_of(other).config.horizon == 20  # no season: the default, cut to its 20 test years


def test_the_upload_headline_follows_the_decimal_mark(app: AppTest) -> None:
    _upload(app, "shop.csv", SEMICOLONS)
    app.selectbox(key="config.source.target").set_value("sales").run()
    (headline,) = _data_line(app)
    assert "decimal comma" in headline
    app.selectbox(key="config.source.decimal").set_value("point").run()
    (headline,) = _data_line(app)
    assert "decimal point" in headline and "decimal comma" not in headline
    assert session_of(app).dataset().series.values[0] == 1500

    labels = b"shop;sales\n" + b"".join(f"s{d};{d},5\n".encode() for d in range(1, 40))
    _upload(app, "labels.csv", labels)  # a new file: its cells tell its mark again
    assert session_of(app).config.source.decimal == "auto" and "decimal comma" in _data_line(app)[0]
    app.selectbox(key="config.source.decimal").set_value("point").run()  # its one number column: text
    (why,) = messages(app)
    assert "holds text, not numbers" in why and _data_line(app) == []
    app.selectbox(key="config.source.decimal").set_value("comma").run()  # still offered: read again
    assert messages(app) == [] and len(_data_line(app)) == 1


def test_a_refused_file_says_why_under_no_data_line(app: AppTest) -> None:
    _upload(app, "airline.csv", AIRLINE)
    assert len(_data_line(app)) == 1
    _upload(app, "ragged.csv", RAGGED)
    assert _data_line(app) == []  # not "Using airline.csv" under the refusal
    (why,) = messages(app)
    assert "Line 4 opens a quote" in why and "decimal comma" not in why
    _upload(app, "bad_huge_values.csv", HUGE)  # read, then refused by the loading
    assert _data_line(app) == []
    (why,) = messages(app)
    assert "too large" in why


def _values(shown: list | dict) -> np.ndarray:
    """A chart's array as its spec holds it: a list, or Plotly's typed array (base64)."""
    if isinstance(shown, dict):
        return np.frombuffer(base64.b64decode(shown["bdata"]), dtype=shown["dtype"])
    return np.asarray(shown)


def _train(at: AppTest) -> None:
    open_page(at, "model")
    train_button(at).click().run()
    wait_for_training(at)


def test_run_history_compares_runs_on_the_same_data_only(app: AppTest) -> None:
    tiny_model(app)  # run 1: the sine
    _train(app)
    open_page(app, "data")
    app.segmented_control(key="data.mode").set_value(DataMode.EXAMPLE).run()  # the airline passengers
    open_page(app, "model")
    app.number_input(key="config.units.0").set_value(4).run()
    app.number_input(key="config.epochs").set_value(2).run()
    app.selectbox(key="config.strategy").set_value("direct").run()
    _train(app)  # run 2: the airline, direct

    healthy(open_page(app, "history"))
    assert sorted(app.multiselect(key="history.compare").value) == [1, 2]
    charts = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    assert len(charts) == 1 + 2 * 2  # the losses, then each data's predictions and error by horizon
    predictions = [c for c in charts if c["layout"]["title"]["text"].startswith("Test predictions")]
    horizons = [c for c in charts if c["layout"]["title"]["text"].startswith("RMSE up to each step")]
    for one_data in (*predictions, *horizons):
        runs = {trace["name"].split(":")[0].split(",")[0] for trace in one_data["data"]
                if trace["name"].startswith("run ")}
        assert len(runs) == 1, runs
    steps = {len(_values(c["data"][0]["x"])) for c in horizons}
    assert steps == {40, 29}  # the sine's test part, the airline's
    assert any("trained on different data" in c.value for c in app.caption)


def _train_as_line(at: AppTest) -> str:
    return unescaped(next(m.value for m in at.markdown if "Train the current settings" in m.value))


def test_a_restored_run_s_settings_show_on_the_page_at_once(app: AppTest) -> None:
    tiny_model(app)  # run 1: an LSTM, recursive
    _train(app)
    app.selectbox(key="config.cell").set_value("gru").run()
    app.selectbox(key="config.strategy").set_value("direct").run()
    healthy(open_page(app, "history"))
    assert "(GRU, direct) with another network" in _train_as_line(app)
    app.selectbox(key="history.restore_pick").set_value(1).run()
    app.button(key="history.restore").click().run()
    healthy(app)
    assert any("Run 1 is current again" in s.value for s in app.success)
    assert "(LSTM, recursive) with another network" in _train_as_line(app)
    assert {b.label for b in app.button if b.label.startswith("Train as")} == {
        "Train as GRU", "Train as plain RNN", "Train as MLP"}


def test_the_forecast_and_the_model_page_name_a_run_for_what_it_is(app: AppTest) -> None:
    """A direct model's forecast is called direct; a search's winner is no restored run; a run
    trained on other data is said to be stale on the Model page, not only in the sidebar."""
    tiny_model(app)
    app.selectbox(key="config.strategy").set_value("direct").run()
    session_of(app).config.horizon = 8
    _train(app)
    current = session_of(app)
    winner = copy.copy(current.result())  # as a search's final training: not the job's result
    current.use_search(SearchOutcome(trials=[], best_number=2, best_score=0.1, best_params={},
                                     final=winner, seconds=1.0, budget=Budget(3), stopped=False))
    healthy(open_page(app, "model"))
    (banner,) = [box.value for box in app.success]
    assert unescaped(banner).startswith("Found by the search (trial 3): ") and "Restored" not in banner
    assert not any("stale" in box.value for box in app.info)
    healthy(open_page(app, "forecast"))
    title = json.loads(app.get("plotly_chart")[0].proto.spec)["layout"]["title"]["text"]
    assert title == "Direct forecast past the end of the data"

    app.selectbox(key="sidebar.preset").set_value("clean_sine").run()
    open_page(app, "model")
    assert any("results are stale" in box.value for box in app.info)
