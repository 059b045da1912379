"""Forecast: the model fed its own predictions, past the end of the data and over the test part."""

import numpy as np
import streamlit as st

from lstm_core.config.settings import LIMITS
from lstm_core.eval.evaluation import metric_text
from lstm_core.infer.forecast import ForecastBand, forecast_band, forecast_future
from lstm_core.runs.experiment import ExperimentResult
from ui import plots
from ui.frame import require_entry
from ui.help import HELP
from ui.plan import forecast_table, future_axis, time_axis
from ui.session import config_field, session
from ui.widgets import trained_result

# A slider of 10,000 steps cannot be moved precisely; LIMITS allows such horizons from the CLI.
SLIDER_MAX = 1000


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
        return band(result, horizon)
    return None


def future_section(result: ExperimentResult) -> None:
    low, high = LIMITS["horizon"]
    st.slider("Horizon (steps past the end)", int(low), min(int(high), SLIDER_MAX), help=HELP["horizon"],
              **config_field("horizon"))
    horizon = session().config.horizon
    values = forecast(result, horizon)
    series = result.data.series
    spread = band_choice(result, horizon)
    st.plotly_chart(plots.forecast_figure(time_axis(series), series.values,
                                          future_axis(series, horizon), values, series.name, spread))
    table = forecast_table(series, values)
    st.download_button("Download the forecast (CSV)", table.to_csv(index=False),
                       file_name="lstm-lab-forecast.csv", mime="text/csv", icon=":material/download:")


def test_span_section(result: ExperimentResult) -> None:
    st.subheader("How far can it be trusted?")
    rollout = result.test_rollout
    classical = {b.label: b.rollout for b in result.evaluation.baselines.values() if b.rollout is not None}
    theirs = "; ".join(f"{label} {metric_text(r.rmse)}" for label, r in classical.items())
    st.caption("The same recursive rollout, started just before the test part and fed only its own "
               "predictions, against what really happened: how many steps ahead does it stay close? "
               f"RMSE over the whole test span: {metric_text(rollout.rmse)}"
               + (f"; the classical models' forecasts over the same span (dotted): {theirs}." if theirs
                  else "."))
    x = time_axis(result.data.series)[rollout.times]
    left, right = st.columns(2)
    left.plotly_chart(plots.rollout_figure(x, rollout.actual, rollout.predicted, result.data.series.name,
                                           {label: r.predicted for label, r in classical.items()}))
    right.plotly_chart(plots.horizon_error_figure(
        rollout.error_by_horizon, {label: r.error_by_horizon for label, r in classical.items()}))


require_entry()
st.title("Forecast")
st.caption("Step 4 of 4: each step of the forecast feeds on the model's own previous predictions.")
trained = trained_result("the forecast")
if trained is not None:
    future_section(trained)
    test_span_section(trained)
