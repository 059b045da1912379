"""Forecast: past the end of the data and over the test part, recursive or direct, and beside the
other runs on the same data."""

import numpy as np
import streamlit as st

from lstm_core.config.fields import model_name
from lstm_core.config.settings import LIMITS
from lstm_core.eval.evaluation import NO_FIGURE, metric_text
from lstm_core.infer.forecast import ForecastBand, forecast_band, forecast_future, steps_within
from lstm_core.runs.experiment import ExperimentResult
from ui import plots
from ui.frame import require_entry
from ui.help import HELP
from ui.plan import forecast_table, future_axis, time_axis
from ui.session import config_field, session
from ui.widgets import trained_result

# A slider of 10,000 steps cannot be moved precisely; LIMITS allows such horizons from the CLI.
SLIDER_MAX = 1000


def drawable(result: ExperimentResult, horizon: int) -> int:
    """The steps the page may compute here: all of ``horizon`` unless the network is so large that
    the rollout would hold the server (the run's own horizon was computed where it trained)."""
    if horizon == result.config.horizon:
        return horizon
    return min(horizon, max(1, steps_within(result.net, result.data.window)))


def forecast(result: ExperimentResult, horizon: int) -> np.ndarray:
    """The rollout for ``horizon`` steps, computed once per trained model and horizon."""
    if horizon == result.config.horizon:
        return result.forecast
    return session().forecasts.future.get(
        horizon, lambda: forecast_future(result.net, result.data, horizon), of=result)


BAND_PATHS = 100


def band(result: ExperimentResult, horizon: int) -> ForecastBand:
    """The Monte-Carlo-dropout band, computed once per trained model and horizon."""

    def compute() -> ForecastBand:
        with st.spinner(f"Running {BAND_PATHS} forecasts with dropout on..."):
            return forecast_band(result.net, result.data, horizon, paths=BAND_PATHS, seed=result.config.seed)

    return session().forecasts.band.get(horizon, compute, of=result)


def band_choice(result: ExperimentResult, horizon: int) -> ForecastBand | None:
    if result.config.dropout <= 0:
        st.caption("Train with dropout above 0 to see how uncertain the forecast is: the model then "
                   "gives a band of forecasts instead of one line.")
        return None
    if st.toggle("Uncertainty band (Monte-Carlo dropout)", value=True, help=HELP["band"]):
        if (most := steps_within(result.net, result.data.window, BAND_PATHS)) < horizon:
            st.caption(f"No band at this horizon: {BAND_PATHS} rollouts of {horizon} steps through this "
                       f"network ({result.net.size:,} weights, window {result.data.window}) would hold the "
                       f"server too long; it draws one for at most {most} steps.")
            return None
        return band(result, horizon)
    return None


def future_section(result: ExperimentResult) -> None:
    low, high = LIMITS["horizon"]
    st.slider("Horizon (steps past the end)", int(low), min(int(high), SLIDER_MAX), help=HELP["horizon"],
              **config_field("horizon"))
    horizon = session().config.horizon
    if (shown := drawable(result, horizon)) < horizon:
        st.caption(f"This network is large ({result.net.size:,} weights, window {result.data.window}): "
                   f"{shown} of the {horizon} steps are drawn here, so the server stays responsive. "
                   f"Train with this horizon for the whole forecast (it is computed while training).")
        horizon = shown
    outputs = result.net.outputs
    if outputs > 1 and horizon != outputs:
        st.caption(f"This direct model gives {outputs} steps at once; for {horizon} steps its blocks "
                   "of outputs are chained, each fed the ones before. Train again for a direct "
                   "forecast of this horizon.")
    values = forecast(result, horizon)
    series = result.data.series
    spread = band_choice(result, horizon)
    st.plotly_chart(plots.forecast_figure(time_axis(series), series.values, future_axis(series, horizon),
                                          values, series.name, spread, result.config.strategy))
    table = forecast_table(series, values)
    st.download_button("Download the forecast (CSV)", table.to_csv(index=False),
                       file_name="lstm-lab-forecast.csv", mime="text/csv", icon=":material/download:")


def test_span_section(result: ExperimentResult) -> None:
    st.subheader("How far can it be trusted?")
    rollout = result.test_rollout
    classical = {b.label: b.rollout for b in result.evaluation.baselines.values() if b.rollout is not None}
    theirs = "; ".join(f"{label} {metric_text(r.rmse)}" for label, r in classical.items())
    fed = ("its blocks of outputs fed back" if result.net.outputs > 1 else "fed only its own predictions")
    st.caption(f"The same forecast, started just before the test part and {fed}, against what really "
               "happened: how many steps ahead does it stay close? "
               f"RMSE over the whole test span: {metric_text(rollout.rmse)}"
               + (f"; the classical models' forecasts over the same span (dotted): {theirs}." if theirs
                  else "."))
    x = time_axis(result.data.series)[rollout.times]
    left, right = st.columns(2)
    model = model_name(result.config)
    left.plotly_chart(plots.rollout_figure(x, rollout.actual, rollout.predicted, result.data.series.name,
                                           {label: r.predicted for label, r in classical.items()}, model))
    right.plotly_chart(plots.horizon_error_figure(
        rollout.error_by_horizon, {label: r.error_by_horizon for label, r in classical.items()}, model))


def side_by_side_section(result: ExperimentResult) -> None:
    """The runs of the history on the same data and test part, when they differ in network or
    strategy: their rollouts and how their error grows with the horizon."""
    alike = [run for run in session().training.history
             if run.same_data(result.data.series, result.evaluation.test_times)]
    if len({(run.config.cell, run.config.strategy) for run in alike}) < 2:
        st.caption("Train this data with another network or forecast strategy (Model & training) and "
                   "the runs appear here side by side.")
        return
    st.subheader("Networks and strategies side by side")
    st.caption("The runs of this session on the same data and test part: recursive forecasts feed on "
               "their own outputs and may fade or drift; direct ones give every step at once.")
    st.dataframe([run.comparison() for run in alike], hide_index=True, placeholder=NO_FIGURE)
    series, rollout = result.data.series, result.test_rollout
    left, right = st.columns(2)
    left.plotly_chart(plots.runs_rollout_figure(time_axis(series)[rollout.times], rollout.actual, alike,
                                                series.name))
    right.plotly_chart(plots.runs_horizon_figure(alike))


require_entry()
st.title("Forecast")
st.caption("Step 4 of 4: the forecast past the end of the data, and how far ahead it can be trusted.")
trained = trained_result("the forecast")
if trained is not None:
    future_section(trained)
    test_span_section(trained)
    side_by_side_section(trained)
