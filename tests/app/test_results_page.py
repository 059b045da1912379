"""The Results page's figures: no inf or nan anywhere, "—" with a reason where a metric means
nothing, units on the cards, what to try after a losing run; and the data chart's part names."""

from __future__ import annotations

import math
import re
from dataclasses import replace
from itertools import combinations

import numpy as np
from streamlit.testing.v1 import AppTest

from lstm_core.config.settings import ExperimentConfig
from lstm_core.data.series import Series, generate
from lstm_core.data.windows import prepare
from lstm_core.eval.evaluation import NO_FIGURE, Metrics
from lstm_core.infer import forecast
from lstm_core.runs.experiment import ExperimentResult, assemble
from lstm_core.runs.progress import COMPLETED, TrainingResult
from tests.app.driving import healthy, open_page, session_of, unescaped
from ui import plots
from ui.plan import plan, time_axis

INF_OR_NAN = re.compile(r"\b(inf|infinity|nan)\b", re.IGNORECASE)
CONFIG = ExperimentConfig(window=5, units=[4], epochs=2, transform="none", horizon=5)


def untrained_result(series: Series, config: ExperimentConfig = CONFIG) -> ExperimentResult:
    """A run whose weights are small random numbers (no TensorFlow, no worker): its predictions
    are nearly flat, so every yardstick beats it. Its training used all its epochs, the last best."""
    data = prepare(series, config)
    units, features = config.units[0], data.n_features
    rng = np.random.default_rng(0)
    shapes = [(features, 4 * units), (units, 4 * units), (4 * units,), (units, 1), (1,)]
    training = TrainingResult(COMPLETED, f"trained all {config.epochs} epochs", config.epochs,
                              config.epochs, 0.5, [0.2, 0.1], [0.3, 0.2])
    return assemble(config, data, [rng.normal(0, 0.1, shape) for shape in shapes], training)


def show(at: AppTest, result: ExperimentResult) -> AppTest:
    session_of(at).adopt(result)
    return healthy(open_page(at, "results"))


def everything_shown(at: AppTest) -> str:
    """Every element of the page and the sidebar as its message text: values, labels, help
    texts, tables' cells and charts' specs."""
    return "\n".join(str(leaf.proto) for leaf in [*_leaves(at.main), *_leaves(at.sidebar)])


def _leaves(node):
    children = getattr(node, "children", None)
    if not children:
        return [node] if hasattr(node, "proto") else []
    return [leaf for child in children.values() for leaf in _leaves(child)]


def card(at: AppTest, metric: str):
    return next(m for m in at.metric if m.label == f"Test {metric}")


def test_overflowing_metrics_show_no_inf_or_nan_anywhere(app: AppTest) -> None:
    result = untrained_result(generate("sine", length=200))
    broken = Metrics(rmse=math.inf, mae=math.nan, mape=math.inf, smape=math.nan, mase=math.inf)
    evaluation = result.evaluation
    baselines = {name: replace(b, metrics=broken) for name, b in evaluation.baselines.items()}
    evaluation = replace(evaluation, test_metrics=broken, train_metrics=broken, baselines=baselines)
    rollout = result.test_rollout
    infinite = forecast.TestRollout(rollout.times, np.full(len(rollout.times), math.inf), rollout.actual)
    show(app, replace(result, evaluation=evaluation, test_rollout=infinite))
    assert [m.value for m in app.metric] == [NO_FIGURE] * 5
    assert all(m.proto.delta == "" for m in app.metric)  # no "+nan% vs naive"
    assert "not a finite number" in card(app, "RMSE").help
    table = app.dataframe[0]
    assert table.value.isna().all().all() and table.proto.placeholder == NO_FIGURE
    assert INF_OR_NAN.findall(everything_shown(app)) == []
    open_page(app, "forecast")
    assert INF_OR_NAN.findall(everything_shown(app)) == []
    assert any(f"test span: {NO_FIGURE}." in c.value for c in app.caption)


def test_a_losing_run_gets_suggestions_and_mape_is_left_out_on_a_series_crossing_zero(
        app: AppTest) -> None:
    result = untrained_result(Series(values=generate("sine", length=200).values, name="volts"))
    assert result.evaluation.beaten_by()
    show(app, result)
    text = "\n".join(unescaped(m.value) for m in app.markdown)
    assert "**What to try**" in text
    for start in ("A longer window: 100 steps instead of 5", "More epochs: 4 instead of 2",
                  "An automatic search"):
        assert f"- {start}" in text
    assert {"model", "search"} <= {link.proto.page for link in app.get("page_link")}
    # the sine crosses zero: its MAPE means nothing, and the card says why instead of a number
    mape = card(app, "MAPE")
    assert mape.value == NO_FIGURE and "cross zero" in mape.help
    assert np.isnan(app.dataframe[0].value.loc["LSTM", "MAPE"])
    # short labels (a long series name was cut); the units said once under the cards
    assert [m.label for m in app.metric] == ["Test RMSE", "Test MAE", "Test MAPE", "Test sMAPE", "Test MASE"]
    assert any("RMSE and MAE in the series' units (volts), MAPE and sMAPE in %" in unescaped(c.value)
               for c in app.caption)


# The data chart on a phone: 390 px wide, and an allowance for the y axis' numbers.
PHONE_WIDTH, AXIS_ALLOWANCE, CHARACTER_WIDTH = 390, 50, 0.6


def label_boxes(fig) -> list[tuple[str, float, float, float, float]]:
    """Each part's name as the box it covers on a chart as wide as a phone: (text, left, right,
    top, bottom) in pixels from the plot area's top left corner (a character is taken as
    0.6 of the font size wide)."""
    x = np.asarray(fig.data[0].x, dtype=float)
    margin = fig.layout.margin
    width = PHONE_WIDTH - margin.l - margin.r - AXIS_ALLOWANCE
    boxes = []
    for note in fig.layout.annotations:
        size = note.font.size
        anchor = width * (note.x - x.min()) / (x.max() - x.min())
        span = len(note.text) * size * CHARACTER_WIDTH
        left = anchor - span if note.xanchor == "right" else anchor
        top = -(note.yshift or 0)
        boxes.append((note.text, left, left + span, top, top + size))
    return boxes


def test_the_part_names_do_not_overlap_on_a_phone() -> None:
    series = generate("sine", length=200)
    config = ExperimentConfig(window=5, val_share=0.1, test_share=0.1)
    fig = plots.series_figure(time_axis(series), series.values, "value", plan(series, config))
    boxes = label_boxes(fig)
    assert [b[0] for b in boxes] == ["train", "validation", "test"]
    for (one, *a), (other, *b) in combinations(boxes, 2):
        apart = a[1] <= b[0] or b[1] <= a[0] or a[3] <= b[2] or b[3] <= a[2]
        assert apart, f"{one!r} covers {other!r}"
    width = PHONE_WIDTH - fig.layout.margin.l - fig.layout.margin.r - AXIS_ALLOWANCE
    assert all(left >= 0 and right <= width for _, left, right, _, _ in boxes)
