"""The app's helpers without a page: split plan, time axes, charts, plain text, bundled examples."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lstm_core import ConfigError, ExperimentConfig, Series, generate
from lstm_core.data.examples import EXAMPLES, load_example
from lstm_core.data.windows import prepare
from lstm_core.eval.evaluation import evaluate
from ui import plots
from ui.plan import forecast_table, future_axis, plan, time_axis
from ui.widgets import duration, plain, sentence

CONFIGS = [
    ExperimentConfig(),
    ExperimentConfig(window=7, val_share=0.0, test_share=0.3),
    ExperimentConfig(window=20, transform="diff"),
    ExperimentConfig(window=3, val_share=0.25, test_share=0.05, transform="none"),
]


@pytest.mark.parametrize("config", CONFIGS)
@pytest.mark.parametrize("kind", ["sine", "trend_seasonal", "random_walk"])
def test_the_plan_matches_what_prepare_builds(config: ExperimentConfig, kind: str) -> None:
    series = generate(kind, length=300)
    data = prepare(series, config)
    layout = plan(series, config)
    assert layout.problem is None
    assert layout.transform == data.transform.name
    assert (layout.train_end, layout.test_start) == (data.train_end_time, data.test_start_time)
    assert (layout.train_windows, layout.val_windows, layout.test_windows) == (
        len(data.y_train), len(data.y_val), len(data.y_test))


def test_the_plan_says_when_the_window_does_not_fit() -> None:
    layout = plan(generate("sine", length=100), ExperimentConfig(window=80))
    assert "too long for the training part" in layout.problem


def test_time_axes_continue_the_series_spacing() -> None:
    plain_series = generate("sine", length=10)
    assert list(time_axis(plain_series)) == list(range(10))
    assert list(future_axis(plain_series, 3)) == [10, 11, 12]
    monthly = Series(np.arange(6.0), timestamps=pd.date_range("2020-01-01", periods=6, freq="MS"))
    assert list(future_axis(monthly, 2)) == [pd.Timestamp("2020-07-01"), pd.Timestamp("2020-08-01")]
    stamps = pd.DatetimeIndex(["2020-01-01", "2020-01-03", "2020-01-04"])
    irregular = Series(np.arange(3.0), timestamps=stamps)
    assert future_axis(irregular, 1)[0] == pd.Timestamp("2020-01-05 12:00")


def test_the_forecast_table_carries_the_times_of_the_forecast() -> None:
    monthly = Series(np.arange(6.0), name="sales",
                     timestamps=pd.date_range("2020-01-01", periods=6, freq="MS"))
    table = forecast_table(monthly, np.array([6.0, 7.0]))
    assert table.to_csv(index=False).splitlines() == ["time,forecast_sales", "2020-07-01,6.0",
                                                      "2020-08-01,7.0"]
    assert list(forecast_table(generate("sine", length=10), np.zeros(2)).columns) == ["step", "forecast_sine"]


def test_every_chart_builds_with_dates_and_with_steps() -> None:
    for stamps in (None, pd.date_range("2000-01-01", periods=120, freq="D")):
        series = Series(np.sin(np.arange(120) / 5), timestamps=stamps)
        config = ExperimentConfig(window=10)
        data = prepare(series, config)
        evaluation = evaluate(data, data.y_train, data.y_test)
        x, layout = time_axis(series), plan(series, config)
        figures = [
            plots.series_figure(x, series.values, "value", layout),
            plots.window_figure(series.values[:10], series.values[10]),
            plots.fit_figure(x, series.values, evaluation, layout, "value"),
            plots.residual_figure(x[evaluation.test_times], evaluation.test_actual),
            plots.residual_histogram(evaluation.test_actual),
            plots.rmse_figure(0.1, 0.2, {"naive": 0.3}),
            plots.forecast_figure(x, series.values, future_axis(series, 5), np.zeros(5), "value"),
            plots.rollout_figure(x[:5], np.zeros(5), np.ones(5), "value"),
            plots.horizon_error_figure(np.arange(5.0)),
        ]
        for figure in figures:
            assert figure.layout.font.size == plots.FONT_SIZE
            figure.to_json()


def test_long_series_are_drawn_with_webgl() -> None:
    x = np.arange(plots.WEBGL_POINTS + 1)
    assert plots.series_figure(x, np.zeros(len(x)), "v").data[0].type == "scattergl"
    assert plots.series_figure(x[:10], np.zeros(10), "v").data[0].type == "scatter"


def test_plain_text_escapes_every_markdown_and_html_sign() -> None:
    assert plain("[x](http://e) *b* <i>") == r"\[x\]\(http\:\/\/e\) \*b\* \<i\>"
    assert plain("sales 2024") == "sales 2024"


def test_messages_become_sentences_and_durations_read_naturally() -> None:
    assert sentence("the window is too long") == "The window is too long."
    assert sentence("Done!") == "Done!"
    assert (duration(42.4), duration(185)) == ("42 s", "3 min 05 s")


@pytest.mark.parametrize("name", list(EXAMPLES))
def test_each_bundled_example_loads_and_its_settings_fit_it(name: str) -> None:
    example = EXAMPLES[name]
    series = load_example(name)
    assert series.name == example.target and series.timestamps is not None
    config = ExperimentConfig(**example.settings)
    assert config.problems() == []
    assert plan(series, config).problem is None


def test_an_unknown_example_is_refused_with_the_names_there_are() -> None:
    with pytest.raises(ConfigError, match="airline_passengers"):
        load_example("sunspots")
