"""What every chart shares: the title in its top band and the legend in its bottom band (a long
legend never covers the title), readable ticks; and the charts a new user found hard to read."""

from __future__ import annotations

import copy
import math

import numpy as np
import plotly.graph_objects as go
import pytest

from tests.app.figures import every_figure, fake_run, figure_builders, runs_of_one_series, search_views
from ui import plots

FIGURES = every_figure()


def test_the_gallery_holds_every_chart_of_the_app() -> None:
    built = {name.split(":")[0] for name in FIGURES}
    assert set(figure_builders()) == built


def _shows_legend(figure: go.Figure) -> bool:
    if figure.layout.showlegend is False:
        return False
    return sum(trace.showlegend is not False for trace in figure.data) > 1


@pytest.mark.parametrize("name", list(FIGURES))
def test_the_title_and_the_legend_sit_in_bands_of_their_own(name: str) -> None:
    """Both measured against the whole figure (yref container): Plotly reserves room for each
    outside the plot area, so a legend that wraps onto several lines pushes the plot up rather
    than covering the title, whatever the chart's width."""
    layout = FIGURES[name].layout
    title = layout.title
    assert (title.yref, title.y, title.yanchor, title.automargin) == ("container", 1, "top", True)
    if _shows_legend(FIGURES[name]):
        legend = layout.legend
        assert (legend.orientation, legend.yref, legend.y, legend.yanchor) == ("h", "container", 0, "bottom")


@pytest.mark.parametrize("name", ["loss_figure", "runs_loss_figure", "lab_loss_figure",
                                  "mse_by_length_figure", "search_trials_figure"])
def test_log_axes_label_their_ticks_with_whole_numbers_not_lone_digits(name: str) -> None:
    axis = FIGURES[name].layout.yaxis
    assert axis.type == "log" and axis.tickvals and len(axis.ticktext) == len(axis.tickvals)
    for value, text in zip(axis.tickvals, axis.ticktext, strict=True):
        assert math.isclose(float(text), value, rel_tol=1e-9), (value, text)


@pytest.mark.parametrize("name", ["loss_figure", "runs_loss_figure", "search_trials_figure",
                                  "horizon_error_figure", "runs_horizon_figure", "backtest_horizon_figure",
                                  "mse_by_length_figure"])
def test_counted_axes_tick_only_whole_numbers(name: str) -> None:
    """Epochs, trials and steps ahead: no tick at 1.5 or 2.5."""
    axis = FIGURES[name].layout.xaxis
    assert axis.dtick is not None and float(axis.dtick) == int(axis.dtick) >= 1
    assert float(axis.tick0) == int(axis.tick0)


def test_a_direct_model_s_forecast_is_named_direct() -> None:
    x, values = np.arange(50), np.zeros(50)
    for strategy, words in (("recursive", "Recursive forecast"), ("direct", "Direct forecast")):
        figure = plots.forecast_figure(x, values, np.arange(50, 60), np.ones(10), "v", strategy=strategy)
        assert figure.layout.title.text.startswith(words)


def test_the_search_views_keep_their_labels_apart_and_inside() -> None:
    """The parallel view's tick labels: never two on one axis closer than a line; the first axis'
    labels inside the chart. The importance bars' numbers inside the chart."""
    views = search_views()
    parallel = plots.search_view_figure(views["parallel"])
    by_axis: dict[float, list[float]] = {}
    for note in parallel.layout.annotations:
        by_axis.setdefault(note.x, []).append(note.y)
    assert len(by_axis) == len(parallel.layout.xaxis.tickvals)
    for heights in by_axis.values():
        heights.sort()
        assert min(np.diff(heights), default=1) >= plots.PARALLEL_LABEL_GAP
        assert heights[0] == 0 and heights[-1] == 1  # the ends of the range stay labelled
    assert parallel.layout.xaxis.range[0] <= -0.5
    assert parallel.layout.xaxis.ticktext[0] == "validation RMSE"
    importance = plots.search_view_figure(views["importance"])
    bars = importance.data[0]
    assert importance.layout.xaxis.range[1] >= 1.2 * max(bars.x)


def test_runs_on_the_same_data_share_one_actual_line() -> None:
    """Three runs of one series, each with its own copy of it (each training makes one): one
    "actual" legend entry, not three."""
    run = FIGURES["runs_predictions_figure"]  # built from four runs sharing one Series object
    assert [trace.name for trace in run.data].count("actual (airline)") == 1
    original = runs_of_one_series()[0]
    runs = [fake_run(n, copy.deepcopy(original.series), original.evaluation, original.test_rollout, "sine")
            for n in (1, 2, 3)]
    names = [trace.name for trace in plots.runs_predictions_figure(runs).data]
    assert names.count("actual (sine)") == 1 and len(names) == 4
