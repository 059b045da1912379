"""Workshop features in the app, driven by AppTest: presenter mode and hidden advanced controls."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from tests.test_app_pages import (
    app,  # noqa: F401  (the fixture)
    healthy,
    open_page,
)


def chart_layout(at: AppTest, index: int = 0) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)["layout"]


def test_presenter_mode_enlarges_text_and_charts(app: AppTest) -> None:  # noqa: F811
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


def test_advanced_controls_can_be_hidden(app: AppTest) -> None:  # noqa: F811
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
