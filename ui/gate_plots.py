"""The charts of the two teaching pages: the gates inside the trained LSTM, and the sequence lab.

Like :mod:`ui.plots`, each chart is built by one function from plain arrays, with the same
fonts, sizes and colours.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from .plots import (
    ACTUAL,
    FORECAST,
    PREDICTED,
    SMALL_HEIGHT,
    TRAIN_FIT,
    VALIDATION,
    _counted_axis,
    _layout,
    _line,
    _log_axis,
    loss_figure,
)

# A gate value this close to 0 or 1 counts as saturated: the gate is a closed or open switch.
SATURATION_MARGIN = 0.05
GATE_COLORSCALE = "Viridis"
SIGNED_COLORSCALE = "RdBu_r"


@dataclass(frozen=True)
class Quantity:
    """One of the arrays of a gate trace (an LSTM's or a GRU's), as the pages name and draw it."""

    attribute: str
    symbol: str
    name: str
    color: str
    bounds: tuple[float, float] | None  # its range; None for the unbounded cell state

    @property
    def is_gate(self) -> bool:
        return self.bounds == (0.0, 1.0)


QUANTITIES = (
    Quantity("input_gate", "i", "input gate", TRAIN_FIT, (0.0, 1.0)),
    Quantity("forget_gate", "f", "forget gate", VALIDATION, (0.0, 1.0)),
    Quantity("output_gate", "o", "output gate", PREDICTED, (0.0, 1.0)),
    Quantity("candidate", "g", "candidate", FORECAST, (-1.0, 1.0)),
    Quantity("cell", "c", "cell state", ACTUAL, None),
    Quantity("hidden", "h", "hidden state", "#1d3557", (-1.0, 1.0)),
)
GATES = tuple(q for q in QUANTITIES if q.is_gate)
GRU_QUANTITIES = (
    Quantity("update_gate", "z", "update gate", TRAIN_FIT, (0.0, 1.0)),
    Quantity("reset_gate", "r", "reset gate", VALIDATION, (0.0, 1.0)),
    Quantity("candidate", "g", "candidate", FORECAST, (-1.0, 1.0)),
    Quantity("hidden", "h", "hidden state", "#1d3557", (-1.0, 1.0)),
)
# The quantities each gated cell's trace holds, as the pages draw them.
QUANTITIES_OF = {"lstm": QUANTITIES, "gru": GRU_QUANTITIES}


def saturated_share(values: np.ndarray, margin: float = SATURATION_MARGIN) -> float:
    """Share of gate values within ``margin`` of 0 or of 1."""
    values = np.asarray(values)
    return float(np.mean((values < margin) | (values > 1 - margin)))


def activation_figure() -> go.Figure:
    """The sigmoid (0..1, how much to let through) and the tanh (-1..1, a signed value)."""
    z = np.linspace(-6, 6, 241)
    fig = go.Figure([
        _line(z, 1 / (1 + np.exp(-z)), "sigmoid σ(z): 0..1", TRAIN_FIT, width=3),
        _line(z, np.tanh(z), "tanh(z): -1..1", FORECAST, width=3),
    ])
    for level in (-1, 0, 1):
        fig.add_hline(y=level, line_color=ACTUAL, line_width=1, line_dash="dot")
    return _layout(fig, "The two squashing functions", "z", "value", SMALL_HEIGHT)


def gate_heatmap(values: np.ndarray, quantity: Quantity, step: int) -> go.Figure:
    """``values`` (time, units) of one quantity as a units × time heatmap, ``step`` marked."""
    steps, units = values.shape
    if quantity.bounds is None:  # the cell state: a signed scale, symmetric around 0
        reach = float(np.abs(values).max()) or 1.0
        low, high, scale = -reach, reach, SIGNED_COLORSCALE
    else:
        (low, high), scale = quantity.bounds, GATE_COLORSCALE if quantity.is_gate else SIGNED_COLORSCALE
    fig = go.Figure(go.Heatmap(
        z=values.T, x=np.arange(1, steps + 1), y=np.arange(1, units + 1), zmin=low, zmax=high,
        colorscale=scale, colorbar={"thickness": 14},
        hovertemplate=f"step %{{x}}, unit %{{y}}<br>{quantity.symbol} = %{{z:.3f}}<extra></extra>",
    ))
    fig.add_vline(x=step, line_color="white", line_width=2, line_dash="dot")
    fig.update_layout(showlegend=False, hovermode="closest")
    return _layout(fig, f"{quantity.symbol}: {quantity.name}", "time step", "unit", SMALL_HEIGHT)


def unit_lines_figure(series: dict[Quantity, np.ndarray], unit: int, step: int) -> go.Figure:
    """The quantities of one unit over the window, ``step`` marked."""
    fig = go.Figure([
        _line(np.arange(1, len(values) + 1), values, f"{q.symbol} ({q.name})", q.color,
              mode="lines+markers", width=3 if q.symbol in ("c", "h") else 2)
        for q, values in series.items()
    ])
    fig.add_vline(x=step, line_color=ACTUAL, line_dash="dot")
    return _layout(fig, f"Unit {unit}, step by step", "time step", "value")


def saturation_figure(gates: dict[Quantity, np.ndarray]) -> go.Figure:
    """Histograms of the gate values, the saturated ends (near 0 and near 1) shaded."""
    fig = go.Figure([
        go.Histogram(x=np.ravel(values), name=f"{q.symbol}: {saturated_share(values):.0%} saturated",
                     marker_color=q.color, opacity=0.65, xbins={"start": 0, "end": 1, "size": 0.025},
                     histnorm="percent")
        for q, values in gates.items()
    ])
    for start in (0, 1 - SATURATION_MARGIN):
        fig.add_vrect(x0=start, x1=start + SATURATION_MARGIN, fillcolor=ACTUAL, opacity=0.15,
                      line_width=0)
    fig.update_layout(barmode="overlay", hovermode="closest")
    fig.update_xaxes(range=[0, 1])
    return _layout(fig, "Gate values: how often a gate is a closed or open switch", "gate value",
                   "% of values", SMALL_HEIGHT + 60)


def lab_loss_figure(history: Mapping[str, Sequence], best_epoch: int | None) -> go.Figure:
    """The main training's loss chart, for the sum task (whose targets are not scaled)."""
    fig = loss_figure(history, True, best_epoch)
    fig.update_layout(title_text="Loss by epoch (mean squared error of the sums)")
    return fig


def mse_by_length_figure(curves: dict[str, tuple[np.ndarray, int]]) -> go.Figure:
    """MSE against evaluation length, one line per model: name -> (mse at 1..n, training length)."""
    colors = iter((PREDICTED, TRAIN_FIT, FORECAST, VALIDATION))
    fig = go.Figure()
    lengths, longest = set(), 1
    for name, (mse, length) in curves.items():
        fig.add_trace(_line(np.arange(1, len(mse) + 1), mse, name, next(colors), mode="lines+markers"))
        lengths.add(length)
        longest = max(longest, len(mse))
    for length in sorted(lengths):
        fig.add_vline(x=length, line_dash="dash", line_color=ACTUAL,
                      annotation_text=f"trained at L = {length}", annotation_position="top left")
    _log_axis(fig, [v for trace in fig.data for v in trace.y])
    _counted_axis(fig, longest)
    return _layout(fig, "Error of the predicted sum by sequence length (log scale)",
                   "sequence length", "MSE")


def state_figure(hidden: np.ndarray, cell: np.ndarray) -> go.Figure:
    """The kept state: h and c of every unit."""
    units = np.arange(1, len(hidden) + 1)
    fig = go.Figure([
        go.Bar(x=units, y=hidden, name="h (hidden state)", marker_color="#1d3557"),
        go.Bar(x=units, y=cell, name="c (cell state)", marker_color=ACTUAL),
    ])
    fig.update_layout(hovermode="closest", bargap=0.2)
    return _layout(fig, "The kept state (h, c)", "unit", "value", SMALL_HEIGHT)
