"""The Backtest page: settings, a tiny backtest run in the pool, its table and charts."""

from __future__ import annotations

import json
import re

from streamlit.testing.v1 import AppTest

from lstm_core.config.settings import DataMode
from tests.app.driving import healthy, open_page, session_of, tiny_model, wait_for_training


def start_tiny_backtest(app: AppTest):
    """Two origins of three steps, the model trained once, started from the page; its job."""
    healthy(open_page(app, "backtest"))
    app.number_input(key="backtest.origins").set_value(2).run()
    app.number_input(key="backtest.horizon").set_value(3).run()
    app.toggle(key="backtest.refit").set_value(False).run()
    job = session_of(app).backtest.job
    app.button(key="backtest.run").click().run()
    return job


def test_a_tiny_backtest_runs_from_its_page_and_shows_its_errors(app: AppTest) -> None:
    tiny_model(app)
    job = start_tiny_backtest(app)
    assert job.running or job.result is not None
    healthy(wait_for_training(app, job))  # the app fixture stops the job if it is still running
    assert any("2 of 2 origins done" in box.value for box in app.success)
    table = app.dataframe[0].value
    assert list(table.columns[:5]) == ["model", "mean RMSE", "± std", "step 1", "step 2"]
    assert {"LSTM", "naive", "linear AR"} <= set(table["model"])
    assert len(app.get("plotly_chart")) == 3  # the origins, RMSE by step, the heat-map
    app.selectbox(key="backtest.model").set_value("naive").run()
    healthy(app)


def test_a_backtest_on_dated_data_shows_its_origins_by_date(app: AppTest) -> None:
    app.button_group(key="data.mode").set_value(DataMode.EXAMPLE).run()
    app.selectbox(key="data.example").set_value("airline_passengers").run()
    open_page(app, "model")
    app.number_input(key="config.epochs").set_value(2).run()
    job = start_tiny_backtest(app)
    healthy(wait_for_training(app, job))
    origins, _, heatmap = (json.loads(chart.proto.spec) for chart in app.get("plotly_chart"))
    steps = [step["label"] for step in origins["layout"]["sliders"][0]["steps"]]
    assert all(re.fullmatch(r"19\d\d-\d\d-01", label) for label in steps), steps
    assert heatmap["data"][0]["y"] == steps
    assert str(origins["data"][0]["x"][0]).startswith("1949-01-01")  # the series on its calendar
