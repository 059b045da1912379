"""Workshop features in the app, driven by AppTest: links, presets, presenter mode, hidden controls."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from lstm_core.config.presets import PRESETS
from lstm_core.config.settings import ExperimentConfig
from tests.app.driving import (
    healthy,
    open_page,
    session_of,
    train_button,
    unescaped,
    wait_for_training,
)


def chart_layout(at: AppTest, index: int = 0) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)["layout"]


def test_presenter_mode_enlarges_text_and_charts(app: AppTest) -> None:
    healthy(app)
    normal = chart_layout(app)
    assert not any("font-size" in h.proto.body for h in app.get("html"))
    app.toggle(key="view.presenter").set_value(True).run()
    healthy(app)
    large = chart_layout(app)
    assert large["height"] > normal["height"] and large["font"]["size"] > normal["font"]["size"]
    assert any("font-size: 130%" in h.proto.body for h in app.get("html"))
    app.toggle(key="view.presenter").set_value(False).run()
    assert chart_layout(app)["height"] == normal["height"]


def test_advanced_controls_can_be_hidden(app: AppTest) -> None:
    advanced = {"config.dropout", "config.batch_size", "config.learning_rate", "config.patience",
                "config.seed", "config.transform", "config.scaler", "config.season_length"}
    essential = {"config.window", "config.layers", "config.units.0", "config.epochs"}

    def keys(at: AppTest) -> set[str]:
        return {w.key for kind in ("number_input", "slider", "selectbox") for w in at.get(kind)}

    healthy(open_page(app, "model"))
    assert keys(app) >= advanced | essential
    app.toggle(key="view.hide").set_value(True).run()
    healthy(app)
    assert keys(app) >= essential and not keys(app) & advanced
    app.toggle(key="view.hide").set_value(False).run()
    assert keys(app) >= advanced


def test_a_link_sets_up_the_session_and_follows_the_widgets(fresh_app) -> None:
    at = fresh_app({"window": "25", "units": "100,50", "seed": "7", "g.period": "100",
                                 "presenter": "1"})
    healthy(at)
    config = session_of(at).config
    assert (config.window, config.units, config.seed) == (25, [100, 50], 7)
    assert config.source.params == {"period": 100.0}
    assert at.session_state["view.presenter"] is True
    open_page(at, "model")
    at.number_input(key="config.window").set_value(30).run()
    assert at.query_params["window"] == "30" and at.query_params["seed"] == "7"
    assert at.query_params["presenter"] == "1"


def test_a_bad_link_opens_the_app_with_notices_not_an_error(fresh_app) -> None:
    at = fresh_app({"window": "-4", "units": "**bold** [x](http://x)",
                                 "example": "../../etc/passwd", "data": "example"})
    assert not at.exception and not at.error
    notices = [unescaped(i.value) for i in at.info]
    assert any("window '-4'" in n for n in notices) and any("'../../etc/passwd'" in n for n in notices)
    assert all("](http" not in i.value for i in at.info)  # shown literally, never as a link
    config = session_of(at).config
    assert config.window == ExperimentConfig().window and config.source.csv_path is None
    at.run()
    assert not at.info  # said once


def test_a_preset_is_one_click_and_its_link_reproduces_it(app: AppTest, fresh_app) -> None:
    app.selectbox(key="sidebar.preset").set_value("stacked_dropout").run()
    healthy(app)
    assert session_of(app).config == PRESETS["stacked_dropout"].config
    assert any(PRESETS["stacked_dropout"].why == c.value for c in app.sidebar.caption)
    link = dict(app.query_params)
    assert link["preset"] == "stacked_dropout"
    shared = fresh_app(link)
    healthy(shared)
    assert session_of(shared).config == PRESETS["stacked_dropout"].config
    assert shared.selectbox(key="sidebar.preset").value == "stacked_dropout"
    assert "preset=stacked_dropout" in shared.sidebar.code[0].value


def test_the_same_link_trains_to_the_same_numbers(fresh_app) -> None:
    link = {"g.length": "200", "window": "5", "units": "4", "epochs": "2", "patience": "0", "seed": "11"}
    rmses = []
    for _ in range(2):
        at = fresh_app(link)
        open_page(at, "model")
        train_button(at).click().run()
        wait_for_training(at)
        rmses.append(session_of(at).result().evaluation.test_metrics.rmse)
    assert rmses[0] == rmses[1]
