"""Networks and strategies compared, driven by AppTest: the Model page's choices, the Forecast
page's side-by-side view of runs on the same data, and Run history's one-click other network."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.driving import healthy, open_page, session_of, tiny_model, train_button, wait_for_training

SIDE_BY_SIDE = "Networks and strategies side by side"


def train(app: AppTest) -> None:
    train_button(app).click().run()
    wait_for_training(app)


def test_runs_of_other_strategies_and_networks_show_side_by_side(app: AppTest) -> None:
    tiny_model(app)
    train(app)
    healthy(open_page(app, "forecast"))
    assert SIDE_BY_SIDE not in [h.value for h in app.subheader]
    assert any("another network or forecast strategy" in c.value for c in app.caption)

    open_page(app, "model")
    app.selectbox(key="config.strategy").set_value("direct").run()
    assert any("one output per step of the horizon" in c.value for c in app.caption)
    train(app)
    result = session_of(app).result()
    assert result.config.strategy == "direct" and result.net.outputs == result.config.horizon
    healthy(open_page(app, "forecast"))
    assert SIDE_BY_SIDE in [h.value for h in app.subheader]
    table = app.dataframe[-1].value
    assert list(table["model"]) == ["LSTM", "LSTM, direct"]
    assert {"error at step 1", "error at the last step", "parameters", "fit seconds"} <= set(table.columns)
    assert table["parameters"].iloc[1] > table["parameters"].iloc[0]  # a head of one output per step

    app.slider(key="config.horizon").set_value(30).run()  # another horizon than the model's outputs
    healthy(app)
    assert any("its blocks of outputs are chained" in c.value for c in app.caption)

    healthy(open_page(app, "history"))
    gru = next(b for b in app.button if b.label == "Train as GRU")
    gru.click().run()
    wait_for_training(app)
    runs = list(session_of(app).training.history)
    assert [(r.config.cell, r.config.strategy) for r in runs] == [
        ("lstm", "recursive"), ("lstm", "direct"), ("gru", "direct")]
    healthy(open_page(app, "history"))
    compared = next(d.value for d in app.dataframe if "error at step 1" in d.value.columns)
    assert list(compared["model"]) == ["LSTM", "LSTM, direct", "GRU, direct"]
