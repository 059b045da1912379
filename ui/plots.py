"""Every chart of the app, each built by one function from plain arrays: easy to test, no Streamlit.

Charts are large and readable on a projector: big fonts, few colours, the same colour for
the same thing on every page (actual data, train fit, test predictions, forecast).
"""

from __future__ import annotations

import contextvars
import html
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from lstm_core.eval.evaluation import Evaluation, finite, metric_text

from .plan import Axis, Plan, time_axis

if TYPE_CHECKING:  # importing lstm_core.nn.train would import TensorFlow
    from lstm_core.infer.forecast import ForecastBand
    from lstm_core.runs.history import Run

FONT_SIZE = 16
HEIGHT = 440
SMALL_HEIGHT = 340
# Above this many points a line is drawn with WebGL, which stays fast where SVG crawls.
WEBGL_POINTS = 5000

# Presenter mode enlarges every chart by this factor. It is set at the start of each script run
# (ui.view.apply), and each run has its own thread: one presenter's setting reaches no one else.
_SCALE: contextvars.ContextVar[float] = contextvars.ContextVar("chart_scale", default=1.0)


def set_scale(scale: float) -> None:
    _SCALE.set(scale)


ACTUAL = "#5b6b7d"
TRAIN_FIT = "#2a9d8f"
PREDICTED = "#e76f51"
VALIDATION = "#e9c46a"
FORECAST = "#8e44ad"
REGIONS = (("train", TRAIN_FIT, 0.07), ("validation", VALIDATION, 0.16), ("test", PREDICTED, 0.09))
# Where each part's name sits: the train part's at its left end, on the top line; the test
# part's at its right end (the chart's), on the top line too; the validation part's at its right
# end, on the line below: often narrower than its name, it never covers another name that way,
# nor runs off the chart, however narrow the chart (390 px on a phone).
REGION_LABELS = {"train": ("top left", 0), "validation": ("top right", 1), "test": ("top right", 0)}
REGION_FONT_SIZE = FONT_SIZE - 2
REGION_LINE = round(1.5 * REGION_FONT_SIZE)  # pixels from one line of names to the next


def literal(text: str) -> str:
    """``text`` as Plotly shows it literally: Plotly reads some HTML in titles and trace names
    (``<a href>`` becomes a link, ``<b>`` bold text), and a column or file name is no markup."""
    return html.escape(text, quote=False)


def _line(x: Axis | Sequence, y: np.ndarray, name: str, color: str, **style) -> go.Scatter:
    kind = go.Scattergl if len(y) > WEBGL_POINTS else go.Scatter
    return kind(x=x, y=y, name=literal(name), mode=style.pop("mode", "lines"),
                line={"color": color, "width": style.pop("width", 2), **style.pop("line", {})},
                **style)


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str,
            height: int = HEIGHT) -> go.Figure:
    """The one place every chart gets its size, fonts, title and legend.

    The title sits in the figure's top band and the legend in its bottom band, both placed
    against the whole figure (``yref="container"``): Plotly then reserves room for each outside
    the plot area, so a legend that wraps onto several lines in a narrow column pushes the plot
    up instead of covering the title, or the x axis' labels, whatever the chart's width.
    """
    scale = _SCALE.get()
    size = round(FONT_SIZE * scale)
    pad = round(8 * scale)
    # One update call: plotly's update machinery costs tens of ms per call, and the loss chart
    # is rebuilt every second for every session that trains.
    fig.update_layout(
        title={"text": literal(title), "font": {"size": size + 4}, "yref": "container", "y": 1,
               "yanchor": "top", "automargin": True, "pad": {"t": pad, "b": pad}},
        font={"size": size},
        height=round(height * scale),
        margin={"l": 10, "r": 10, "t": round(30 * scale), "b": 10},
        legend={"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "xanchor": "left",
                "x": 0.0, "font": {"size": size}},
        hoverlabel={"font": {"size": size}},
        hovermode="x unified",
        xaxis={"title": {"text": literal(x_title), "font": {"size": size}}, "tickfont": {"size": size},
               "automargin": True},
        yaxis={"title": {"text": literal(y_title), "font": {"size": size}}, "tickfont": {"size": size},
               "automargin": True},
    )
    return fig


def _log_axis(fig: go.Figure, values: Sequence[float], axis: str = "y") -> None:
    """A logarithmic axis with each tick labelled by its whole number (0.02, where Plotly's own
    minor ticks read a lone "2")."""
    ticks = _log_ticks(values)
    labelled = {"tickvals": ticks, "ticktext": [f"{t:g}" for t in ticks]} if ticks else {}
    fig.update_layout({f"{axis}axis": {"type": "log", **labelled}})


def _log_ticks(values: Sequence[float]) -> list[float]:
    """1, 2 and 5 of each decade that ``values`` span (every digit when that leaves fewer than
    two among them; four round values across them when even that does)."""
    positive = [v for v in np.asarray(values, dtype=float).ravel() if np.isfinite(v) and v > 0]
    if not positive:
        return []
    low, high = min(positive), max(positive)
    decades = range(int(np.floor(np.log10(low))), int(np.ceil(np.log10(high))) + 1)
    for digits in ((1, 2, 5), range(1, 10)):
        ticks = [float(f"{digit * 10.0**decade:.12g}") for decade in decades for digit in digits]
        if sum(low <= t <= high for t in ticks) >= 2:
            return ticks
    return sorted({float(f"{v:.2g}") for v in np.geomspace(low, high, 4)})


def _counted_axis(fig: go.Figure, count: int, axis: str = "x") -> None:
    """Ticks on whole numbers only (epochs, trials, steps ahead: never 1.5): every one up to 10,
    then every 2, 5, 10, 20, 50... so that about ten show."""
    step = next(m * 10**e for e in range(9) for m in (1, 2, 5) if count <= 10 * m * 10**e)
    fig.update_layout({f"{axis}axis": {"tick0": 1 if step == 1 else 0, "dtick": step}})


def _shade_regions(fig: go.Figure, x: Axis, plan: Plan) -> None:
    """Tint the train, validation and test parts and name each at the top (see REGION_LABELS)."""
    bounds = (0, plan.train_end, plan.test_start, plan.length - 1)
    for (name, color, opacity), start, end in zip(REGIONS, bounds[:-1], bounds[1:], strict=True):
        if end <= start:
            continue
        position, line = REGION_LABELS[name]
        fig.add_vrect(x0=x[start], x1=x[end], fillcolor=color, opacity=opacity, line_width=0,
                      annotation_text=name, annotation_position=position,
                      annotation_yshift=-line * REGION_LINE, annotation_font_size=REGION_FONT_SIZE)


def series_figure(x: Axis, values: np.ndarray, name: str, plan: Plan | None = None) -> go.Figure:
    """The series, with its train / validation / test parts shaded when ``plan`` is given."""
    fig = go.Figure(_line(x, values, name, ACTUAL, width=1.5))
    if plan is not None:
        _shade_regions(fig, x, plan)
    fig.update_layout(showlegend=False)
    return _layout(fig, f"{len(values)} samples", "time", name)


def window_figure(inputs: np.ndarray, target: float) -> go.Figure:
    """One training example: the ``len(inputs)`` steps the model reads and the value it must predict."""
    window = len(inputs)
    steps = np.arange(-window, 0)
    fig = go.Figure([
        _line(steps, inputs, f"inputs: {window} steps (t-{window} .. t-1)", ACTUAL,
              mode="lines+markers" if window <= 60 else "lines", marker={"size": 6}),
        go.Scatter(x=[0], y=[target], name="target: the value at t", mode="markers",
                   marker={"color": PREDICTED, "size": 16, "symbol": "star"}),
    ])
    fig.add_vrect(x0=-window - 0.5, x1=-0.5, fillcolor=ACTUAL, opacity=0.07, line_width=0)
    return _layout(fig, "One window: inputs → target", "step relative to the target (t = 0)",
                   "value", SMALL_HEIGHT)


def loss_figure(history: Mapping[str, Sequence], log_scale: bool, best_epoch: int | None) -> go.Figure:
    """Training and validation loss by epoch (``history`` as Keras gives it), the best epoch marked."""
    numbers = np.arange(1, len(history["loss"]) + 1)
    fig = go.Figure(_line(numbers, np.array(history["loss"], dtype=float), "training loss", TRAIN_FIT,
                          mode="lines+markers"))
    val_loss = history["val_loss"]
    if any(v is not None for v in val_loss):
        fig.add_trace(_line(numbers, np.array(val_loss, dtype=float), "validation loss",
                            PREDICTED, mode="lines+markers"))
    if best_epoch is not None:
        fig.add_vline(x=best_epoch, line_dash="dash", line_color=ACTUAL,
                      annotation_text=f"best epoch {best_epoch}", annotation_position="top right")
    if log_scale:
        _log_axis(fig, [*history["loss"], *(v for v in val_loss if v is not None)])
    _counted_axis(fig, len(numbers))
    return _layout(fig, "Loss by epoch (mean squared error, scaled data)", "epoch", "loss")


def fit_figure(x: Axis, values: np.ndarray, evaluation: Evaluation, plan: Plan, name: str) -> go.Figure:
    """Actual values against the one-step predictions: the fit on training, the test predictions."""
    fig = go.Figure([
        _line(x, values, "actual", ACTUAL, width=1.5),
        _line(x[evaluation.train_times], evaluation.train_predictions, "fit on training windows",
              TRAIN_FIT, width=1.5),
        _line(x[evaluation.test_times], evaluation.test_predictions, "test predictions (one step)",
              PREDICTED),
    ])
    _shade_regions(fig, x, plan)
    fig.update_xaxes(rangeslider={"visible": True, "thickness": 0.08})
    # No axis title: under the range slider Plotly leaves it too little room above the legend.
    return _layout(fig, "Actual vs predicted, one step ahead", "", name, HEIGHT + 60)


def residual_figure(x: Axis, residuals: np.ndarray) -> go.Figure:
    fig = go.Figure(_line(x, residuals, "residual", PREDICTED, mode="lines+markers",
                          marker={"size": 4}))
    fig.add_hline(y=0, line_color=ACTUAL)
    fig.update_layout(showlegend=False)
    return _layout(fig, "Test residuals over time (actual − predicted)", "time", "residual",
                   SMALL_HEIGHT)


def residual_histogram(residuals: np.ndarray) -> go.Figure:
    fig = go.Figure(go.Histogram(x=residuals, marker_color=PREDICTED, nbinsx=40, name="residuals"))
    fig.add_vline(x=0, line_color=ACTUAL)
    fig.update_layout(showlegend=False, bargap=0.05)
    return _layout(fig, "Distribution of test residuals", "residual", "count", SMALL_HEIGHT)


def rmse_figure(train_rmse: float, test_rmse: float, baselines: dict[str, float],
                model: str = "LSTM") -> go.Figure:
    """The network's train and test RMSE beside the baselines' test RMSE."""
    names = [f"{model} (train)", f"{model} (test)", *[f"{n} (test)" for n in baselines]]
    values = [train_rmse, test_rmse, *baselines.values()]
    colors = [TRAIN_FIT, PREDICTED, *[ACTUAL] * len(baselines)]
    fig = go.Figure(go.Bar(x=names, y=[finite(v) for v in values], marker_color=colors,
                           text=[metric_text(v) for v in values], textposition="outside",
                           cliponaxis=False, hovertemplate="%{x}: %{text}<extra></extra>"))
    fig.update_layout(showlegend=False, hovermode="closest")
    return _layout(fig, "RMSE: training vs test, and the baselines", "", "RMSE", SMALL_HEIGHT)


def _band(x: Sequence, lower: np.ndarray, upper: np.ndarray, name: str, opacity: float) -> go.Scatter:
    """A shaded area between ``lower`` and ``upper``, drawn as one closed outline."""
    return go.Scatter(x=[*x, *x[::-1]], y=np.concatenate([upper, lower[::-1]]), name=name,
                      fill="toself", fillcolor=FORECAST, opacity=opacity, line={"width": 0},
                      hoverinfo="skip")


def forecast_figure(x: Axis, values: np.ndarray, x_future: Axis, forecast: np.ndarray,
                    name: str, band: ForecastBand | None = None, strategy: str = "recursive") -> go.Figure:
    """The series followed by its forecast (``strategy``: recursive or direct), joined at the
    last known value.

    With ``band``, the 95% and 80% ranges of the Monte-Carlo-dropout rollouts are shaded
    around the forecast. The view opens on the end of the series (three horizons of
    history, at least 200 steps); zooming out shows all of it.
    """
    joined_x = [x[-1], *list(x_future)]
    traces = [_line(x, values, "actual", ACTUAL, width=1.5)]
    if band is not None:
        future = list(x_future)
        traces += [_band(future, band.lower_95, band.upper_95, "95% of dropout rollouts", 0.15),
                   _band(future, band.lower_80, band.upper_80, "80% of dropout rollouts", 0.3)]
    traces.append(_line(joined_x, np.concatenate([[values[-1]], forecast]),
                        f"forecast ({len(forecast)} steps)", FORECAST, width=3))
    fig = go.Figure(traces)
    fig.add_vline(x=x[-1], line_dash="dot", line_color=ACTUAL)
    history = min(len(x), max(3 * len(forecast), 200))
    fig.update_xaxes(range=[x[-history], joined_x[-1]])
    return _layout(fig, f"{strategy.capitalize()} forecast past the end of the data", "time", name)


# The classical models' rollouts beside the LSTM's: dotted, in colours of their own.
YARDSTICK_COLORS = ("#2a9d8f", "#264653", "#f4a261", "#6a994e")


def rollout_figure(x: Axis, actual: np.ndarray, predicted: np.ndarray, name: str,
                   yardsticks: Mapping[str, np.ndarray] | None = None, model: str = "LSTM") -> go.Figure:
    """A rollout over the test span (fed only its own outputs) against what really happened,
    with the classical models' forecasts over the same span (``yardsticks``: label -> values)."""
    lines = [_line(x, actual, "actual", ACTUAL, width=1.5),
             _line(x, predicted, f"{model} rollout from the start of the test part", FORECAST, width=2.5)]
    for index, (label, values) in enumerate((yardsticks or {}).items()):
        lines.append(_line(x, values, label, YARDSTICK_COLORS[index % len(YARDSTICK_COLORS)],
                           width=1.5, line={"dash": "dot"}))
    fig = go.Figure(lines)
    return _layout(fig, "Rollout over the test part vs the truth", "time", name, HEIGHT)


def _running_rmse(errors: np.ndarray) -> np.ndarray:
    steps = np.arange(1, len(errors) + 1)
    return np.sqrt(np.cumsum(np.asarray(errors, dtype=np.float64) ** 2) / steps)


def horizon_error_figure(errors: np.ndarray, yardsticks: Mapping[str, np.ndarray] | None = None,
                         model: str = "LSTM") -> go.Figure:
    """Absolute error of the test rollout at each number of steps ahead, and the RMSE up to there;
    the classical models' RMSE up to each step beside it (``yardsticks``: label -> errors).

    The single errors are noisy; the running RMSE shows the trend a person is asking about.
    """
    steps = np.arange(1, len(errors) + 1)
    lines = [_line(steps, errors, f"{model}: absolute error at that step", ACTUAL, width=1, mode="lines"),
             _line(steps, _running_rmse(errors), f"{model}: RMSE up to that step", FORECAST, width=3)]
    for index, (label, theirs) in enumerate((yardsticks or {}).items()):
        lines.append(_line(steps, _running_rmse(theirs), f"{label}: RMSE up to that step",
                           YARDSTICK_COLORS[index % len(YARDSTICK_COLORS)], width=1.5,
                           line={"dash": "dot"}))
    fig = go.Figure(lines)
    _counted_axis(fig, len(steps))
    return _layout(fig, "How the error grows with the horizon", "steps ahead", "error", HEIGHT)


# The run-by-run charts list one legend entry per run: a little taller, so the plot keeps its size.
RUNS_HEIGHT = HEIGHT + 40


# One colour per compared run, in the order the runs are listed.
RUN_COLORS = ("#e76f51", "#2a9d8f", "#264653", "#e9c46a", "#8e44ad", "#f4a261", "#1d3557", "#6a994e")


def runs_loss_figure(runs: Sequence[Run], log_scale: bool) -> go.Figure:
    """The loss curves of several runs overlaid: validation loss where there was validation."""
    fig = go.Figure()
    for index, run in enumerate(runs):
        training = run.training
        watched = training.val_loss if any(v is not None for v in training.val_loss) else training.loss
        kind = "validation" if watched is training.val_loss else "training"
        fig.add_trace(_line(np.arange(1, len(watched) + 1), np.array(watched, dtype=float),
                            f"run {run.number} ({kind})", RUN_COLORS[index % len(RUN_COLORS)],
                            mode="lines+markers"))
    if log_scale:
        _log_axis(fig, [v for trace in fig.data for v in trace.y])
    _counted_axis(fig, max((len(trace.y) for trace in fig.data), default=1))
    return _layout(fig, "Loss by epoch, run by run", "epoch", "loss (scaled data)", RUNS_HEIGHT)


def runs_predictions_figure(runs: Sequence[Run]) -> go.Figure:
    """The test predictions of several runs over the actual values of each run's test span
    (drawn once for runs on the same data: the page passes runs on one data only)."""
    fig = go.Figure()
    shown_actual: list[np.ndarray] = []
    for index, run in enumerate(runs):
        evaluation, x = run.evaluation, time_axis(run.series)
        if not any(np.array_equal(run.series.values, shown) for shown in shown_actual):
            shown_actual.append(run.series.values)
            fig.add_trace(_line(x[evaluation.test_times], evaluation.test_actual,
                                f"actual ({run.label})", ACTUAL, width=1.5))
        fig.add_trace(_line(x[evaluation.test_times], evaluation.test_predictions,
                            f"run {run.number}: RMSE {metric_text(evaluation.test_metrics.rmse)}",
                            RUN_COLORS[index % len(RUN_COLORS)]))
    return _layout(fig, "Test predictions, run by run (one step ahead)", "time", runs[0].series.name
                   if runs else "value", RUNS_HEIGHT)


def runs_rollout_figure(x: Axis, actual: np.ndarray, runs: Sequence[Run], name: str) -> go.Figure:
    """Several runs' rollouts over the same test span (each fed only its own outputs) and the truth."""
    lines = [_line(x, actual, "actual", ACTUAL, width=1.5)]
    for index, run in enumerate(runs):
        lines.append(_line(x, run.test_rollout.predicted,
                           f"run {run.number}, {run.model}: RMSE {metric_text(run.test_rollout.rmse)}",
                           RUN_COLORS[index % len(RUN_COLORS)]))
    return _layout(go.Figure(lines), "Rollouts over the test part, run by run", "time", name, RUNS_HEIGHT)


def runs_horizon_figure(runs: Sequence[Run]) -> go.Figure:
    """Several runs' RMSE up to each number of steps ahead, over the same test span."""
    lines = []
    for index, run in enumerate(runs):
        errors = run.test_rollout.error_by_horizon
        lines.append(_line(np.arange(1, len(errors) + 1), _running_rmse(errors),
                           f"run {run.number}, {run.model}", RUN_COLORS[index % len(RUN_COLORS)], width=2.5))
    fig = go.Figure(lines)
    _counted_axis(fig, max((len(run.test_rollout.error_by_horizon) for run in runs), default=1))
    return _layout(fig, "RMSE up to each step ahead, run by run", "steps ahead", "RMSE", RUNS_HEIGHT)


# Backtests: one colour per model, the LSTM in the forecast's colour, the yardsticks after it.
def _model_colors(names: Sequence[str]) -> dict[str, str]:
    others = [c for c in RUN_COLORS if c != FORECAST]
    return {name: FORECAST if index == 0 else others[(index - 1) % len(others)]
            for index, name in enumerate(names)}


def _between(x: Axis, index: int) -> object:
    """Halfway between ``x[index - 1]`` and ``x[index]``: where an origin's line stands."""
    return x[index - 1] + (x[index] - x[index - 1]) / 2 if index > 0 else x[0]


def _origin_traces(x: Axis, levels: np.ndarray, origin: int, actual: np.ndarray,
                   forecasts: Mapping[str, np.ndarray], colors: Mapping[str, str],
                   y_range: tuple[float, float]) -> list[go.Scatter]:
    """One origin's picture: where it stands, the truth after it, each model's forecast from it."""
    steps = x[origin:origin + len(actual)]
    joined = x[origin - 1:origin + len(actual)]  # each forecast starts at the last known value
    middle = _between(x, origin)
    return [
        _line([middle, middle], np.array(y_range), "origin", ACTUAL, width=1,
              line={"dash": "dot"}, showlegend=False, hoverinfo="skip"),
        _line(steps, actual, "truth", "#000000", width=3),
        *[_line(joined, np.concatenate([[levels[origin - 1]], forecast]), name, colors[name],
                width=3 if name == next(iter(forecasts)) else 1.5)
          for name, forecast in forecasts.items()],
    ]


def backtest_origins_figure(levels: np.ndarray, origins: np.ndarray, actual: np.ndarray,
                            forecasts: Mapping[str, np.ndarray], name: str,
                            x: Axis | None = None) -> go.Figure:
    """The origin stepping through the series, a frame per origin, with a play button.

    ``actual`` and each of ``forecasts`` (the first is drawn boldest) are (origins, horizon);
    ``levels`` is the series before the test part, drawn in grey behind every frame; ``x`` the
    series' times (its dates, or step numbers when None), at least as long as the origins reach.
    """
    x = np.arange(len(levels) + actual.shape[1]) if x is None else x
    colors = _model_colors(list(forecasts))
    everything = np.concatenate([levels, actual.ravel(), *[f.ravel() for f in forecasts.values()]])
    pad = 0.05 * (np.max(everything) - np.min(everything) or 1.0)
    y_range = (float(np.min(everything) - pad), float(np.max(everything) + pad))
    frames = [go.Frame(name=str(k + 1), data=_origin_traces(
        x, levels, int(origin), actual[k], {m: f[k] for m, f in forecasts.items()}, colors, y_range))
        for k, origin in enumerate(origins)]
    fig = go.Figure([_line(x[:len(levels)], levels, "series before the test part", ACTUAL,
                           width=1), *frames[0].data], frames=frames)
    for frame in frames:  # the series stays; a frame redraws the traces after it
        frame.traces = list(range(1, 1 + len(frame.data)))
    play = {"frame": {"duration": 1200, "redraw": True}, "fromcurrent": True,
            "transition": {"duration": 300}}
    jump = {"mode": "immediate", "frame": {"duration": 0, "redraw": True}}
    fig.update_layout(
        yaxis_range=list(y_range),
        updatemenus=[{"type": "buttons", "showactive": False, "x": 0.0, "y": -0.18, "xanchor": "left",
                      "buttons": [{"label": "▶ play", "method": "animate", "args": [None, play]},
                                  {"label": "❚❚ pause", "method": "animate", "args": [[None], jump]}]}],
        sliders=[{"active": 0, "x": 0.2, "len": 0.8, "y": -0.1, "currentvalue": {"prefix": "origin "},
                  "steps": [{"label": origin_label(x, int(o)), "method": "animate",
                             "args": [[f.name], jump]} for f, o in zip(frames, origins, strict=True)]}],
    )
    fig = _layout(fig, "Forecasts from each origin against the truth", "time", name, HEIGHT + 80)
    span = len(levels) - int(origins[0])  # the view: the backtested part, and twice as much before it
    view = [x[max(0, len(levels) - 3 * span)], x[len(levels) - 1]]
    fig.update_layout(margin={"b": 110}, xaxis_range=view)
    return fig
def backtest_horizon_figure(rmse_by_step: Mapping[str, np.ndarray]) -> go.Figure:
    """Each model's RMSE across origins at each step ahead."""
    colors = _model_colors(list(rmse_by_step))
    fig = go.Figure([_line(np.arange(1, len(r) + 1), r, name, colors[name], mode="lines+markers",
                           width=3 if index == 0 else 1.5)
                     for index, (name, r) in enumerate(rmse_by_step.items())])
    _counted_axis(fig, len(next(iter(rmse_by_step.values()), [])))
    return _layout(fig, "RMSE across origins, by step ahead", "steps ahead", "RMSE", RUNS_HEIGHT)


def origin_label(x: Axis | None, origin: int) -> str:
    """An origin by its date (its first forecast step), or by its step number."""
    if x is None or not isinstance(x, pd.DatetimeIndex):
        return f"t = {origin}"
    stamp = x[origin]
    return f"{stamp:%Y-%m-%d}" if stamp == stamp.normalize() else f"{stamp:%Y-%m-%d %H:%M}"


def backtest_heatmap_figure(errors: np.ndarray, origins: np.ndarray, model: str,
                            x: Axis | None = None) -> go.Figure:
    """One model's absolute error by origin (rows, by date when ``x`` holds the series' dates)
    and step ahead (columns). The model is named where the pointer reads the cells, not in the
    title: the page's picker above names it, and a long name would run off a half-width chart."""
    fig = go.Figure(go.Heatmap(z=errors, x=np.arange(1, errors.shape[1] + 1),
                               y=[origin_label(x, int(o)) for o in origins], colorscale="Reds",
                               colorbar={"title": {"text": "|error|"}},
                               hovertemplate=f"{literal(model)}<br>origin %{{y}}, step %{{x}}: "
                                             "%{z:.4g}<extra></extra>"))
    fig.update_layout(hovermode="closest", yaxis={"type": "category"})
    return _layout(fig, "Absolute error by origin and step", "steps ahead", "origin", SMALL_HEIGHT)


def search_trials_figure(trials: Sequence[Mapping]) -> go.Figure:
    """Each finished trial's validation RMSE (pruned and failed ones marked apart) and the best so far."""
    done = [row for row in trials if row.get("score") is not None and np.isfinite(row["score"])]
    numbers = [row["number"] + 1 for row in done]
    scores = np.array([row["score"] for row in done], dtype=np.float64)
    complete = [k for k, row in enumerate(done) if row["state"] == "complete"]
    other = [k for k, row in enumerate(done) if row["state"] != "complete"]
    best, lowest = [], np.inf
    for k, row in enumerate(done):
        if row["state"] == "complete":
            lowest = min(lowest, scores[k])
        best.append(lowest if np.isfinite(lowest) else None)
    fig = go.Figure([
        _line([numbers[k] for k in complete], scores[complete], "trial (completed)", FORECAST,
              mode="markers", marker={"size": 9}),
        _line([numbers[k] for k in other], scores[other], "trial (pruned or stopped early)", ACTUAL,
              mode="markers", marker={"size": 7, "symbol": "x"}),
        _line(numbers, np.array(best, dtype=object), "best so far", PREDICTED, width=2.5,
              line={"shape": "hv"}),
    ])
    _log_axis(fig, scores)
    _counted_axis(fig, max(numbers, default=1))
    return _layout(fig, "Validation RMSE by trial", "trial", "validation RMSE (log scale)")


# Optuna draws a parallel-coordinates view's tick labels as annotations: on one axis, labels
# closer than this share of its height would cover each other (a log axis' decade next to its end).
PARALLEL_LABEL_GAP = 0.07
OBJECTIVE = "validation RMSE"  # what Optuna calls "Objective Value" in a search of the app


def search_view_figure(view: Mapping) -> go.Figure:
    """One of Optuna's views of a search (a Plotly dict, as the worker sends it): its importance
    bars or its parallel coordinates, in the app's fonts, with every label inside the chart."""
    fig = go.Figure(view)
    if any(trace.type == "bar" for trace in fig.data):
        return _importance_view(fig)
    return _parallel_view(fig)


def _importance_view(fig: go.Figure) -> go.Figure:
    """Room at the right of the longest bar for its number (0.94 was cut to 0.9)."""
    longest = max((max(trace.x, default=0) for trace in fig.data), default=0) or 1.0
    fig.update_xaxes(range=[0, 1.25 * longest])
    fig.update_layout(showlegend=False, hovermode="closest")
    return _layout(fig, "Which settings changed the validation error most", "importance", "")


def _parallel_view(fig: go.Figure) -> go.Figure:
    """The axes' tick labels spaced on each axis (both ends kept), in the app's font, with room
    at the left for the first axis' labels; Optuna's objective named as the app calls it."""
    scale = _SCALE.get()
    labels: dict[float, list] = {}
    for label in fig.layout.annotations:
        labels.setdefault(label.x, []).append(label)
    kept = []
    for on_axis in labels.values():
        ordered = sorted(on_axis, key=lambda label: label.y)
        chosen = [ordered[0], ordered[-1]] if len(ordered) > 1 else ordered
        for label in ordered[1:-1]:
            if all(abs(label.y - other.y) >= PARALLEL_LABEL_GAP for other in chosen):
                chosen.append(label)
        kept += chosen
    for label in kept:
        label.font.size = round((FONT_SIZE - 3) * scale)
    names = [OBJECTIVE if k == 0 else literal(str(name)) for k, name in enumerate(fig.layout.xaxis.ticktext)]
    fig.layout.annotations = kept  # assigned: update_layout would merge the list into Optuna's
    fig.update_layout(showlegend=False, hovermode="closest")
    for trace in fig.data:
        if trace.marker is not None and trace.marker.showscale:
            trace.marker.colorbar.title.text = OBJECTIVE
    fig = _layout(fig, "Every completed trial: its settings and validation error", "", "")
    fig.update_xaxes(ticktext=names, range=[-0.6, len(names) - 0.8])
    return fig
